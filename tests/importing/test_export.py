"""Export: the import format, scoped, escaped against formula injection, and importing back unchanged."""

import csv

import pytest
from openpyxl import load_workbook

from assessments.importing.exporting import cell_escape, data_export
from assessments.models import MemberAssessment, Organization, UnitAssessment
from tests.factories import MemberAssessmentFactory, UnitAssessmentFactory, level
from tests.importfiles import file_imported

pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def rated(members, tree):
    """Ratings of 2017 with awkward text: formulas, tabs, quotes, Vietnamese."""
    for i, m in enumerate(members):
        MemberAssessmentFactory(
            member=m,
            year=2017,
            level=level("hd27-2014", "member", "good") if i % 3 else None,
            not_rated_reason="" if i % 3 else "exempt",
            note=["=1+1", "+84 912", "-", "@x", "\tA", "Tốt", "\r"][i % 7],
        )
    UnitAssessmentFactory(
        organization=tree["BS-DONG-Y"],
        year=2017,
        level=level("hd27-2014", "unit", "clean_strong"),
        exemplary=True,
        decision_ref="=CMD|'/C calc'!A0",
        note='nói "tốt"; tiếp, tục',
    )
    UnitAssessmentFactory(organization=tree["BS-DONG-Y-01"], year=2017, self_level=level("hd27-2014", "unit", "good"))
    return members


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
@pytest.mark.parametrize("data_type", ["organizations", "members", "unit_ratings", "member_ratings"])
def test_export_imports_back_unchanged(rated, tmp_path, data_type, suffix):
    path = tmp_path / f"{data_type}.{suffix}"
    count = data_export(data_type, str(path))
    assert count > 0
    snapshot = list(MemberAssessment.objects.values_list("note", "level_id", "not_rated_reason").order_by("pk"))
    units = list(UnitAssessment.objects.values_list("decision_ref", "note", "exemplary").order_by("pk"))
    result = file_imported(path, data_type)
    assert result.ok, result.errors[:3]
    assert (result.created, result.updated, result.unchanged) == (0, 0, count)
    assert snapshot == list(MemberAssessment.objects.values_list("note", "level_id", "not_rated_reason").order_by("pk"))
    assert units == list(UnitAssessment.objects.values_list("decision_ref", "note", "exemplary").order_by("pk"))


def test_text_that_would_run_as_a_formula_is_escaped_in_csv(rated, tmp_path):
    path = tmp_path / "r.csv"
    data_export("member_ratings", str(path))
    with open(path, encoding="utf-8-sig", newline="") as handle:
        notes = [row["note"] for row in csv.DictReader(handle)]
    assert "'=1+1" in notes and "'+84 912" in notes and "'@x" in notes and "'\tA" in notes and "'-" in notes
    assert all(not note.startswith(("=", "+", "-", "@", "\t", "\r")) for note in notes)
    assert "Tốt" in notes


def test_text_that_would_run_as_a_formula_is_escaped_in_xlsx(rated, tmp_path):
    path = tmp_path / "u.xlsx"
    data_export("unit_ratings", str(path))
    sheet = load_workbook(path).worksheets[0]
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'=CMD|'/C calc'!A0" in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_escape_is_reversible_even_for_leading_apostrophes():
    assert cell_escape("=A1") == "'=A1"
    assert cell_escape("'=A1") == "''=A1"
    assert cell_escape("Đồng Ý") == "Đồng Ý" and cell_escape(5) == 5


def test_export_scope_by_organization_and_year(rated, tree, tmp_path):
    path = tmp_path / "o.csv"
    data_export("organizations", str(path), organization=tree["BS-DONG-Y"])
    codes = [line.split(",")[0] for line in path.read_text(encoding="utf-8-sig").splitlines()[1:]]
    assert codes == ["BS-DONG-Y", "BS-DONG-Y-01", "BS-DONG-Y-02"]
    data_export("organizations", str(path), year=2017)
    assert "BS-CU" not in path.read_text(encoding="utf-8-sig")
    assert Organization.objects.filter(code="BS-CU").exists()
