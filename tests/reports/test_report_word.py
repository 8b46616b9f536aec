"""Editable Word files of the results report and the decision: opened with python-docx, their figures read back;
text that looks like a formula is kept as text; `results_report CODE YEAR FILE.docx` writes one."""

import io

from django.core.management import call_command
from django.utils import translation
from docx import Document

from assessments.models import Membership, Organization
from assessments.reports import build as reports
from assessments.reports import wordfiles
from tests.factories import MemberAssessmentFactory, MemberFactory, UnitAssessmentFactory, level


def _texts(content: bytes) -> tuple[str, list[list[str]]]:
    document = Document(io.BytesIO(content))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    cells = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    return paragraphs, cells


def _rated(tree):
    UnitAssessmentFactory(
        organization=tree["BS-DONG-Y"], year=2017, level=level("hd27-2014", "unit", "clean_strong"), exemplary=True
    )
    UnitAssessmentFactory(organization=tree["BS-NHAT-TIEN"], year=2017, level=level("hd27-2014", "unit", "completed"))
    cell = tree["BS-DONG-Y-01"]
    for code in ("excellent", "good", "good"):
        member = MemberFactory(organization=cell)
        Membership.objects.create(member=member, organization=cell, start="2010-01-01")
        MemberAssessmentFactory(member=member, organization=cell, year=2017, level=level("hd27-2014", "member", code))


def test_report_docx_reads_back_its_figures(tree):
    _rated(tree)
    with translation.override("vi"):
        report = reports.report_build(organization=tree["BS"], year=2017)
        paragraphs, cells = _texts(wordfiles.report_docx(report, number="15", signer_name="Nguyễn Hữu Bình"))
    assert "BÁO CÁO" in paragraphs and "phân loại" in paragraphs
    assert "Tổng số tổ chức đảng trực thuộc: 2; đã xếp loại: 2; chưa xếp loại: 0." in paragraphs
    assert "- Trong sạch, vững mạnh: 1 (50,0%)" in paragraphs
    assert "Tổng số đảng viên trong danh sách ngày 31 tháng 12: 3; được đánh giá, phân loại: 3" in paragraphs
    flat = [text for row in cells for text in row]
    assert "Số 15-BC/HU" in "\n".join(flat) and "Nguyễn Hữu Bình" in "\n".join(flat)
    annex = [row for row in cells if row[1] == "Đảng bộ xã Đồng Ý"]
    assert annex and annex[0][3:] == ["Trong sạch, vững mạnh", "3", "3"]


def test_decision_docx_lists_the_units_and_keeps_formula_like_names_as_text(tree):
    _rated(tree)
    Organization.objects.filter(pk=tree["BS-NHAT-TIEN"].pk).update(name='=HYPERLINK("http://x")')
    with translation.override("vi"):
        report = reports.report_build(organization=tree["BS"], year=2017)
        paragraphs, cells = _texts(wordfiles.decision_docx(report, number="42"))
    assert "QUYẾT ĐỊNH" in paragraphs and "2/2 tổ chức đảng" in paragraphs
    flat = [text for row in cells for text in row]
    assert "Số 42-QĐ/HU" in "\n".join(flat)
    names = [row[1] for row in cells if row and row[0].isdigit()]
    assert "Đảng bộ xã Đồng Ý" in names and '\'=HYPERLINK("http://x")' in names
    assert not any(text.startswith("=") for text in flat)


def test_results_report_command_writes_a_docx(tree, tmp_path):
    _rated(tree)
    target = tmp_path / "bao-cao-2017.docx"
    call_command("results_report", "BS", "2017", str(target), "--number", "7")
    paragraphs, cells = _texts(target.read_bytes())
    assert "Số 7-BC/HU" in "\n".join(text for row in cells for text in row)
    assert "đã xếp loại: 2" in paragraphs


def test_formula_like_names_and_reasons_stay_text_in_the_lists_of_the_xlsx_and_the_word_file(tree):
    import datetime

    from openpyxl import load_workbook

    from assessments.models import RuleOverride, Submission, YearCycle
    from assessments.reports import renderers as report_renderers

    _rated(tree)
    Organization.objects.filter(pk=tree["BS-DONG-Y"].pk).update(name='=HYPERLINK("http://x")')
    cell = tree["BS-NHAT-TIEN-01"]
    member = MemberFactory(organization=cell, full_name="=1+2")
    Membership.objects.create(member=member, organization=cell, start="2010-01-01")
    for year in (2016, 2017):
        MemberAssessmentFactory(
            member=member, organization=cell, year=year, level=level("hd27-2014", "member", "not_completed")
        )
    cycle = YearCycle.objects.create(
        organization=tree["BS"], year=2017, scheme=level("hd27-2014", "unit", "good").scheme,
        deadline=datetime.date(2017, 12, 20),
    )  # fmt: skip
    Submission.objects.create(
        cycle=cycle, organization=tree["BS-NHAT-TIEN"], status="final", override_reason="@SUM(A1)"
    )
    RuleOverride.objects.create(organization=tree["BS-NHAT-TIEN"], year=2017, rule="member_cap_20", reason="-2+3")
    with translation.override("vi"):
        report = reports.report_build(organization=tree["BS"], year=2017)
        workbook = load_workbook(io.BytesIO(report_renderers.report_xlsx(report)))
        paragraphs, cells = _texts(wordfiles.report_docx(report))
    sheets = [
        "Tiêu biểu năm 2017",
        "Không hoàn thành 2 năm liền",
        "Chốt khi chưa đạt kiểm tra",
        "Vượt kiểm tra quy định",
    ]
    values = {
        title: [c for row in workbook[title].iter_rows() for c in row if isinstance(c.value, str)] for title in sheets
    }
    assert '\'=HYPERLINK("http://x")' in [c.value for c in values["Tiêu biểu năm 2017"]]
    assert "'=1+2" in [c.value for c in values["Không hoàn thành 2 năm liền"]]
    assert "'@SUM(A1)" in [c.value for c in values["Chốt khi chưa đạt kiểm tra"]]
    assert "'-2+3" in [c.value for c in values["Vượt kiểm tra quy định"]]
    for found in values.values():
        assert all(c.data_type == "s" and not c.value.startswith(("=", "+", "-", "@")) for c in found)
    flat = [text for row in cells for text in row]
    assert {'\'=HYPERLINK("http://x")', "'=1+2", "'@SUM(A1)", "'-2+3"} <= set(flat)
    assert not any(text.startswith(("=", "+", "@")) or text.startswith("-2") for text in flat)


def test_the_lists_cost_the_same_few_queries_in_the_xlsx_and_the_word_file_however_many_rows(
    tree, django_assert_max_num_queries
):
    from assessments.reports import renderers as report_renderers

    _rated(tree)
    for code in ("BS-DONG-Y-01", "BS-DONG-Y-02", "BS-NHAT-TIEN-01"):
        UnitAssessmentFactory(
            organization=tree[code], year=2017, level=level("hd27-2014", "unit", "clean_strong"), exemplary=True
        )
    with translation.override("vi"):
        report = reports.report_build(organization=tree["BS"], year=2017)
        # The five lists of reports.lists and the regulation overrides: six queries, whatever the rows.
        with django_assert_max_num_queries(6):
            workbook = report_renderers.report_xlsx(report)
        # The Word file's header also reads the issuer's ancestors (one query).
        with django_assert_max_num_queries(7):
            _paragraphs, cells = _texts(wordfiles.report_docx(report))
    assert workbook[:2] == b"PK"
    listed = {row[1] for row in cells if row[1:2] and row[1].startswith("BS-")}
    assert listed == {"BS-DONG-Y", "BS-DONG-Y-01", "BS-DONG-Y-02", "BS-NHAT-TIEN-01"}
