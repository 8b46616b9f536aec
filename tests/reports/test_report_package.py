"""The year's results package on the demo district: the standing board's decision with its list (Đồng Ý, Nhất
Tiến), and the lists that go with it (exemplary units, members excellent five years running, members not
completing their tasks two years running, results finalized past a failed check)."""

import datetime
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from assessments.models import (
    Member,
    MemberAssessment,
    Organization,
    RatingLevel,
    Submission,
    UnitAssessment,
    YearCycle,
)
from assessments.reports import build as reports
from assessments.reports import decision as report_decision
from assessments.reports import renderers as report_renderers
from assessments.reports import wordfiles
from assessments.reports.lists import result_lists
from tests.conftest import demo_rolled_back

# The module's data is loaded once by a module fixture; marking the tests makes pytest-django create the test
# database even when this file runs alone.
pytestmark = pytest.mark.django_db


def _member_level(year: int, *, top: bool):
    scheme = "hd27-2014" if year <= 2017 else "qd132-2018"
    flag = {"is_top": True} if top else {"is_lowest": True}
    return RatingLevel.objects.get(scheme__code=scheme, subject="member", **flag)


@pytest.fixture(scope="module")
def package(django_db_setup, django_db_blocker):
    out = {}
    with demo_rolled_back(django_db_blocker) as bs:
        dong_y, nhat_tien = Organization.objects.get(code="BS-DONG-Y"), Organization.objects.get(code="BS-NHAT-TIEN")
        # A Đồng Ý member at the top level 2014–2018, and a Nhất Tiến member at the lowest level 2016 and 2017.
        star = Member.objects.filter(organization__path__startswith=dong_y.path, assessments__year=2018).first()
        for year in range(2014, 2019):
            MemberAssessment.objects.update_or_create(
                member=star,
                year=year,
                defaults={"organization": star.organization, "level": _member_level(year, top=True)},
            )
        weak = Member.objects.filter(organization__path__startswith=nhat_tien.path, assessments__year=2017).first()
        for year in (2016, 2017):
            MemberAssessment.objects.update_or_create(
                member=weak,
                year=year,
                defaults={
                    "organization": weak.organization,
                    "level": _member_level(year, top=False),
                    "not_rated_reason": "",
                },
            )
        # Nhất Tiến's 2017 result was finalized past a failed check, with the reason recorded.
        cycle, _new = YearCycle.objects.get_or_create(
            organization=bs, year=2017,
            defaults={"scheme": _member_level(2017, top=True).scheme, "deadline": datetime.date(2017, 12, 20)},
        )  # fmt: skip
        Submission.objects.filter(cycle__organization=bs, cycle__year=2017).update(override_reason="")
        Submission.objects.update_or_create(
            cycle=cycle,
            organization=nhat_tien,
            defaults={"status": "final", "override_reason": "Ban Thường vụ đã xem xét =1+1"},
        )
        report_2017 = reports.report_build(organization=bs, year=2017)
        out["report_2017"] = report_2017
        out["decision_html"] = report_decision.decision_html(report_2017)
        out["decision_pdf"] = report_decision.decision_pdf(report_2017, signer_name="Nguyễn Hữu Bình")
        out["xlsx_2017"] = load_workbook(io.BytesIO(report_renderers.report_xlsx(report_2017)))
        out["docx_2017"] = Document(io.BytesIO(wordfiles.report_docx(report_2017)))
        out["decision_docx"] = Document(io.BytesIO(wordfiles.decision_docx(report_2017)))
        out["units_2017"] = Organization.objects.filter(parent=bs).for_year(2017).count()
        out["lists_2017"] = result_lists(organization=bs, year=2017)
        out["lists_2018"] = result_lists(organization=bs, year=2018)
        out["exemplary_2017"] = set(
            UnitAssessment.objects.filter(year=2017, exemplary=True, organization__parent=bs).values_list(
                "organization__code", flat=True
            )
        )
        out["star"], out["weak"] = star.card_number, weak.card_number
    return out


def test_decision_recognizes_the_units_with_their_list(package):
    html = package["decision_html"]
    assert "QUYẾT ĐỊNH" in html and "ĐẢNG CỘNG SẢN VIỆT NAM" in html
    assert "Số 768-QĐ/HU" in html  # the number recorded with the year's results
    assert "BAN THƯỜNG VỤ HUYỆN ỦY BẮC SƠN" in html
    assert "55/55 tổ chức đảng trực thuộc" in html and "phân loại" in html
    rows = html.split('class="table table-sm table-bordered report-table decision-table"')[1].split("<tbody>")[1]
    assert rows.count("<tr>") == 55
    dong_y = rows.split("Đảng bộ xã Đồng Ý")[1].split("</tr>")[0]
    nhat_tien = rows.split("Đảng bộ xã Nhất Tiến")[1].split("</tr>")[0]
    assert "Trong sạch, vững mạnh" in dong_y
    assert "<td>Hoàn thành nhiệm vụ</td>" in nhat_tien.replace("\n", "")
    assert package["decision_pdf"][:5] == b"%PDF-"


def test_lists_on_the_demo(package):
    lists = package["lists_2017"]
    assert {u.code for u in lists.exemplary if u.parent.code == "BS"} == package["exemplary_2017"]
    assert lists.exemplary_running == []  # the demo's results start in 2016
    assert [m.card_number for m in lists.not_completed_running] == [package["weak"]]
    assert lists.not_completed_running[0].unit_name.startswith("Chi bộ")
    assert package["star"] in [m.card_number for m in package["lists_2018"].excellent_running]
    assert package["star"] not in [m.card_number for m in lists.excellent_running]  # four years by 2017
    [override] = lists.overrides
    assert (override.unit_name, override.reason) == ("Đảng bộ xã Nhất Tiến", "Ban Thường vụ đã xem xét =1+1")
    assert override.level_label == "Hoàn thành nhiệm vụ"


# --- the same on the demo, in the files ---------------------------------------------------------------------------


def _sheet_rows(workbook, title: str) -> list[tuple]:
    """The body rows of a report sheet (those numbered in the first column)."""
    return [row for row in workbook[title].iter_rows(values_only=True) if isinstance(row[0], int)]


def _docx_table(document, first_headers: list[str]) -> list[list[str]]:
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows and rows[0][: len(first_headers)] == first_headers:
            return rows[1:]
    raise AssertionError(f"no table headed {first_headers}")


def test_the_annex_has_one_row_per_unit_of_the_year_in_the_report_and_every_file(package):
    units = package["units_2017"]
    assert units == 55
    assert len(package["report_2017"].unit_annex) == units
    assert len(_sheet_rows(package["xlsx_2017"], "Phụ lục đơn vị")) == units
    annex = _docx_table(package["docx_2017"], ["STT", "Tổ chức đảng", "Tự đánh giá", "Cấp ủy quyết định"])
    assert len(annex) == units
    listed = _docx_table(package["decision_docx"], ["STT", "Tổ chức đảng", "Loại", "Tự đánh giá"])
    assert len(listed) == units


def test_the_decisions_word_file_on_the_demo_recognizes_dong_y_and_nhat_tien(package):
    document = package["decision_docx"]
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert "Điều 1. Công nhận kết quả đánh giá, phân loại chất lượng năm 2017 của 55/55 tổ chức đảng" in paragraphs
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Số 768-QĐ/HU" in cells and "BAN THƯỜNG VỤ" in cells
    listed = {row[1]: row for row in _docx_table(document, ["STT", "Tổ chức đảng", "Loại", "Tự đánh giá"])}
    assert listed["Đảng bộ xã Đồng Ý"][4] == "Trong sạch, vững mạnh"
    assert listed["Đảng bộ xã Nhất Tiến"][4] == "Hoàn thành nhiệm vụ"


def test_the_lists_on_the_demo_are_in_the_xlsx_and_the_word_file(package):
    workbook, lists = package["xlsx_2017"], package["lists_2017"]
    exemplary = _sheet_rows(workbook, "Tiêu biểu năm 2017")
    assert [row[1] for row in exemplary] == [unit.code for unit in lists.exemplary]
    assert _sheet_rows(workbook, "Tiêu biểu 5 năm liền") == []
    [weak] = _sheet_rows(workbook, "Không hoàn thành 2 năm liền")
    assert weak[2] == package["weak"] and weak[3].startswith("Chi bộ")
    [finalized] = _sheet_rows(workbook, "Chốt khi chưa đạt kiểm tra")
    assert finalized[1:4] == ("Đảng bộ xã Nhất Tiến", "Hoàn thành nhiệm vụ", "Ban Thường vụ đã xem xét =1+1")
    assert "Vượt kiểm tra quy định" in workbook.sheetnames and "Xuất sắc 5 năm liền" in workbook.sheetnames
    document = package["docx_2017"]
    paragraphs = [p.text for p in document.paragraphs]
    assert "DANH SÁCH KÈM THEO" in paragraphs
    assert "Đảng viên không hoàn thành nhiệm vụ 2 năm liền (đề nghị cấp ủy xem xét)" in paragraphs
    [weak_row] = _docx_table(document, ["STT", "Họ và tên", "Số thẻ đảng viên"])[-1:]
    assert weak_row[2] == package["weak"]
    finalized_rows = _docx_table(document, ["STT", "Tổ chức đảng", "Xếp loại", "Lý do"])
    assert [row[1:4] for row in finalized_rows] == [
        ["Đảng bộ xã Nhất Tiến", "Hoàn thành nhiệm vụ", "Ban Thường vụ đã xem xét =1+1"]
    ]
    exemplary_rows = _docx_table(document, ["STT", "Mã", "Tổ chức đảng", "Trực thuộc"])
    assert [row[1] for row in exemplary_rows] == [unit.code for unit in lists.exemplary]
