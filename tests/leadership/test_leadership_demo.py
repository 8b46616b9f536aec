"""The demo's leadership of the six 2025 communes: three collectives each with heads and deputies, rated for 2025,
every row within the rules, one head caught by check_ratings, and reloading changes nothing."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from assessments import demo
from assessments.models import Collective, CollectiveRating, LeaderRating, Position
from assessments.rules.collectives import collective_rating_check, leader_rating_check

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    demo.demo_load()
    demo.reorganization_2025_load()


def test_each_2025_commune_has_its_standing_board_party_committee_and_peoples_committee(loaded):
    kinds = {}
    for collective in Collective.objects.select_related("organization"):
        kinds.setdefault(collective.organization.code, set()).add(collective.kind)
    assert len(kinds) == 6
    assert all(found == {"standing_board", "party_committee", "peoples_committee"} for found in kinds.values())
    assert Position.objects.filter(heads=True).count() == 18 and Position.objects.count() == 36
    assert LeaderRating.objects.filter(year=2025, level__isnull=False).count() == 36
    assert CollectiveRating.objects.filter(year=2025, period="", level__isnull=False).count() == 18
    for rating in CollectiveRating.objects.all():
        collective_rating_check(rating)
    for rating in LeaderRating.objects.select_related("member", "collective"):
        leader_rating_check(rating)


def test_check_ratings_catches_the_secretary_of_vu_le_rated_above_his_standing_board(loaded):
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("check_ratings", "LS", "2025", "--format", "json", stdout=out)
    caught = [row for row in json.loads(out.getvalue()) if row["rule"].startswith("leader")]
    assert [(row["organization"], row["rule"]) for row in caught] == [("LS-VU-LE", "leader_above_collective")]


def test_reloading_the_2025_structure_leaves_the_same_leadership(loaded):
    before = (Collective.objects.count(), Position.objects.count(), LeaderRating.objects.count())
    demo.reorganization_2025_load()
    assert (Collective.objects.count(), Position.objects.count(), LeaderRating.objects.count()) == before
