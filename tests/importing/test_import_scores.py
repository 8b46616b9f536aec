"""The score columns of unit_ratings and member_ratings (QĐ 366): optional, Vietnamese titles, errors at row and
column, the scored year's rule set-based, nothing partial kept, and exports that import back unchanged."""

from decimal import Decimal

import pytest

from assessments.importing.exporting import data_export
from assessments.models import MemberAssessment, UnitAssessment
from tests.factories import MemberFactory, level
from tests.importfiles import csv_imported, file_imported
from tests.importing.test_import_rules import errors

pytestmark = pytest.mark.usefixtures("media")

HEADER = ["card_number", "year", "organization_code", "level", "score", "tasks_assigned", "tasks_on_time"]


@pytest.fixture
def cell_members(tree):
    return [MemberFactory(organization=tree["BS-DONG-Y-01"]) for _ in range(3)]


def test_scores_import_with_vietnamese_titles_and_a_decimal_comma(tree, cell_members, officer, tmp_path):
    rows = [
        [
            "Số thẻ đảng viên",
            "Năm",
            "Mã chi bộ",
            "Xếp loại",
            "Điểm",
            "Điểm tự chấm",
            "Lý do xếp thấp hơn mức theo điểm",
        ],
        [cell_members[0].card_number, 2025, "BS-DONG-Y-01", "excellent", "92,5", "95", ""],
        [cell_members[1].card_number, 2025, "BS-DONG-Y-01", "completed", "75", "80", "Bị khiển trách."],
    ]
    result = csv_imported(tmp_path, "member_ratings", rows, user=officer)
    assert result.ok, result.errors
    stored = dict(MemberAssessment.objects.values_list("member__card_number", "score"))
    assert stored == {cell_members[0].card_number: Decimal("92.5"), cell_members[1].card_number: Decimal("75")}


def test_a_scored_year_refuses_a_level_without_score_at_its_row_and_keeps_nothing(
    tree, cell_members, officer, tmp_path
):
    rows = [
        HEADER,
        [cell_members[0].card_number, 2025, "BS-DONG-Y-01", "good", "80", "", ""],
        [cell_members[1].card_number, 2025, "BS-DONG-Y-01", "good", "", "", ""],
        [cell_members[2].card_number, 2025, "BS-DONG-Y-01", "good", "abc", "4", "5"],
    ]
    result = csv_imported(tmp_path, "member_ratings", rows, user=officer)
    assert errors(result) == [(3, "score"), (4, "score")]
    assert [e.message for e in result.errors] == [
        "Năm 2025 xếp loại theo điểm (Quy định 366-QĐ/TW): mức xếp loại cần có điểm.",
        "Điểm phải là một số, ví dụ 85,5.",
    ]
    assert not MemberAssessment.objects.exists()


def test_task_figures_that_do_not_add_up_are_refused_at_their_column(tree, officer, tmp_path):
    rows = [
        ["organization_code", "year", "level", "score", "tasks_assigned", "tasks_on_time", "tasks_late"],
        ["BS-DONG-Y", 2025, "good", "80", "5", "4", "2"],
    ]
    result = csv_imported(tmp_path, "unit_ratings", rows, user=officer)
    assert errors(result) == [(2, "tasks_on_time")]
    assert not UnitAssessment.objects.exists()


def test_years_before_2025_import_as_before_without_score_columns(tree, cell_members, officer, tmp_path):
    rows = [
        ["card_number", "year", "organization_code", "level"],
        [cell_members[0].card_number, 2017, "BS-DONG-Y-01", "good"],
    ]
    assert csv_imported(tmp_path, "member_ratings", rows, user=officer).ok


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_scored_ratings_export_and_import_back_unchanged(tree, cell_members, tmp_path, suffix):
    MemberAssessment.objects.create(
        member=cell_members[0],
        year=2025,
        organization=tree["BS-DONG-Y-01"],
        level=level("qd366-2025", "member", "good"),
        score=Decimal("85.5"),
        self_score=Decimal("88.25"),
        tasks_assigned=12,
        tasks_on_time=12,
        tasks_exceeded=2,
        tasks_late=0,
    )
    UnitAssessment.objects.create(
        organization=tree["BS-DONG-Y"],
        year=2025,
        level=level("qd366-2025", "unit", "completed"),
        score=Decimal("91"),
        below_score_reason="Tập thể bị khiển trách.",
    )
    fields = ("score", "self_score", "tasks_assigned", "tasks_on_time", "tasks_exceeded", "tasks_late")
    before = list(MemberAssessment.objects.values_list(*fields)), list(UnitAssessment.objects.values_list("score"))
    for data_type in ("member_ratings", "unit_ratings"):
        path = tmp_path / f"{data_type}.{suffix}"
        assert data_export(data_type, str(path)) == 1
        result = file_imported(path, data_type)
        assert result.ok, result.errors[:3]
        assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert before == (
        list(MemberAssessment.objects.values_list(*fields)),
        list(UnitAssessment.objects.values_list("score")),
    )
    assert UnitAssessment.objects.get().below_score_reason == "Tập thể bị khiển trách."
