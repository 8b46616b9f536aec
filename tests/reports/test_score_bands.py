"""Issue 15: for a scored year the dashboard and the results report (page, XLSX, PDF, DOCX) show how many units and
members have a score in each level's band, and the annex each unit's score; other years show none of it."""

import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from assessments.models import MemberAssessment, RatingScheme, UnitAssessment
from assessments.reports import build as reports
from assessments.reports import renderers
from assessments.selectors import score_bands
from assessments.services import member_assessment_save
from assessments.summaries.recompute import summaries_recompute_year
from tests.factories import MemberFactory, level

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(tree):
    """2025: Đồng Ý 85,5 (good), Nhất Tiến 92 (excellent); members of Đồng Ý's first cell across the bands."""
    UnitAssessment.objects.create(
        organization=tree["BS-DONG-Y"], year=2025, level=level("qd366-2025", "unit", "good"), score=Decimal("85.5")
    )
    UnitAssessment.objects.create(
        organization=tree["BS-NHAT-TIEN"], year=2025, level=level("qd366-2025", "unit", "excellent"), score=92
    )
    for score, code in (("95", "excellent"), ("90", "excellent"), ("89.5", "good"), ("70", "good"), ("49", "good")):
        MemberAssessment.objects.create(
            member=MemberFactory(organization=tree["BS-DONG-Y-01"]),
            year=2025,
            organization=tree["BS-DONG-Y-01"],
            level=level("qd366-2025", "member", code),
            score=Decimal(score),
            below_score_reason="",
        )
    return tree


def _counts(bands, subject):
    return [(band.level.code, band.band, band.count) for band in bands[subject]]


def test_scores_are_counted_in_the_band_they_fall_in(scored):
    bands = score_bands(organization=scored["BS"], year=2025, scheme=RatingScheme.for_year(2025))
    assert _counts(bands, "units") == [
        ("excellent", "từ 90", 1),
        ("good", "70 đến dưới 90", 1),
        ("completed", "50 đến dưới 70", 0),
        ("not_completed", "dưới 50", 0),
    ]
    assert [count for _c, _b, count in _counts(bands, "members")] == [2, 2, 0, 1]
    assert score_bands(organization=scored["BS"], year=2017, scheme=RatingScheme.for_year(2017)) is None


def test_the_dashboard_shows_the_bands_of_a_scored_year_only(client, officer, scored):
    client.force_login(officer)
    page = client.get("/", {"year": 2025}).content.decode()
    assert "Phân bố điểm theo khung xếp loại" in page and "70 đến dưới 90" in page
    assert "Phân bố điểm" not in client.get("/", {"year": 2017}).content.decode()


def test_the_band_counts_take_a_fixed_number_of_queries(scored, django_assert_num_queries):
    for i in range(20):
        MemberAssessment.objects.create(
            member=MemberFactory(organization=scored["BS-NHAT-TIEN-01"]),
            year=2025,
            organization=scored["BS-NHAT-TIEN-01"],
            level=level("qd366-2025", "member", "good"),
            score=70 + i,
        )
    scheme = RatingScheme.for_year(2025)
    with django_assert_num_queries(4):  # the scheme's levels, the summary's version, units, members
        score_bands(organization=scored["BS"], year=2025, scheme=scheme)


def test_the_bands_are_counted_once_per_version_of_the_summary(scored, officer, django_assert_num_queries):
    # Read again by every officer, the bands are counted once until something below the organization changes: the
    # change bumps the summary's version, and the next read counts again.
    summaries_recompute_year(year=2025)
    scheme = RatingScheme.for_year(2025)
    first = score_bands(organization=scored["BS"], year=2025, scheme=scheme)
    with django_assert_num_queries(2):  # the scheme's levels and the summary's version, no count
        assert score_bands(organization=scored["BS"], year=2025, scheme=scheme) == first
    member = MemberFactory(organization=scored["BS-NHAT-TIEN-01"])
    rating = MemberAssessment(
        member=member, year=2025, organization=scored["BS-NHAT-TIEN-01"],
        level=level("qd366-2025", "member", "completed"), score=Decimal("60"),
    )  # fmt: skip
    member_assessment_save(assessment=rating, actor=officer)
    again = score_bands(organization=scored["BS"], year=2025, scheme=scheme)
    assert [count for _c, _b, count in _counts(again, "members")] == [2, 2, 1, 1]
    # A quarter is counted apart from its year.
    quarter = score_bands(organization=scored["BS"], year=2025, period="Q1")
    assert [count for _c, _b, count in _counts(quarter, "members")] == [0, 0, 0, 0]


def test_the_report_page_xlsx_pdf_and_docx_show_bands_and_each_units_score(scored):
    report = reports.report_build(organization=scored["BS"], year=2025)
    html = renderers.report_html(report)
    assert "Phân bố điểm theo khung xếp loại" in html and "85,5" in html
    sheet = load_workbook(io.BytesIO(renderers.report_xlsx(report)))["Phân bố điểm"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows() if row[0].value in ("Hoàn thành tốt nhiệm vụ",)]
    assert rows and rows[0][1:4] == ["70 đến dưới 90", 1, 2]
    annex = load_workbook(io.BytesIO(renderers.report_xlsx(report)))["Phụ lục đơn vị"]
    assert 85.5 in [cell.value for row in annex.iter_rows() for cell in row]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(renderers.report_pdf(report))).pages)
    assert "Phân bố điểm" in text and "85,5" in text
    with zipfile.ZipFile(io.BytesIO(renderers.report_docx(report))) as docx:
        body = docx.read("word/document.xml").decode()
    assert "Phân bố điểm theo khung xếp loại" in body and "85,5" in body


def test_a_year_without_scores_has_no_band_table_nor_score_column(tree):
    report = reports.report_build(organization=tree["BS"], year=2017)
    assert report.score_bands is None
    assert "Phân bố điểm" not in renderers.report_html(report)
    assert "Phân bố điểm" not in load_workbook(io.BytesIO(renderers.report_xlsx(report))).sheetnames
