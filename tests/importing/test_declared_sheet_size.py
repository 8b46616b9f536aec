"""Spreadsheets whose declared size, blank rows or stray far cells would make the reader work for minutes: the work
follows the cells actually present, and every such file ends quickly (importer, import_data, upload page)."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from assessments.importing import FileRejected, data_import, readers
from assessments.models import ImportRecord, Member
from tests.importfiles import csv_bytes

pytestmark = pytest.mark.usefixtures("media")

MEMBERS = ["card_number", "full_name", "organization_code", "status"]
SHEET = "xl/worksheets/sheet1.xml"
# Far more cells than these small files hold, far fewer than the millions a declared size used to cost.
CELL_BUDGET = 5000


class TooMuchWork(BaseException):
    """Raised past the budget; a BaseException so that the reader's own error handling cannot swallow it."""


@pytest.fixture(autouse=True)
def cell_budget(monkeypatch):
    """Count the cells the reader cleans: the work a file causes, measured without any clock."""
    calls = {"n": 0}
    clean = readers.cell_clean

    def counted(value):
        calls["n"] += 1
        if calls["n"] > CELL_BUDGET:
            raise TooMuchWork(f"the reader cleaned more than {CELL_BUDGET} cells")
        return clean(value)

    monkeypatch.setattr(readers, "cell_clean", counted)
    return calls


def xlsx_with(cells: dict[str, object], *, dimension: str | None = None, sheet_rows: str = "") -> bytes:
    """A workbook holding these cells ({"A1": value}); optionally a forged <dimension ref> and raw <row> elements
    added at the end of the sheet data, as a hand-made or hostile file would have them."""
    workbook = Workbook()
    sheet = workbook.active
    for coordinate, value in cells.items():
        sheet[coordinate] = value
    out = io.BytesIO()
    workbook.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == SHEET:
                text = data.decode()
                if dimension:
                    text = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dimension}"/>', text)
                if sheet_rows:
                    text = text.replace("</sheetData>", f"{sheet_rows}</sheetData>")
                data = text.encode()
            target.writestr(entry, data)
    return result.getvalue()


def header_and_far_cell(row: int, dimension: str) -> bytes:
    """The file of the report: a header, one cell far down, and a declared size of every column."""
    return xlsx_with({**{f"{'ABCD'[i]}1": code for i, code in enumerate(MEMBERS)}, f"A{row}": "x"}, dimension=dimension)


def run(data: bytes, name: str = "m.xlsx", data_type: str = "members"):
    return data_import(data_type=data_type, handle=io.BytesIO(data), name=name)


def test_declared_width_and_height_are_not_read_cell_by_cell(tree, cell_budget):
    result = run(header_and_far_cell(20000, "A1:XFD20000"))
    # The one row present is read and judged; the 16,384 declared columns and 19,998 blank rows cost nothing.
    assert result.rows == 1
    assert {error.row for error in result.errors} == {20000}
    assert cell_budget["n"] < 100
    assert Member.objects.count() == 0


def test_a_row_declared_a_million_rows_down_is_refused_for_its_blank_rows(tree, cell_budget):
    with pytest.raises(FileRejected, match="dòng trống"):
        run(header_and_far_cell(1048576, "A1:XFD1048576"))
    assert cell_budget["n"] < 100


def test_blank_rows_present_in_the_file_count_against_their_cap(tree, settings):
    settings.IMPORT_MAX_BLANK_ROWS = 100
    blank = "".join(f'<row r="{n}"/>' for n in range(2, 300))
    with pytest.raises(FileRejected, match="100"):
        run(xlsx_with({f"{'ABCD'[i]}1": code for i, code in enumerate(MEMBERS)}, sheet_rows=blank))
    with pytest.raises(FileRejected, match="dòng trống"):
        run(csv_bytes([MEMBERS] + [[]] * 150 + [["1", "Nông Văn A", "BS-DONG-Y-01", "official"]]), "m.csv")


def test_blank_rows_under_the_cap_are_skipped_as_before(members, settings):
    settings.IMPORT_MAX_BLANK_ROWS = 100
    row = ["9001", "Nông Văn Mới", "BS-DONG-Y-01", "official"]
    result = run(csv_bytes([MEMBERS] + [[]] * 50 + [row]), "m.csv")
    assert (result.error_count, result.created) == (0, 1)


def test_a_cell_beyond_the_widest_readable_column_is_refused_quickly(tree, cell_budget):
    header = {f"{'ABCD'[i]}1": code for i, code in enumerate(MEMBERS)}
    with pytest.raises(FileRejected, match="XFD2"):
        run(xlsx_with({**header, "XFD2": "x"}))
    with pytest.raises(FileRejected, match="cột"):
        run(xlsx_with({**header, "XFD1": "ghi chú"}))
    wide = ",".join([""] * 100_000)
    with pytest.raises(FileRejected, match="cột"):
        run(("card_number,full_name,organization_code,status\n" + wide + ",x\n").encode(), "m.csv")
    assert cell_budget["n"] < 100


def test_data_just_right_of_the_header_is_still_reported(tree):
    header = {f"{'ABCD'[i]}1": code for i, code in enumerate(MEMBERS)}
    row = {"A2": "1", "B2": "Nông Văn A", "C2": "BS-DONG-Y-01", "D2": "official", "G2": "?"}
    result = run(xlsx_with({**header, **row}))
    assert [(e.row, e.column) for e in result.errors] == [(2, "G")]
    assert "không có tiêu đề" in result.errors[0].message


def test_import_data_command_ends_with_exit_one_and_the_row(tree, tmp_path):
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(header_and_far_cell(20000, "A1:XFD20000"))
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import_data", "members", str(path), stdout=io.StringIO(), stderr=err)
    assert exit_.value.code == 1
    assert f"{path}:20000:" in err.getvalue()


def test_import_data_command_refuses_a_million_declared_rows_with_a_message(tree, tmp_path):
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(header_and_far_cell(1048576, "A1:XFD1048576"))
    with pytest.raises(CommandError) as error:
        call_command("import_data", "members", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    # Exit 2 as for every unsafe or over-limit file (docs/import-formats.md), with the reason.
    assert error.value.returncode == 2 and "dòng trống" in str(error.value)


def test_upload_page_and_errors_file_end_quickly(client, tree, secretary_dong_y, cell_budget):
    client.force_login(secretary_dong_y)
    content = header_and_far_cell(20000, "A1:XFD20000")
    response = client.post(
        reverse("assessments:import_upload"),
        {"data_type": "members", "file": SimpleUploadedFile("hostile.xlsx", content)},
    )
    record = ImportRecord.objects.get()
    assert response.status_code == 302
    # The declared 20,000 rows are not trusted as an estimate beyond what the sheet could hold.
    assert record.status == ImportRecord.Status.FAILED and record.rows == 1
    assert record.errors and {row for row, _column, _message in record.errors} == {20000}
    download = client.get(reverse("assessments:import_errors", args=[record.pk]))
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True).worksheets[0]
    rows = [row for row in sheet.iter_rows(values_only=True) if any(v not in (None, "") for v in row)]
    assert len(rows) == 2 and rows[1][0] == "x"
    assert cell_budget["n"] < 200
