"""Overrides of the rules on a collective and on a group of titles cover that collective or group, not the whole
unit: a reason for one collective's discipline leaves the unit's other collectives to be checked, a reason for the
secretaries' cap leaves the deputies' cap checked; an override of the unit recorded before still covers them all."""

import datetime
import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from assessments.leadership import services
from assessments.models import CollectiveKind, CollectiveRating, RuleOverride, Title
from assessments.reports.list_tables import list_tables
from tests.factories import level
from tests.leadership.helpers import collective, leader, leader_rated
from tests.regulation.helpers import disciplined

pytestmark = pytest.mark.django_db
DISCIPLINED, CAP = "leadership_disciplined", "leader_cap_20"


def _checked(code: str, year: int, rule: str) -> tuple[int, list[dict]]:
    out = StringIO()
    try:
        call_command("check_ratings", code, str(year), "--format", "json", stdout=out)
        status = 0
    except SystemExit as stop:
        status = stop.code
    return status, [row for row in json.loads(out.getvalue()) if row["rule"] == rule]


@pytest.fixture
def boards(tree):
    """Đồng Ý's standing board and party committee, each with a member reprimanded in 2025: neither may be excellent
    under HD 43."""
    board = collective(tree["BS-DONG-Y"], CollectiveKind.STANDING_BOARD, code="DY-BTV")
    committee = collective(tree["BS-DONG-Y"], CollectiveKind.PARTY_COMMITTEE, code="DY-BCH")
    for group, title in ((board, Title.SECRETARY), (committee, Title.DEPUTY_SECRETARY)):
        disciplined(leader(group, title), "reprimand", datetime.date(2025, 3, 1))
    return board, committee


def _excellent(group) -> CollectiveRating:
    return CollectiveRating(
        collective=group,
        year=2025,
        level=level("qd366-2025", "unit", "excellent"),
        score=95,
        decided_on=datetime.date(2026, 1, 10),
    )


def test_an_override_of_one_collectives_discipline_leaves_the_other_collective_checked(boards, officer, tree):
    board, committee = boards
    services.collective_rating_save(rating=_excellent(board), actor=officer, override_reason="Khắc phục xong")
    override = RuleOverride.objects.get()
    assert (override.organization, override.collective, override.member, override.group) == (
        tree["BS-DONG-Y"],
        board,
        None,
        "",
    )
    with pytest.raises(ValidationError) as refused:
        services.collective_rating_save(rating=_excellent(committee), actor=officer)
    assert "kỷ luật" in " ".join(refused.value.message_dict["override_reason"])
    # Stored without the service (an import of old data): check_ratings reports the committee, not the board.
    _excellent(committee).save()
    status, lines = _checked("BS", 2025, DISCIPLINED)
    assert status == 1
    by_collective = {line["numbers"]["collective"]: (line["overridden"], line["reason"]) for line in lines}
    assert by_collective == {"DY-BTV": (True, "Khắc phục xong"), "DY-BCH": (False, "")}
    # The committee's own reason is a second override: the board's reason is kept, not overwritten.
    rating = CollectiveRating.objects.get(collective=committee)
    rating.decided_on = datetime.date(2026, 1, 12)
    services.collective_rating_save(rating=rating, actor=officer, override_reason="Ủy ban Kiểm tra đề nghị")
    reasons = dict(RuleOverride.objects.values_list("collective__code", "reason"))
    assert reasons == {"DY-BTV": "Khắc phục xong", "DY-BCH": "Ủy ban Kiểm tra đề nghị"}
    assert _checked("BS", 2025, DISCIPLINED)[0] == 0
    # The report's list names each collective.
    [table] = [t for t in list_tables(organization=tree["BS"], year=2025) if t.heading.startswith("Quyết định vượt")]
    assert sorted(row[1] for row in table.rows) == sorted(f"Đảng bộ xã Đồng Ý – {g.name}" for g in boards)


def test_an_override_of_the_unit_still_covers_every_collective(boards, tree):
    for group in boards:
        _excellent(group).save()
    assert _checked("BS-DONG-Y", 2025, DISCIPLINED)[0] == 1
    RuleOverride.objects.create(organization=tree["BS-DONG-Y"], year=2025, rule=DISCIPLINED, reason="Cả đơn vị")
    status, lines = _checked("BS-DONG-Y", 2025, DISCIPLINED)
    assert status == 0 and len(lines) == 2 and all(line["reason"] == "Cả đơn vị" for line in lines)


def test_a_collective_has_one_override_of_a_rule_in_a_year(boards, tree):
    board, _committee = boards
    RuleOverride.objects.create(
        organization=tree["BS-DONG-Y"], year=2025, rule=DISCIPLINED, reason="a", collective=board
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        RuleOverride.objects.create(
            organization=tree["BS-DONG-Y"], year=2025, rule=DISCIPLINED, reason="b", collective=board
        )
    # A group stands alone: not with a collective, and a leader comes with his collective.
    with pytest.raises(IntegrityError), transaction.atomic():
        RuleOverride.objects.create(
            organization=tree["BS"], year=2025, rule=CAP, reason="c", collective=board, group=Title.SECRETARY
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        RuleOverride.objects.create(
            organization=tree["BS-DONG-Y"],
            year=2025,
            rule="leader_above_collective",
            reason="d",
            member=board.positions.get().member,
        )


@pytest.fixture
def two_groups(tree):
    """Ten commune committees' secretaries managed by the district, three excellent (over the cap of two), and one
    deputy secretary, excellent (over a cap of none), rated for 2019 under HD 21."""
    secretaries = []
    for i, code in enumerate(["excellent"] * 3 + ["good"] * 7):
        group = collective(tree["BS-DONG-Y"], CollectiveKind.PARTY_COMMITTEE, code=f"DY-BCH-{i}")
        head = leader(group, Title.SECRETARY, managed_by=tree["BS"])
        secretaries.append(leader_rated(head, group, 2019, code, scheme="qd132-2018"))
    deputy_group = secretaries[0].collective
    deputy = leader(deputy_group, Title.DEPUTY_SECRETARY, heads=False, managed_by=tree["BS"])
    leader_rated(deputy, deputy_group, 2019, "excellent", scheme="qd132-2018")
    return secretaries


def test_an_override_of_the_secretaries_cap_leaves_the_deputies_cap_checked(two_groups, officer, tree):
    status, lines = _checked("BS", 2019, CAP)
    assert status == 1 and sorted(line["numbers"]["group"] for line in lines) == ["Bí thư", "Phó Bí thư"]
    # A fourth excellent secretary, decided with a reason: the override is the secretaries' group's.
    rating = two_groups[3]
    rating.level = level("qd132-2018", "member", "excellent")
    rating.decided_on = datetime.date(2020, 1, 10)
    services.leader_rating_save(rating=rating, actor=officer, override_reason="Hoàn thành xuất sắc nhiệm vụ đột xuất")
    override = RuleOverride.objects.get(rule=CAP)
    assert (override.organization, override.group, override.collective, override.member) == (
        tree["BS"],
        Title.SECRETARY,
        None,
        None,
    )
    assert override.subject_name == "Đảng bộ huyện Bắc Sơn – nhóm Bí thư"
    status, lines = _checked("BS", 2019, CAP)
    by_group = {line["numbers"]["group"]: line["overridden"] for line in lines}
    assert status == 1 and by_group == {"Bí thư": True, "Phó Bí thư": False}
    # Recorded before overrides were kept per group, an override of the committee covers both groups.
    RuleOverride.objects.create(organization=tree["BS"], year=2019, rule=CAP, reason="Ban Thường vụ quyết định")
    status, lines = _checked("BS", 2019, CAP)
    assert status == 0 and {line["reason"] for line in lines} == {
        "Hoàn thành xuất sắc nhiệm vụ đột xuất",
        "Ban Thường vụ quyết định",
    }
