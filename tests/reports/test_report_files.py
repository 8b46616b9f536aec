"""The report's files: XLSX read back with openpyxl, PDF text read back with pypdf, and the results_report command."""

import io
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook
from pypdf import PdfReader

from assessments.models import Organization
from assessments.reports import build as reports
from assessments.reports import renderers as report_renderers
from tests.conftest import demo_rolled_back
from tests.factories import UnitAssessmentFactory, level
from tests.reports.pdf_layout import tables_past_the_page


@pytest.fixture(scope="module")
def files(django_db_setup, django_db_blocker):
    """The demo district's 2017 and 2018 reports as files, rendered once in a transaction that is rolled back."""
    out = {}
    with demo_rolled_back(django_db_blocker) as bs:
        for year in (2017, 2018):
            report = reports.report_build(organization=bs, year=year)
            out[year] = report
            out[f"xlsx_{year}"] = load_workbook(io.BytesIO(report_renderers.report_xlsx(report)))
            out[f"past_{year}"] = tables_past_the_page(report)
        pdf = report_renderers.report_pdf(
            out[2017], number="15", signer_post="Phó Bí thư Thường trực", signer_name="Hoàng Văn Lãnh"
        )
        out["pdf_2017"] = PdfReader(io.BytesIO(pdf))
        dong_y = Organization.objects.get(code="BS-DONG-Y")
        out["dong_y_header"] = report_renderers.document_header(organization=dong_y)
    return out


def _pdf_text(reader: PdfReader) -> list[str]:
    return [unicodedata.normalize("NFC", page.extract_text() or "") for page in reader.pages]


# --- XLSX ------------------------------------------------------------------------------------------------------------


def _find_row(ws, label: str) -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == label:
            return row[0].row
    raise AssertionError(f"no row {label!r}")


def test_xlsx_counts_are_numbers_and_shares_are_percent_formatted(files):
    ws = files["xlsx_2017"]["Tổ chức đảng"]
    total = _find_row(ws, "Tổng cộng")
    # Columns: label, total, rated, not rated, then count / % of all / % of rated per level (clean_strong first).
    assert [ws.cell(total, c).value for c in (2, 3, 4, 5)] == [55, 55, 0, 33]
    assert all(isinstance(ws.cell(total, c).value, int) for c in (2, 3, 4, 5))
    share = ws.cell(total, 6)
    assert share.value == pytest.approx(0.6) and share.number_format == "0.0%"
    assert ws.cell(total, 7).number_format == "0.0%"
    assert ws.cell(total, 2).number_format == "#,##0"
    assert ws.cell(total, 1).font.bold


def test_xlsx_has_a_merged_title_a_two_row_header_and_states_the_denominators(files):
    ws = files["xlsx_2017"]["Tổ chức đảng"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:Q1" in merged  # title across all 17 columns
    assert "E4:G4" in merged  # "Trong sạch, vững mạnh" over its three columns
    assert ws["A1"].value == "KẾT QUẢ XẾP LOẠI TỔ CHỨC ĐẢNG TRỰC THUỘC NĂM 2017 – ĐẢNG BỘ HUYỆN BẮC SƠN"
    assert ws["A1"].font.bold and ws["E4"].font.bold and ws["E4"].fill.fgColor.rgb.endswith("F2DCDB")
    assert (ws["E4"].value, ws["E5"].value, ws["F5"].value, ws["G5"].value) == (
        "Trong sạch, vững mạnh",
        "Số lượng",
        "% trên tổng số",
        "% trên số đã xếp loại",
    )
    assert "tổng số đơn vị (55)" in ws["A2"].value and "được xếp loại (55)" in ws["A2"].value


def test_xlsx_freezes_the_header_and_prints_on_landscape_a4(files):
    for ws in files["xlsx_2017"].worksheets:
        assert ws.freeze_panes == "B6"
        assert ws.print_title_rows == "$4:$5"
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and int(ws.page_setup.fitToWidth) == 1


def test_xlsx_members_sheet_gives_good_or_better_over_rated_members(files):
    ws = files["xlsx_2017"]["Đảng viên"]
    total = _find_row(ws, "Tổng cộng")
    header = [ws.cell(5, c).value for c in range(1, ws.max_column + 1)]
    groups = [ws.cell(4, c).value for c in range(1, ws.max_column + 1)]
    column = groups.index("Tốt trở lên") + 2  # its percentage column, 1-based
    assert header[column - 1] == "% trên số được xếp loại"
    assert ws.cell(total, column).value == pytest.approx(0.85)
    assert ws.cell(total, column).number_format == "0.0%"
    assert ws.cell(total, 3).value == files[2017].members_total.rated


def test_xlsx_comparison_sheet_names_both_schemes_levels(files):
    ws = files["xlsx_2018"]["So sánh"]
    assert "Hướng dẫn 27-HD/BTCTW" in ws["A2"].value and "Quy định 132-QĐ/TW" in ws["A2"].value
    assert "hd27-2014" not in ws["A2"].value  # named as cited, not by code
    row = _find_row(ws, "Tổ chức đảng: mức cao nhất")
    assert ws.cell(row, 2).value == "Trong sạch, vững mạnh"
    assert ws.cell(row, 6).value == "Hoàn thành xuất sắc nhiệm vụ"
    assert (ws.cell(row, 3).value, ws.cell(row, 4).value, ws.cell(row, 7).value) == (33, 55, 7)
    # Two schemes' top levels are never subtracted (issue 17); "good or better" is.
    assert ws.cell(row, 10).value == "không so sánh (khác quy định)"
    difference = ws.cell(_find_row(ws, "Tổ chức đảng: tốt trở lên"), 10)
    assert isinstance(difference.value, int | float)
    assert difference.number_format == report_renderers.POINTS_FORMAT


def test_xlsx_lists_weak_units(files):
    ws = files["xlsx_2017"]["Danh sách"]
    names = [ws.cell(r, 3).value for r in range(6, ws.max_row + 1)]
    assert "Đảng bộ xã Hữu Vĩnh" in names


def test_xlsx_text_that_looks_like_a_formula_is_kept_as_text():
    assert report_renderers.safe_cell_text("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert report_renderers.safe_cell_text("Đảng bộ xã Đồng Ý") == "Đảng bộ xã Đồng Ý"


# --- PDF -------------------------------------------------------------------------------------------------------------


def test_pdf_has_the_party_document_header(files):
    first = _pdf_text(files["pdf_2017"])[0]
    for line in ("ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG BỘ TỈNH LẠNG SƠN", "HUYỆN ỦY BẮC SƠN", "Số 15-BC/HU", "BÁO CÁO"):
        assert line in first
    assert "Bắc Sơn, ngày" in first


def test_pdf_closes_with_recipients_and_the_signature_block(files):
    text = "\n".join(_pdf_text(files["pdf_2017"]))
    assert "Nơi nhận:" in text and "Tỉnh ủy Lạng Sơn (b/c)" in text and "Lưu Văn phòng Huyện ủy Bắc Sơn" in text
    assert "T/M BAN THƯỜNG VỤ" in text and "PHÓ BÍ THƯ THƯỜNG TRỰC" in text and "Hoàng Văn Lãnh" in text


def test_pdf_text_keeps_vietnamese_diacritics_and_the_figures(files):
    text = "\n".join(_pdf_text(files["pdf_2017"]))
    for phrase in ("Kết quả đánh giá, xếp loại", "Trong sạch, vững mạnh", "Hoàn thành tốt nhiệm vụ", "Đảng viên"):
        assert phrase in text
    assert "33/55" in text and "60,0%" in text
    assert "85,0%" in text
    assert "Đảng bộ xã Hữu Vĩnh" in text  # the weak unit, by name


def test_pdf_is_a4_with_page_numbers_and_an_embedded_font_with_vietnamese_glyphs(files):
    reader = files["pdf_2017"]
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)
    landscape = [p for p in reader.pages if float(p.mediabox.width) > float(p.mediabox.height)]
    assert landscape, "the annex tables are on landscape A4 pages"
    texts = _pdf_text(reader)
    assert len(texts) >= 3
    assert str(1) not in {texts[0].strip().splitlines()[0], texts[0].strip().splitlines()[-1]}
    for number, text in enumerate(texts[1:], start=2):
        lines = text.strip().splitlines()
        assert str(number) in (lines[0], lines[-1])  # the margin box's text comes first or last
    fonts = {
        str(font.get_object()["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()
    }
    assert any("DejaVu" in name for name in fonts)


@pytest.mark.parametrize("year", [2017, 2018])
def test_every_table_of_the_pdf_fits_the_a4_page(files, year):
    """2018 compares with 2017 under another regulation: the difference reads "không so sánh (khác quy định)", and
    kept on one line with the counts it passed the A4 width by 13 mm."""
    assert files[f"past_{year}"] == []


def test_document_header_of_a_commune(files):
    header = files["dong_y_header"]
    assert header["issuing_body"] == "ĐẢNG ỦY XÃ ĐỒNG Ý"
    assert header["parent_body"] == "ĐẢNG BỘ HUYỆN BẮC SƠN"
    assert header["number"] == "Số …-BC/ĐU"
    assert header["place"] == "Đồng Ý"
    assert header["signature_for"] == "T/M ĐẢNG ỦY"
    assert header["recipient_lines"] == ["Huyện ủy Bắc Sơn (b/c),", "Lưu Văn phòng Đảng ủy xã Đồng Ý."]


def test_document_date_pads_the_day_and_the_first_two_months():
    import datetime

    assert report_renderers.document_date(datetime.date(2017, 5, 4)) == "ngày 04 tháng 5 năm 2017"
    assert report_renderers.document_date(datetime.date(2018, 1, 12)) == "ngày 12 tháng 01 năm 2018"


def test_pdf_fetcher_refuses_anything_but_static_files():
    fetcher = report_renderers._fetcher()
    response = fetcher.fetch(report_renderers.BASE_URL + settings.STATIC_URL.lstrip("/") + "css/report-document.css")
    assert b"@page" in response.read()
    for url in (
        "https://example.org/x.css",
        "file:///etc/passwd",
        report_renderers.BASE_URL + "static/../bacson/settings.py",
        report_renderers.BASE_URL + "media/x.png",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


# --- the command -----------------------------------------------------------------------------------------------------


@pytest.fixture
def rated_tree(tree):
    UnitAssessmentFactory(organization=tree["BS-DONG-Y"], year=2017, level=level("hd27-2014", "unit", "clean_strong"))
    UnitAssessmentFactory(organization=tree["BS-NHAT-TIEN"], year=2017, level=level("hd27-2014", "unit", "good"))
    return tree


@pytest.mark.django_db
@pytest.mark.parametrize("extension", ["html", "xlsx", "pdf"])
def test_command_writes_the_format_named_by_the_extension(rated_tree, tmp_path, extension):
    target = tmp_path / f"bao-cao.{extension}"
    call_command("results_report", "BS", "2017", str(target), stdout=io.StringIO())
    content = target.read_bytes()
    if extension == "pdf":
        assert content.startswith(b"%PDF")
    elif extension == "xlsx":
        assert load_workbook(io.BytesIO(content))["Tổ chức đảng"]["A1"].value.endswith("ĐẢNG BỘ HUYỆN BẮC SƠN")
    else:
        html = content.decode()
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in html and "<style>" in html  # a standalone file carries its CSS
        assert "1/2" in html
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left behind


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "year", "message"),
    [("XX", "2017", "Không có tổ chức đảng mã “XX”"), ("BS", "2010", "chưa có quy định"), ("BS", "20x7", "4 chữ số")],
)
def test_command_refuses_unknown_code_or_year_with_exit_1(rated_tree, tmp_path, code, year, message):
    target = tmp_path / "r.pdf"
    with pytest.raises(CommandError, match=message) as error:
        call_command("results_report", code, year, str(target))
    assert error.value.returncode == 1
    assert not target.exists()


@pytest.mark.django_db
def test_command_refuses_a_year_with_no_results_with_exit_1(rated_tree, tmp_path):
    with pytest.raises(CommandError, match="chưa có kết quả") as error:
        call_command("results_report", "BS", "2019", str(tmp_path / "r.xlsx"))
    assert error.value.returncode == 1


@pytest.mark.django_db
def test_command_refuses_an_unknown_extension_with_exit_2(rated_tree, tmp_path):
    # .docx is written since issue 17; another extension is still refused with exit 2.
    with pytest.raises(CommandError, match=r"\.odt") as error:
        call_command("results_report", "BS", "2017", str(tmp_path / "r.odt"))
    assert error.value.returncode == 2


def test_command_exit_status_from_the_shell(tmp_path):
    """Scheduled runs read the exit status: 2 for an unknown extension (checked before the database is touched)."""
    manage = Path(settings.BASE_DIR) / "manage.py"
    result = subprocess.run(
        [sys.executable, str(manage), "results_report", "BS", "2017", str(tmp_path / "r.txt")],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "bacson.settings_test", "HOME": str(tmp_path)},
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 2
    assert ".txt" in result.stderr
