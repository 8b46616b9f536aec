"""The `period` column of unit and member ratings (issue 15): blank is the year, Q1–Q4 or "Quý I".."Quý IV" in any
case or without diacritics a quarter; errors name file, row and column; exports carry it back."""

from io import StringIO

import pytest
from django.core.management import call_command

from assessments.importing.exporting import data_export
from assessments.models import MemberAssessment, UnitAssessment
from assessments.services import year_results_finalize
from tests.factories import UnitAssessmentFactory, level
from tests.importfiles import file_imported, write_csv, write_xlsx

pytestmark = pytest.mark.usefixtures("media")


def test_quarters_are_read_from_codes_and_vietnamese_labels_beside_the_year(tree, tmp_path):
    path = write_xlsx(
        tmp_path,
        [
            ["organization_code", "year", "level", "Kỳ đánh giá"],
            ["BS-DONG-Y", 2017, "clean_strong", ""],
            ["BS-DONG-Y", 2017, "good", "Q1"],
            ["BS-DONG-Y", 2017, "completed", "quý ii"],
            ["BS-DONG-Y", 2017, "weak", "Quy III"],
            ["BS-DONG-Y", 2017, "good", "q4"],
        ],
    )
    result = file_imported(path, "unit_ratings")
    assert result.ok, result.errors
    rows = dict(UnitAssessment.objects.filter(organization=tree["BS-DONG-Y"]).values_list("period", "level__code"))
    assert rows == {"": "clean_strong", "Q1": "good", "Q2": "completed", "Q3": "weak", "Q4": "good"}


def test_a_file_without_the_column_writes_the_year_and_leaves_quarters_alone(members, tmp_path):
    member = members[0]
    header = ["card_number", "year", "organization_code", "level", "period"]
    first = write_csv(tmp_path, [header, [member.card_number, 2017, member.organization.code, "good", "Q2"]])
    assert file_imported(first, "member_ratings").ok
    old_format = write_csv(
        tmp_path, [header[:4], [member.card_number, 2017, member.organization.code, "excellent"]], name="old.csv"
    )
    result = file_imported(old_format, "member_ratings")
    assert result.ok and result.created == 1  # a new yearly row, not an update of the quarter's
    assert dict(MemberAssessment.objects.filter(member=member).values_list("period", "level__code")) == {
        "Q2": "good",
        "": "excellent",
    }


def test_a_bad_period_names_file_row_and_column_and_writes_nothing(tree, tmp_path):
    path = write_csv(
        tmp_path,
        [["organization_code", "year", "level", "period"], ["BS-DONG-Y", 2017, "good", "Q1"], ["BS-NHAT-TIEN", 2017,
         "good", "Q5"]],
    )  # fmt: skip
    err = StringIO()
    with pytest.raises(SystemExit) as stop:
        call_command("import_data", "unit_ratings", str(path), stderr=err, stdout=StringIO())
    assert stop.value.code == 1
    line = err.getvalue().splitlines()[0]
    assert line.startswith(f"{path}:3:period: “Q5” không phải giá trị hợp lệ")
    assert "Quý I" in line and "Quý IV" in line
    assert not UnitAssessment.objects.exists()


def test_the_same_unit_twice_in_one_quarter_is_a_duplicate_but_not_in_two(tree, tmp_path):
    header = ["organization_code", "year", "level", "period"]
    path = write_csv(
        tmp_path,
        [header, ["BS-DONG-Y", 2017, "good", "Q1"], ["BS-DONG-Y", 2017, "good", "Q2"],
         ["BS-DONG-Y", 2017, "completed", "Quý I"]],
    )  # fmt: skip
    result = file_imported(path, "unit_ratings")
    assert [(e.row, e.column) for e in result.errors] == [(4, "organization_code")]
    assert "Trùng với dòng 2" in result.errors[0].message


def test_a_quarter_cannot_be_exemplary(tree, tmp_path):
    path = write_csv(
        tmp_path,
        [
            ["organization_code", "year", "level", "exemplary", "period"],
            ["BS-DONG-Y", 2017, "clean_strong", "có", "Q3"],
        ],
    )
    result = file_imported(path, "unit_ratings")
    assert [(e.row, e.column) for e in result.errors] == [(2, "exemplary")]
    assert "không xét theo quý" in result.errors[0].message


def test_quarters_are_recorded_after_the_year_is_final(tree, officer, tmp_path):
    """The yearly cycle decides the year only: a finalized year still takes its quarters' results."""
    UnitAssessmentFactory(organization=tree["BS-DONG-Y"], year=2017, level=level("hd27-2014", "unit", "good"))
    year_results_finalize(organizations=[tree["BS-DONG-Y"]], year=2017, actor=officer)
    header = ["organization_code", "year", "level", "period"]
    yearly = write_csv(tmp_path, [header, ["BS-DONG-Y", 2017, "completed", ""]], name="year.csv")
    quarter = write_csv(tmp_path, [header, ["BS-DONG-Y", 2017, "completed", "Q4"]], name="q4.csv")
    assert not file_imported(yearly, "unit_ratings", user=officer).ok  # the year is closed
    result = file_imported(quarter, "unit_ratings", user=officer)
    assert result.ok and result.created == 1


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_quarters_export_and_import_back_unchanged(members, tree, tmp_path, suffix):
    header = ["card_number", "year", "organization_code", "level", "period"]
    rows = [header]
    for i, member in enumerate(members[:4]):
        rows.append([member.card_number, 2017, member.organization.code, "good", ["", "Q1", "Q2", "Q4"][i]])
        rows.append([member.card_number, 2017, member.organization.code, "excellent", "Q3"])
    assert file_imported(write_csv(tmp_path, rows), "member_ratings").ok
    path = tmp_path / f"export.{suffix}"
    assert data_export("member_ratings", str(path)) == 8
    MemberAssessment.objects.filter(period="Q3").update(level=level("hd27-2014", "member", "completed"))

    result = file_imported(path, "member_ratings")
    assert result.ok, result.errors[:3]
    assert (result.created, result.updated, result.unchanged) == (0, 4, 4)  # the Q3 rows put back, the rest as is
    assert set(MemberAssessment.objects.values_list("period", flat=True)) == {"", "Q1", "Q2", "Q3", "Q4"}
    assert set(MemberAssessment.objects.filter(period="Q3").values_list("level__code", flat=True)) == {"excellent"}
