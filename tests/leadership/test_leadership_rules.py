"""The leadership rules of each period (issue 16): a head not above the collective and decided after it, the cap on
excellent leaders among equivalent titles, the collective's discipline; each on both sides of its line, off outside
its periods, reported by check_ratings with its numbers, and overridable with a written reason."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command

from assessments.models import CollectiveKind, PeriodRule, RuleOverride, Title
from assessments.regulation.run import reported, subtree_checks
from tests.leadership.helpers import collective, collective_rated, leader, leader_rated
from tests.regulation.helpers import disciplined

pytestmark = pytest.mark.django_db


def failures(org, year, rule):
    return [r for r in reported(subtree_checks(organization=org, year=year)) if r.code == rule and r.failed]


def results(org, year, rule):
    return [r for r in subtree_checks(organization=org, year=year) if r.code == rule]


@pytest.fixture
def board(tree):
    """Đồng Ý's standing board and its secretary, who heads it."""
    group = collective(tree["BS-DONG-Y"], code="DY-BTV")
    return group, leader(group, Title.SECRETARY, heads=True)


# --- leader_above_collective ---


def test_a_head_rated_above_the_collective_he_heads_fails_with_both_levels(tree, board):
    group, head = board
    collective_rated(group, 2025, "good", decided_on=datetime.date(2026, 1, 10))
    leader_rated(head, group, 2025, "excellent", decided_on=datetime.date(2026, 1, 15))
    [failed] = failures(tree["BS"], 2025, "leader_above_collective")
    assert failed.organization == tree["BS-DONG-Y"]
    assert failed.numbers["leader_level"] == "Hoàn thành xuất sắc nhiệm vụ"
    assert failed.numbers["collective_level"] == "Hoàn thành tốt nhiệm vụ"
    assert "DY-BTV" in failed.message and head.card_number in failed.message
    assert failed.source.startswith("Quy định 366-QĐ/TW")


def test_a_head_at_the_collectives_level_or_a_deputy_above_it_passes(tree, board):
    group, head = board
    deputy = leader(group, Title.DEPUTY_SECRETARY, heads=False)
    collective_rated(group, 2025, "good", decided_on=datetime.date(2026, 1, 10))
    leader_rated(head, group, 2025, "good", decided_on=datetime.date(2026, 1, 15))
    leader_rated(deputy, group, 2025, "excellent", decided_on=datetime.date(2026, 1, 15))
    checked = results(tree["BS"], 2025, "leader_above_collective")
    assert [r.passed for r in checked] == [True]  # the head only: a deputy is not held to the collective's level
    assert failures(tree["BS"], 2025, "leader_above_collective") == []


def test_the_leader_rules_are_off_before_qd_366(tree, board):
    group, head = board
    collective_rated(group, 2023, "good", scheme="qd124-2023")
    leader_rated(head, group, 2023, "excellent", scheme="qd124-2023")
    assert results(tree["BS"], 2023, "leader_above_collective") == []
    assert results(tree["BS"], 2023, "leader_before_collective") == []


# --- leader_before_collective ---


def test_a_head_decided_while_the_collective_is_undecided_fails(tree, board):
    group, head = board
    collective_rated(group, 2025, None)
    leader_rated(head, group, 2025, "completed")
    [failed] = failures(tree["BS"], 2025, "leader_before_collective")
    assert "tập thể chưa được xếp loại" in failed.message


def test_a_head_decided_a_day_before_the_collective_fails_and_the_same_day_passes(tree, board):
    group, head = board
    collective_rated(group, 2025, "good", decided_on=datetime.date(2026, 1, 10))
    rating = leader_rated(head, group, 2025, "good", decided_on=datetime.date(2026, 1, 9))
    [failed] = failures(tree["BS"], 2025, "leader_before_collective")
    assert failed.numbers["leader_day"] == "09/01/2026" and failed.numbers["collective_day"] == "10/01/2026"
    rating.decided_on = datetime.date(2026, 1, 10)
    rating.save()
    assert [r.passed for r in results(tree["BS"], 2025, "leader_before_collective")] == [True]


# --- leader_cap_20 (HD 21 and QĐ 124) ---


def _secretaries(tree, year, scheme, codes):
    """One standing board per village cell and commune, each secretary managed by the district, rated `codes`."""
    rated = []
    for i, code in enumerate(codes):
        group = collective(tree["BS-DONG-Y"], CollectiveKind.PARTY_COMMITTEE, code=f"DY-BCH-{i}")
        head = leader(group, Title.SECRETARY, managed_by=tree["BS"])
        rated.append(leader_rated(head, group, year, code, scheme=scheme))
    return rated


def test_two_excellent_secretaries_of_ten_managed_by_the_district_pass_the_cap(tree):
    _secretaries(tree, 2019, "qd132-2018", ["excellent"] * 2 + ["good"] * 8)
    [result] = results(tree["BS"], 2019, "leader_cap_20")
    assert result.passed and result.organization == tree["BS"]
    assert result.numbers["excellent"] == 2 and result.numbers["total"] == 10 and result.numbers["group"] == "Bí thư"


def test_three_excellent_secretaries_of_ten_exceed_the_cap(tree):
    _secretaries(tree, 2019, "qd132-2018", ["excellent"] * 3 + ["good"] * 7)
    [failed] = failures(tree["BS"], 2019, "leader_cap_20")
    assert failed.numbers["percent"] == "30,0%" and failed.numbers["allowed"] == 2
    assert "Vượt tỷ lệ" in failed.message


def test_the_cap_counts_each_title_apart(tree):
    rated = _secretaries(tree, 2019, "qd132-2018", ["excellent", "good", "good", "good", "good"])
    deputy_group = rated[0].collective
    deputy = leader(deputy_group, Title.DEPUTY_SECRETARY, heads=False, managed_by=tree["BS"])
    leader_rated(deputy, deputy_group, 2019, "excellent", scheme="qd132-2018")
    by_group = {r.numbers["group"]: r.passed for r in results(tree["BS"], 2019, "leader_cap_20")}
    assert by_group == {"Bí thư": True, "Phó Bí thư": False}


def test_the_cap_is_off_under_hd_43_and_a_district_switches_it_on_with_its_own_percent(tree):
    _secretaries(tree, 2025, "qd366-2025", ["excellent"] * 3 + ["good"] * 7)
    assert results(tree["BS"], 2025, "leader_cap_20") == []
    PeriodRule.objects.filter(period__code="hd43-2025", rule="leader_cap_20").update(
        enabled=True, parameters={"percent": 30, "group_by": "title"}
    )
    [result] = results(tree["BS"], 2025, "leader_cap_20")
    assert result.passed and result.numbers["cap"] == 30


# --- leadership_disciplined ---


def test_hd21_a_collective_with_a_member_warned_is_at_most_not_completed(tree, board):
    group, head = board
    disciplined(head, "warning", datetime.date(2019, 5, 1))
    collective_rated(group, 2019, "completed", scheme="qd132-2018")
    [failed] = failures(tree["BS"], 2019, "leadership_disciplined")
    assert failed.numbers["members"] == 1 and failed.numbers["bound"] == "Không hoàn thành nhiệm vụ"


def test_hd21_a_reprimand_or_a_warning_of_another_year_leaves_the_collective_free(tree, board):
    group, head = board
    disciplined(head, "reprimand", datetime.date(2019, 5, 1))
    disciplined(head, "warning", datetime.date(2018, 12, 31))
    collective_rated(group, 2019, "good", scheme="qd132-2018")
    assert failures(tree["BS"], 2019, "leadership_disciplined") == []


def test_hd43_excellent_needs_no_member_of_the_collective_disciplined(tree, board):
    group, head = board
    disciplined(head, "reprimand", datetime.date(2025, 3, 1))
    rating = collective_rated(group, 2025, "excellent")
    [failed] = failures(tree["BS"], 2025, "leadership_disciplined")
    assert failed.numbers["bound"] == "Hoàn thành tốt nhiệm vụ"
    rating.level = rating.level.scheme.levels.get(subject="unit", code="good")
    rating.save()
    assert failures(tree["BS"], 2025, "leadership_disciplined") == []


def test_leadership_discipline_is_off_under_hd_27(tree, board):
    group, head = board
    disciplined(head, "expulsion", datetime.date(2016, 5, 1))
    collective_rated(group, 2016, "clean_strong", scheme="hd27-2014")
    assert results(tree["BS"], 2016, "leadership_disciplined") == []


# --- check_ratings and overrides ---


def test_check_ratings_lists_the_leader_caught_and_an_override_is_listed_with_its_reason(tree, board):
    group, head = board
    collective_rated(group, 2025, "good", decided_on=datetime.date(2026, 1, 10))
    leader_rated(head, group, 2025, "excellent", decided_on=datetime.date(2026, 1, 15))
    out = StringIO()
    with pytest.raises(SystemExit) as stop:
        call_command("check_ratings", "BS", "2025", "--format", "json", stdout=out)
    assert stop.value.code == 1
    [line] = [row for row in json.loads(out.getvalue()) if row["rule"] == "leader_above_collective"]
    assert line["organization"] == "BS-DONG-Y" and line["numbers"]["collective_level"] == "Hoàn thành tốt nhiệm vụ"
    RuleOverride.objects.create(
        organization=tree["BS-DONG-Y"], year=2025, rule="leader_above_collective", reason="Thành tích đột xuất"
    )
    out = StringIO()
    call_command("check_ratings", "BS-DONG-Y", "2025", stdout=out)
    assert "[Đã quyết định vượt kiểm tra: Thành tích đột xuất]" in out.getvalue()
