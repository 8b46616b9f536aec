"""The member rules of a period on both sides of their thresholds: discipline in the year, sick leave, the
civil-servant rating, admission less than six months before 31 December; and the not-rated reason suggested."""

import datetime

import pytest

from assessments.models import MemberStatusSpan
from assessments.regulation.members import not_rated_reason_suggested
from tests.regulation.helpers import checks, disciplined, member_rated

pytestmark = pytest.mark.django_db


def test_a_member_disciplined_in_the_year_can_only_be_not_completed(tree):
    cell = tree["BS-DONG-Y-01"]
    rated = member_rated(cell, 2019, "qd132-2018", "good")
    disciplined(rated.member, "reprimand", datetime.date(2018, 12, 31))
    assert checks(cell, 2019, "qd132-2018", None, "member_disciplined") == []
    disciplined(rated.member, "reprimand", datetime.date(2019, 1, 1), ref="7-QĐ/UBKT")
    (result,) = checks(cell, 2019, "qd132-2018", None, "member_disciplined")
    assert result.failed
    assert "kỷ luật khiển trách ngày 01/01/2019 (7-QĐ/UBKT, Ủy ban Kiểm tra Huyện ủy)" in result.message
    assert "chỉ được xếp từ “Không hoàn thành nhiệm vụ” trở xuống, đang xếp “Hoàn thành tốt nhiệm vụ”" in result.message
    rated.level = rated.level.scheme.levels.get(subject="member", code="not_completed")
    rated.save()
    assert checks(cell, 2019, "qd132-2018", None, "member_disciplined") == []


def test_member_discipline_is_not_a_rule_of_2017(tree):
    cell = tree["BS-DONG-Y-01"]
    rated = member_rated(cell, 2017, "hd27-2014", "good")
    disciplined(rated.member, "warning", datetime.date(2017, 5, 1))
    assert checks(cell, 2017, "hd27-2014", None, "member_disciplined") == []


def test_three_months_of_sick_leave_bound_a_member_to_completed(tree):
    cell = tree["BS-DONG-Y-01"]
    member_rated(cell, 2019, "qd132-2018", "good", sick_leave_months=2)
    member_rated(cell, 2019, "qd132-2018", "completed", sick_leave_months=5)
    assert checks(cell, 2019, "qd132-2018", None, "sick_leave") == []
    member_rated(cell, 2019, "qd132-2018", "good", sick_leave_months=3)
    (result,) = checks(cell, 2019, "qd132-2018", None, "sick_leave")
    assert result.failed and "nghỉ ốm 3 tháng trong năm (từ 3 tháng trở lên)" in result.message
    assert result.numbers["months"] == 3


def test_a_member_is_not_rated_above_the_civil_servant_rating(tree):
    cell = tree["BS-DONG-Y-01"]
    member_rated(cell, 2019, "qd132-2018", "completed", civil_servant_level="completed")
    member_rated(cell, 2019, "qd132-2018", "excellent", civil_servant_level="excellent")
    assert checks(cell, 2019, "qd132-2018", None, "civil_servant_level") == []
    member_rated(cell, 2019, "qd132-2018", "good", civil_servant_level="not_completed")
    (result,) = checks(cell, 2019, "qd132-2018", None, "civil_servant_level")
    assert result.failed and "xếp loại công chức, viên chức “Không hoàn thành nhiệm vụ”" in result.message


def test_a_member_admitted_less_than_six_months_before_year_end_is_not_rated(tree):
    cell = tree["BS-DONG-Y-01"]
    member_rated(cell, 2019, "qd132-2018", "good", admitted_on=datetime.date(2019, 6, 30))
    assert checks(cell, 2019, "qd132-2018", None, "admitted_recently") == []
    member_rated(cell, 2019, "qd132-2018", "good", admitted_on=datetime.date(2019, 7, 1))
    (result,) = checks(cell, 2019, "qd132-2018", None, "admitted_recently")
    assert result.failed and "vào Đảng ngày 01/07/2019, chưa đủ 6 tháng đến 31/12" in result.message
    # The rule is in every period: 2017 too.
    member_rated(cell, 2017, "hd27-2014", "good", admitted_on=datetime.date(2017, 11, 2))
    assert checks(cell, 2017, "hd27-2014", None, "admitted_recently")[0].failed


def test_the_not_rated_reason_is_suggested_from_the_members_dates(tree):
    rated = member_rated(tree["BS-DONG-Y-01"], 2019, "qd132-2018", "good", admitted_on=datetime.date(2019, 8, 1))
    member = rated.member
    assert not_rated_reason_suggested(member=member, year=2019) == "admitted_recently"
    assert not_rated_reason_suggested(member=member, year=2020) == ""
    MemberStatusSpan.objects.create(member=member, kind="suspended", start=datetime.date(2020, 3, 1),
                                    end=datetime.date(2021, 2, 1))  # fmt: skip
    assert not_rated_reason_suggested(member=member, year=2020) == "suspended"
    assert not_rated_reason_suggested(member=member, year=2021) == ""
    MemberStatusSpan.objects.create(member=member, kind="exempt", start=datetime.date(2021, 1, 1))
    assert not_rated_reason_suggested(member=member, year=2022) == "exempt"
