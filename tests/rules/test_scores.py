"""Scored ratings (QĐ 366, rules.scores): a level follows from the score's band and the task conditions, both read
from the scheme's level rows; a level above is refused with the score, the band and the failed condition, a level
below needs a reason, and years whose scheme is not scored behave as before."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessments.models import MemberAssessment, RatingLevel, RatingScheme, UnitAssessment
from assessments.rules.ratings import member_assessment_check, unit_assessment_check
from assessments.rules.scores import score_allowed_level, scored_levels
from tests.factories import MemberFactory, level

pytestmark = pytest.mark.django_db


def _unit(tree, code: str | None = None, *, year: int = 2025, **fields) -> UnitAssessment:
    rating_level = level("qd366-2025", "unit", code) if code else None
    return UnitAssessment(organization=tree["BS-DONG-Y"], year=year, level=rating_level, **fields)


def _allowed(tree, **fields) -> str:
    scheme = RatingScheme.objects.get(code="qd366-2025")
    return score_allowed_level(scored_levels(scheme, "unit"), _unit(tree, **fields)).code


def _refused(check, rating) -> dict:
    with pytest.raises(ValidationError) as refused:
        check(rating)
    return refused.value.message_dict


def test_qd366_is_scored_out_of_100_with_its_bands_as_rows():
    scheme = RatingScheme.objects.get(code="qd366-2025")
    assert (scheme.is_scored, scheme.total_points) == (True, 100)
    bands = RatingLevel.objects.filter(scheme=scheme, subject="member").order_by("rank")
    assert [(lv.code, lv.min_score) for lv in bands] == [
        ("excellent", Decimal("90")),
        ("good", Decimal("70")),
        ("completed", Decimal("50")),
        ("not_completed", None),
    ]
    assert not RatingScheme.objects.filter(is_scored=True).exclude(code="qd366-2025").exists()


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        ("100", "excellent"),
        ("90", "excellent"),
        ("89.99", "good"),
        ("70", "good"),
        ("69.99", "completed"),
        ("50", "completed"),
        ("49.99", "not_completed"),
        ("0", "not_completed"),
    ],
)
def test_each_band_holds_its_lower_bound_and_not_the_next(tree, score, expected):
    assert _allowed(tree, score=Decimal(score)) == expected


@pytest.mark.parametrize(
    ("on_time", "exceeded", "late", "expected"),
    [
        (10, 3, 0, "excellent"),  # 100% on time, 30% exceeded
        (10, 2, 0, "good"),  # 20% exceeded: under the 30% excellent needs
        (9, 3, 1, "completed"),  # 90% on time: under the 100% good needs; all done, 10% late
        (8, 0, 2, "completed"),  # 20% late: the most completed allows
        (7, 0, 3, "not_completed"),  # 30% late
        (9, 0, 0, "not_completed"),  # one task not done: completed needs 100% done
    ],
)
def test_task_conditions_on_both_sides_of_each_boundary(tree, on_time, exceeded, late, expected):
    figures = {"tasks_assigned": 10, "tasks_on_time": on_time, "tasks_exceeded": exceeded, "tasks_late": late}
    assert _allowed(tree, score=Decimal("95"), **figures) == expected


def test_a_level_above_the_band_is_refused_with_the_score_and_the_band(tree):
    errors = _refused(unit_assessment_check, _unit(tree, "excellent", score=Decimal("85.5")))
    assert errors == {
        "level": [
            "Điểm 85,5 thuộc khung Hoàn thành tốt nhiệm vụ (70 đến dưới 90); "
            "mức Hoàn thành xuất sắc nhiệm vụ cần từ 90 điểm."
        ]
    }


def test_a_level_its_tasks_do_not_allow_is_refused_naming_the_failed_condition(tree):
    rating = _unit(tree, "excellent", score=Decimal("92"), tasks_assigned=10, tasks_on_time=9, tasks_exceeded=4)
    errors = _refused(unit_assessment_check, rating)
    assert errors == {
        "level": [
            "Điểm 92 thuộc khung Hoàn thành xuất sắc nhiệm vụ (từ 90); "
            "mức Hoàn thành xuất sắc nhiệm vụ cần 100% nhiệm vụ hoàn thành đúng hạn (có 9/10, 90,0%)."
        ]
    }


def test_a_level_below_the_score_needs_a_reason(tree):
    errors = _refused(unit_assessment_check, _unit(tree, "good", score=Decimal("93")))
    assert errors == {
        "below_score_reason": [
            "Điểm 93 cho phép mức Hoàn thành xuất sắc nhiệm vụ; xếp mức thấp hơn (Hoàn thành tốt nhiệm vụ) phải ghi "
            "lý do (ví dụ bị kỷ luật trong năm)."
        ]
    }
    unit_assessment_check(_unit(tree, "good", score=Decimal("93"), below_score_reason="Bị khiển trách tháng 6/2025."))


def test_a_level_inside_its_band_is_accepted(tree):
    unit_assessment_check(_unit(tree, "good", score=Decimal("70")))
    unit_assessment_check(_unit(tree, "excellent", score=Decimal("90")))


def test_a_level_without_a_score_is_refused_in_a_scored_year(tree):
    member = MemberFactory(organization=tree["BS-DONG-Y-01"])
    rating = MemberAssessment(
        member=member, year=2025, organization=tree["BS-DONG-Y-01"], level=level("qd366-2025", "member", "good")
    )
    assert _refused(member_assessment_check, rating) == {
        "score": ["Năm 2025 xếp loại theo điểm (Quy định 366-QĐ/TW): mức xếp loại cần có điểm."]
    }


def test_a_score_above_the_schemes_total_is_refused_and_the_total_is_data(tree):
    assert _refused(unit_assessment_check, _unit(tree, self_score=Decimal("100.5"))) == {
        "self_score": ["Điểm 100,5 vượt tổng điểm 100 của Quy định 366-QĐ/TW."]
    }
    RatingScheme.objects.filter(code="qd366-2025").update(total_points=50)
    assert _refused(unit_assessment_check, _unit(tree, "not_completed", score=Decimal("60"))) == {
        "score": ["Điểm 60 vượt tổng điểm 50 của Quy định 366-QĐ/TW."]
    }


def test_bands_are_data_a_changed_row_moves_the_boundary(tree):
    RatingLevel.objects.filter(scheme__code="qd366-2025", code="excellent").update(min_score=95)
    assert _allowed(tree, score=Decimal("92")) == "good"
    assert _allowed(tree, score=Decimal("95")) == "excellent"


def test_task_figures_must_add_up(tree):
    assert _refused(unit_assessment_check, _unit(tree, tasks_assigned=5, tasks_on_time=4, tasks_late=2)) == {
        "tasks_on_time": ["Số nhiệm vụ đúng hạn (4) cộng số chậm (2) vượt số nhiệm vụ được giao (5)."]
    }
    assert _refused(unit_assessment_check, _unit(tree, tasks_assigned=5, tasks_on_time=3, tasks_exceeded=4)) == {
        "tasks_exceeded": ["Số nhiệm vụ vượt mức (4) nhiều hơn số đã hoàn thành (3)."]
    }
    assert _refused(unit_assessment_check, _unit(tree, tasks_on_time=3)) == {
        "tasks_assigned": ["Ghi số nhiệm vụ được giao trước khi ghi số đúng hạn, vượt mức hoặc chậm."]
    }


def test_a_year_whose_scheme_is_not_scored_ignores_the_score_fields(tree):
    rating = UnitAssessment(
        organization=tree["BS-DONG-Y"],
        year=2019,
        level=level("qd132-2018", "unit", "excellent"),
        score=Decimal("12"),
        tasks_on_time=3,
    )
    unit_assessment_check(rating)
    unit_assessment_check(UnitAssessment(organization=tree["BS-DONG-Y"], year=2019, level=rating.level))
