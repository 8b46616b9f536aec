"""Overrides of a rule on one leader are kept for that leader (member and collective), not for the whole unit: deciding
one head above his collective with a reason leaves the other heads of the commune to be checked, refused without a
reason of their own and reported by check_ratings; an override of the unit, as recorded before, still covers them."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from assessments.leadership import services
from assessments.models import CollectiveKind, LeaderRating, RuleOverride, Title
from assessments.reports.list_tables import list_tables
from tests.factories import level
from tests.leadership.helpers import SCHEME, collective, collective_rated, leader

pytestmark = pytest.mark.django_db
RULE = "leader_above_collective"


@pytest.fixture
def heads(tree):
    """Đồng Ý's standing board and party committee, each rated good, and the head of each; the standing board's head
    heads the people's committee too."""
    board = collective(tree["BS-DONG-Y"], CollectiveKind.STANDING_BOARD, code="DY-BTV")
    committee = collective(tree["BS-DONG-Y"], CollectiveKind.PARTY_COMMITTEE, code="DY-BCH")
    peoples = collective(tree["BS-DONG-Y"], CollectiveKind.PEOPLES_COMMITTEE, code="DY-UBND")
    for group in (board, committee, peoples):
        collective_rated(group, 2025, "good", decided_on=datetime.date(2026, 1, 10))
    first = leader(board, Title.SECRETARY)
    leader(peoples, Title.CHAIR, member=first)
    second = leader(committee, Title.DEPUTY_SECRETARY)
    return {"board": board, "committee": committee, "peoples": peoples, "first": first, "second": second}


def _excellent(member, group) -> LeaderRating:
    return LeaderRating(
        member=member, collective=group, year=2025, level=level(SCHEME, "member", "excellent"), score=Decimal("95"),
        decided_on=datetime.date(2026, 1, 15),
    )  # fmt: skip


def _checked(code: str) -> tuple[int, list[dict]]:
    out = StringIO()
    try:
        call_command("check_ratings", code, "2025", "--format", "json", stdout=out)
        status = 0
    except SystemExit as stop:
        status = stop.code
    return status, [row for row in json.loads(out.getvalue()) if row["rule"] == RULE]


def test_an_override_for_one_head_leaves_the_other_heads_checked(heads, officer):
    first, second = heads["first"], heads["second"]
    services.leader_rating_save(rating=_excellent(first, heads["board"]), actor=officer, override_reason="Khen thưởng")
    override = RuleOverride.objects.get()
    assert (override.organization.code, override.member, override.collective) == ("BS-DONG-Y", first, heads["board"])
    # The second head of the same commune, and the first in another collective he heads, need a reason of their own.
    for member, group in ((second, heads["committee"]), (first, heads["peoples"])):
        with pytest.raises(ValidationError) as refused:
            services.leader_rating_save(rating=_excellent(member, group), actor=officer)
        assert "cao hơn tập thể" in " ".join(refused.value.message_dict["override_reason"])
    assert LeaderRating.objects.count() == 1
    # Stored without the service (an import of old data): check_ratings still reports the second head.
    _excellent(second, heads["committee"]).save()
    status, lines = _checked("BS")
    assert status == 1
    by_leader = {line["numbers"]["leader"]: line for line in lines}
    assert by_leader[f"{first.full_name} ({first.card_number})"]["overridden"] is True
    assert by_leader[f"{first.full_name} ({first.card_number})"]["reason"] == "Khen thưởng"
    assert by_leader[f"{second.full_name} ({second.card_number})"]["overridden"] is False
    # Its own reason overrides it in turn; nothing is reported any more.
    rating = LeaderRating.objects.get(member=second)
    rating.decided_on = datetime.date(2026, 1, 20)  # decided again: the rules run again
    services.leader_rating_save(rating=rating, actor=officer, override_reason="Hoàn thành đột xuất nhiệm vụ")
    assert RuleOverride.objects.count() == 2
    status, lines = _checked("BS")
    assert status == 0 and all(line["overridden"] for line in lines) and len(lines) == 2


def test_deciding_the_same_head_again_renews_his_override(heads, officer):
    rating = services.leader_rating_save(
        rating=_excellent(heads["first"], heads["board"]), actor=officer, override_reason="Lý do cũ"
    )
    rating.decided_on = datetime.date(2026, 1, 20)
    services.leader_rating_save(rating=rating, actor=officer, override_reason="Lý do mới")
    override = RuleOverride.objects.get()
    assert override.reason == "Lý do mới" and override.member == heads["first"]
    with pytest.raises(IntegrityError), transaction.atomic():
        RuleOverride.objects.create(organization=override.organization, year=2025, rule=RULE, reason="x",
                                    member=heads["first"], collective=heads["board"])  # fmt: skip


def test_an_override_of_the_unit_still_covers_every_head(heads, tree):
    _excellent(heads["first"], heads["board"]).save()
    _excellent(heads["second"], heads["committee"]).save()
    assert _checked("BS-DONG-Y")[0] == 1
    RuleOverride.objects.create(organization=tree["BS-DONG-Y"], year=2025, rule=RULE, reason="Ban Thường vụ quyết định")
    status, lines = _checked("BS-DONG-Y")
    assert status == 0 and len(lines) == 2 and all(line["reason"] == "Ban Thường vụ quyết định" for line in lines)


def test_the_reports_list_of_overrides_names_each_head(heads, officer, tree):
    for member, group in ((heads["first"], heads["board"]), (heads["second"], heads["committee"])):
        services.leader_rating_save(rating=_excellent(member, group), actor=officer, override_reason="Khen thưởng")
    [table] = [t for t in list_tables(organization=tree["BS"], year=2025) if t.heading.startswith("Quyết định vượt")]
    units = sorted(row[1] for row in table.rows)
    assert units == sorted(f"Đảng bộ xã Đồng Ý – {m.full_name}" for m in (heads["first"], heads["second"]))
