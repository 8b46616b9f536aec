"""The officers' checks page lists a leader the rules catch; the admin lists collectives, posts and ratings under a
fixed number of queries and refuses, through the same rules, what the importer refuses."""

import datetime

import pytest

from assessments.models import CollectiveRating, LeaderRating, Title
from tests.factories import level
from tests.leadership.helpers import SCHEME, collective, collective_rated, leader, leader_rated

pytestmark = pytest.mark.django_db


@pytest.fixture
def caught(tree):
    """Đồng Ý's standing board rated good and its secretary rated excellent for 2025, plus a few more boards."""
    for i, code in enumerate(("BS-DONG-Y", "BS-NHAT-TIEN")):
        group = collective(tree[code], code=f"{code}-BTV")
        head = leader(group, Title.SECRETARY)
        deputy = leader(group, Title.DEPUTY_SECRETARY, heads=False)
        collective_rated(group, 2025, "good", decided_on=datetime.date(2026, 1, 10))
        leader_rated(head, group, 2025, "excellent" if i == 0 else "good", decided_on=datetime.date(2026, 1, 12))
        leader_rated(deputy, group, 2025, "good", decided_on=datetime.date(2026, 1, 12))
    return tree


def test_the_checks_page_shows_the_head_rated_above_his_collective(client, officer, caught):
    client.force_login(officer)
    response = client.get("/checks/BS/2025/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-rule="leader_above_collective" data-overridden="false"' in page
    assert "BS-DONG-Y-BTV" in page and "cao hơn tập thể" in page


@pytest.mark.parametrize("model", ["collective", "position", "collectiverating", "leaderrating"])
def test_the_leadership_admin_lists_work_under_a_fixed_number_of_queries(
    client, admin_user, caught, model, django_assert_max_num_queries
):
    client.force_login(admin_user)
    with django_assert_max_num_queries(15):
        response = client.get(f"/admin/assessments/{model}/")
    assert response.status_code == 200


def test_the_admin_refuses_a_leader_rated_in_a_collective_he_has_no_post_in(client, admin_user, caught, tree):
    from tests.factories import MemberFactory

    stranger = MemberFactory(organization=tree["BS-DONG-Y-01"])
    group = CollectiveRating.objects.filter(collective__code="BS-DONG-Y-BTV").get().collective
    client.force_login(admin_user)
    response = client.post(
        "/admin/assessments/leaderrating/add/",
        {
            "member": stranger.pk,
            "collective": group.pk,
            "year": 2025,
            "period": "",
            "self_level": level(SCHEME, "member", "good").pk,
        },
    )
    assert response.status_code == 200
    assert "không giữ chức danh nào trong tập thể BS-DONG-Y-BTV năm 2025" in response.content.decode()
    assert not LeaderRating.objects.filter(member=stranger).exists()


def test_the_admin_refuses_a_head_decided_above_his_collective_with_the_checks_message(
    client, admin_user, caught, tree
):
    rating = LeaderRating.objects.get(collective__code="BS-NHAT-TIEN-BTV", member__positions__heads=True)
    client.force_login(admin_user)
    form = {
        "member": rating.member_id, "collective": rating.collective_id, "year": 2025, "period": "",
        "level": level(SCHEME, "member", "excellent").pk, "score": "95", "decided_on": "2026-01-12",
    }  # fmt: skip
    response = client.post(f"/admin/assessments/leaderrating/{rating.pk}/change/", form)
    assert response.status_code == 200 and "cao hơn tập thể" in response.content.decode()
    rating.refresh_from_db()
    assert rating.level.code == "good"


def test_the_unit_page_lists_its_collectives_and_leaders_of_the_latest_year(
    client, officer, secretary_nhat_tien, caught, django_assert_max_num_queries
):
    from decimal import Decimal

    CollectiveRating.objects.filter(collective__code="BS-DONG-Y-BTV").update(score=Decimal("81.5"))
    client.force_login(officer)
    with django_assert_max_num_queries(20):
        response = client.get("/units/BS-DONG-Y/")
    page = response.content.decode()
    assert "Tập thể và cá nhân lãnh đạo, quản lý (năm 2025)" in page
    assert page.count('id="leaders"') == 1 and "81,5" in page
    leaders = LeaderRating.objects.filter(collective__code="BS-DONG-Y-BTV").select_related("member")
    assert all(r.member.full_name in page for r in leaders)
    client.force_login(secretary_nhat_tien)
    assert client.get("/units/BS-DONG-Y/").status_code == 404
