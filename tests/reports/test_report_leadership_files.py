"""Issue 16 in the report's files: the XLSX and the Word file carry the leadership collectives and leaders by level,
read back with openpyxl and python-docx and compared with a direct count; a year without leadership ratings gives the
same files as before."""

import io

import pytest
from django.utils import translation
from docx import Document
from openpyxl import load_workbook

from assessments.models import Collective, CollectiveKind, CollectiveRating, LeaderRating, Position, Title
from assessments.reports import build as reports
from assessments.reports import renderers as report_renderers
from assessments.reports import wordfiles
from assessments.summaries.recompute import summaries_recompute_year
from tests.factories import UnitAssessmentFactory, level
from tests.leadership.helpers import collective, collective_rated, leader, leader_rated
from tests.reports.pdf_layout import tables_past_the_page

pytestmark = pytest.mark.django_db

SHEET = "Lãnh đạo, quản lý"
EXCELLENT, GOOD = "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ"
HEADING = "Tập thể, cá nhân lãnh đạo, quản lý theo mức xếp loại"


@pytest.fixture
def led(tree):
    """2025: in each commune three collectives (two rated good, one not rated), each with a secretary; the secretaries
    of Đồng Ý excellent, those of Nhất Tiến good but the last, not rated."""
    kinds = list(CollectiveKind)
    for commune, leader_level in ((tree["BS-DONG-Y"], "excellent"), (tree["BS-NHAT-TIEN"], "good")):
        for i in range(3):
            group = collective(commune, kind=kinds[i], code=f"{commune.code}-T{i}")
            collective_rated(group, 2025, "good" if i < 2 else None)
            leader_rated(leader(group, title=Title.SECRETARY), group, 2025, leader_level if i < 2 else None)
    summaries_recompute_year(year=2025)
    return tree


def _counted(organization, year: int) -> dict:
    """The collectives and leaders of the subtree on 31 December counted straight from their rows."""
    inside = {"collective__organization__path__startswith": organization.path}
    collectives = Collective.objects.for_year(year).filter(organization__path__startswith=organization.path)
    leaders = set(Position.objects.for_year(year).filter(**inside).values_list("member_id", "collective_id"))
    collective_rows = CollectiveRating.objects.filter(**inside, year=year, period="", level__isnull=False)
    leader_rows = LeaderRating.objects.filter(**inside, year=year, period="", level__isnull=False)
    return {
        "collectives": {
            "total": collectives.count(),
            "rated": collective_rows.count(),
            **{code: collective_rows.filter(level__code=code).count() for code in ("excellent", "good")},
        },
        "leaders": {
            "total": len(leaders),
            "rated": leader_rows.count(),
            **{code: leader_rows.filter(level__code=code).count() for code in ("excellent", "good")},
        },
    }


def _report(organization, year: int):
    with translation.override("vi"):
        return reports.report_build(organization=organization, year=year)


def _xlsx(report):
    with translation.override("vi"):
        return load_workbook(io.BytesIO(report_renderers.report_xlsx(report)))


def _docx(report) -> tuple[list[str], list[list[list[str]]]]:
    with translation.override("vi"):
        document = Document(io.BytesIO(wordfiles.report_docx(report, number="15")))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return paragraphs, tables


def _sections(ws) -> dict[str, dict[str, tuple]]:
    """The sheet's sections (a merged label row) and under each its lines: label -> (count, share)."""
    sections: dict[str, dict[str, tuple]] = {}
    current = None
    for label, count, share in ws.iter_rows(min_row=6, max_col=3, values_only=True):
        if label is None:
            continue
        if count is None and share is None:
            current = sections.setdefault(label, {})
        else:
            current[label] = (count, share)
    return sections


@pytest.mark.parametrize("code", ["BS", "BS-DONG-Y"])
def test_the_xlsx_counts_collectives_and_leaders_by_level_as_numbers(led, code):
    organization = led[code]
    counted = _counted(organization, 2025)
    ws = _xlsx(_report(organization, 2025))[SHEET]
    sections = _sections(ws)
    for label, key in (("Tập thể lãnh đạo, quản lý", "collectives"), ("Cá nhân lãnh đạo, quản lý", "leaders")):
        lines, expected = sections[label], counted[key]
        assert lines["Tổng số"][0] == expected["total"]
        assert lines["Đã xếp loại"][0] == expected["rated"]
        assert lines["Chưa xếp loại"][0] == expected["total"] - expected["rated"]
        # The levels of QĐ 366: counts as integers, shares of the rated as fractions formatted as percentages.
        assert lines[GOOD] == (expected["good"], expected["good"] / expected["rated"])
        assert lines[EXCELLENT] == (expected["excellent"], expected["excellent"] / expected["rated"])
    assert counted["collectives"]["total"] == (6 if code == "BS" else 3)
    share_cell = next(row[2] for row in ws.iter_rows(min_row=6, max_col=3) if row[0].value == GOOD)
    assert share_cell.number_format == "0.0%" and share_cell.data_type == "n"
    assert ws.cell(1, 1).value.startswith("TẬP THỂ, CÁ NHÂN LÃNH ĐẠO, QUẢN LÝ THEO MỨC XẾP LOẠI NĂM 2025")


def test_the_docx_counts_collectives_and_leaders_by_level(led):
    counted = _counted(led["BS"], 2025)
    paragraphs, tables = _docx(_report(led["BS"], 2025))
    assert HEADING in paragraphs
    for label, key in (("Tập thể lãnh đạo, quản lý", "collectives"), ("Cá nhân lãnh đạo, quản lý", "leaders")):
        table = next(t for t in tables if t[0][0] == label)
        lines = {row[0]: row[1:] for row in table[1:]}
        expected = counted[key]
        assert lines["Tổng số"] == [str(expected["total"]), ""]
        assert lines["Đã xếp loại"] == [str(expected["rated"]), ""]
        assert lines["Chưa xếp loại"][0] == str(expected["total"] - expected["rated"])
        assert lines[GOOD][0] == str(expected["good"]) and lines[EXCELLENT][0] == str(expected["excellent"])
    # Leaders: 2 excellent and 2 good of the 4 rated, in Vietnamese number format.
    leaders = next(t for t in tables if t[0][0] == "Cá nhân lãnh đạo, quản lý")
    assert [EXCELLENT, "2", "50,0%"] in leaders and [GOOD, "2", "50,0%"] in leaders


def _cells(workbook) -> dict[str, list[tuple]]:
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}


def test_a_year_without_leadership_ratings_gives_the_same_files_as_before(tree):
    """2017 is rated but its collectives (standing since 2015) have no rating: neither file gets the tables, and both
    read the same as the report without any leadership figures."""
    UnitAssessmentFactory(organization=tree["BS-DONG-Y"], year=2017, level=level("hd27-2014", "unit", "completed"))
    leader(collective(tree["BS-DONG-Y"]), title=Title.SECRETARY)
    summaries_recompute_year(year=2017)
    report = _report(tree["BS"], 2017)
    assert report.leadership  # the page still shows the collectives, all not rated
    workbook = _xlsx(report)
    assert SHEET not in workbook.sheetnames
    paragraphs, tables = _docx(report)
    assert HEADING not in paragraphs
    report.leadership = []  # the report as it was before issue 16
    assert _cells(_xlsx(report)) == _cells(workbook)
    assert _docx(report) == (paragraphs, tables)


def test_every_table_of_the_pdf_fits_the_a4_page(led):
    """The leadership table repeats its column headings inside the body: they took the row headers' 32 mm each, and
    seven columns passed the A4 width by about 72 mm, the last one cut off."""
    assert tables_past_the_page(_report(led["BS"], 2025)) == []
