"""HD 21's collective_disciplined reads the members of the unit's party leadership collectives when the unit has one
recorded for the year, and the members of the unit itself only where it has none."""

import datetime

import pytest

from assessments.models import CollectiveKind
from tests.factories import MemberFactory
from tests.leadership.helpers import collective, leader
from tests.regulation.helpers import checks, disciplined, member_rated

pytestmark = pytest.mark.django_db


def test_a_warned_member_of_the_commune_committee_bounds_the_commune(tree):
    commune = tree["BS-DONG-Y"]
    board = collective(commune, CollectiveKind.PARTY_COMMITTEE)
    deputy = MemberFactory(organization=tree["BS-DONG-Y-01"])
    leader(board, member=deputy, heads=False, start=datetime.date(2018, 1, 1))
    disciplined(deputy, "reprimand", datetime.date(2019, 4, 1))
    assert checks(commune, 2019, "qd132-2018", "good", "collective_disciplined") == []
    disciplined(deputy, "warning", datetime.date(2019, 8, 1))
    (result,) = checks(commune, 2019, "qd132-2018", "good", "collective_disciplined")
    assert result.failed
    assert "1 quyết định kỷ luật thành viên tập thể lãnh đạo của đơn vị từ mức cảnh cáo trở lên" in result.message
    assert result.numbers["members"] == 1


def test_a_member_who_left_the_committee_before_the_year_does_not_count(tree):
    commune = tree["BS-DONG-Y"]
    board = collective(commune, CollectiveKind.PARTY_COMMITTEE)
    former = MemberFactory(organization=commune)
    leader(board, member=former, start=datetime.date(2015, 1, 1), end=datetime.date(2018, 12, 31))
    disciplined(former, "warning", datetime.date(2019, 3, 1))
    assert checks(commune, 2019, "qd132-2018", "good", "collective_disciplined") == []
    leader(board, member=former, start=datetime.date(2019, 12, 1))
    assert checks(commune, 2019, "qd132-2018", "good", "collective_disciplined")[0].failed


def test_with_a_collective_recorded_a_warned_rank_and_file_member_no_longer_counts(tree):
    cell = tree["BS-DONG-Y-01"]
    rated = member_rated(cell, 2019, "qd132-2018", "completed")
    disciplined(rated.member, "warning", datetime.date(2019, 9, 1))
    assert checks(cell, 2019, "qd132-2018", "good", "collective_disciplined")[0].failed  # no collective: fallback
    secretary = MemberFactory(organization=cell)
    leader(collective(cell, CollectiveKind.CELL_COMMITTEE), member=secretary)
    assert checks(cell, 2019, "qd132-2018", "good", "collective_disciplined") == []
    disciplined(secretary, "expulsion", datetime.date(2019, 10, 1))
    assert checks(cell, 2019, "qd132-2018", "good", "collective_disciplined")[0].failed


def test_a_government_collective_is_not_the_party_leadership_collective(tree):
    commune = tree["BS-DONG-Y"]
    chair = MemberFactory(organization=commune)
    leader(collective(commune, CollectiveKind.PEOPLES_COMMITTEE), member=chair)
    disciplined(chair, "warning", datetime.date(2019, 6, 1))
    # No party collective recorded: the fallback counts the commune's own members (the chair is one of them).
    (result,) = checks(commune, 2019, "qd132-2018", "good", "collective_disciplined")
    assert "1 quyết định kỷ luật đảng viên của đơn vị từ mức cảnh cáo trở lên" in result.message
    assert "thành viên tập thể lãnh đạo" not in result.message
