"""Streaming readers for CSV (UTF-8, UTF-8 with BOM, Windows-1258) and XLSX files; the upload checks they rely on
live in assessments.common.uploads and are re-exported here for the importer."""

import codecs
import contextlib
import csv
import datetime
import io
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import IO, Any

from django.utils.translation import gettext as _

from assessments.common.uploads import CSV, XLSX, FileRejected, file_check, file_kind, limit
from assessments.common.vocabulary import number_text

__all__ = ["CSV", "XLSX", "FileRejected", "Table", "cell_clean", "file_check", "file_kind", "limit", "text_clean"]

# The apostrophe the exporter puts before text that a spreadsheet would run as a formula (OWASP CSV injection).
FORMULA_START = re.compile(r"^'+[=+\-@\t\r\n\0]")  # \n: XLSX turns an escaped CR into LF
_CHUNK = 1024 * 1024
# The widest sheet the importer reads: every format has under 20 columns; IV is where Excel 2003 sheets ended.
MAX_COLUMNS = 256
# The fewest bytes of sheet XML one row with a value takes (<row r="9"><c r="A9"><v>1</v></c></row>).
_MIN_ROW_BYTES = 30
# How far down the header row may be, below title rows (see columns.HEADER_SEARCH_ROWS).
HEADER_SEARCH_ROWS = 10


def text_clean(value: str) -> str:
    """NFC (Windows-1258 writes tones as combining marks), trim, and undo the exporter's formula escape."""
    value = unicodedata.normalize("NFC", value)
    if value.startswith("'") and FORMULA_START.match(value):
        return value[1:]  # escaped text is exact, leading tab or CR included
    return value.strip()


def cell_clean(value: Any) -> Any:
    """A cell as the forms expect it: text, or a date for XLSX date cells; blanks become ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return text_clean(str(value))


class Table:
    """A header and a stream of (row number as the spreadsheet shows it, cells) for one file; never all in memory.

    Work follows the cells a file holds, never the size it declares: an XLSX sheet's <dimension ref> is ignored,
    rows the file skips cost nothing, no row is read past MAX_COLUMNS, and blank rows count against
    IMPORT_MAX_BLANK_ROWS as data rows count against IMPORT_MAX_ROWS.
    """

    def __init__(self, handle: IO[bytes], kind: str, header_score: Callable[[list], int] | None = None):
        self.handle = handle
        self.kind = kind
        # Scores a row as the header: given, the header is the first of the first rows scoring 2 or more (title
        # rows above it are skipped); else, or when none does, row 1 is the header.
        self.header_score = header_score
        self._workbook = None
        self._source: Iterator[tuple[int, list]] | None = None
        self._generator = None
        self._rows: Iterator[tuple[int, list]] | None = None
        self._header_row = 1
        self.header: list[str] = []

    def __enter__(self) -> "Table":
        self._source = self._generator = self._xlsx_rows() if self.kind == XLSX else self._csv_rows()
        head = list(itertools.islice(self._source, HEADER_SEARCH_ROWS)) if self.header_score else []
        found = next((i for i, (_n, cells) in enumerate(head) if self.header_score(cells) >= 2), None)
        if found is not None:
            self._header_row, cells = head[found]
            self.header = ["" if cell == "" else str(cell) for cell in cells]
            self._rows = itertools.chain(head[found + 1 :], self._source)
            return self
        self._source = itertools.chain(head, self._source) if head else self._source
        first = next(self._source, None)
        if first is None:
            raise FileRejected(_("Tệp không có dòng tiêu đề."))
        if first[0] == 1:
            self.header = ["" if cell == "" else str(cell) for cell in first[1]]
            self._rows = self._source
        else:
            # Row 1 is the header even when a sheet leaves it out: then it is blank, and this row is data.
            self._rows = itertools.chain([first], self._source)
        return self

    def __exit__(self, *exc) -> None:
        if self._generator is not None:
            self._generator.close()
        if self._workbook is not None:
            self._workbook.close()

    @property
    def header_row(self) -> int:
        """The header's row number as the spreadsheet shows it (1 unless title rows come first)."""
        return self._header_row

    def rows(self) -> Iterator[tuple[int, list]]:
        """Data rows after the header; blank rows are skipped and counted; stops at IMPORT_MAX_ROWS data rows or
        IMPORT_MAX_BLANK_ROWS blank ones."""
        max_rows = limit("IMPORT_MAX_ROWS", 200_000)
        max_blank = limit("IMPORT_MAX_BLANK_ROWS", 100_000)
        count = blank = 0
        previous = self._header_row
        for number, cells in self._rows:
            # Rows an XLSX sheet leaves out are blank too; they are counted, not read one by one.
            blank += max(number - previous - 1, 0)
            previous = number
            empty = all(cell == "" for cell in cells)
            blank += empty
            if blank > max_blank:
                raise FileRejected(
                    _(
                        "Tệp có quá nhiều dòng trống (hơn %(max)s dòng, tính đến dòng %(row)s): hãy xóa các dòng "
                        "trống hoặc định dạng thừa bên dưới bảng."
                    )
                    % {"max": number_text(max_blank), "row": number}
                )
            if empty:
                continue
            count += 1
            if count > max_rows:
                limit_text = number_text(max_rows)
                raise FileRejected(_("Tệp có quá nhiều dòng: giới hạn là %(max)s dòng dữ liệu.") % {"max": limit_text})
            yield number, cells

    # --- CSV ---

    def _csv_encoding(self) -> str:
        handle = self.handle
        start = handle.read(4)
        handle.seek(0)
        if start.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise FileRejected(_("Tệp CSV mã UTF-16 không được hỗ trợ: hãy lưu thành “CSV UTF-8”."))
        # Try UTF-8 over the whole file in chunks (constant memory); Excel on Vietnamese Windows writes cp1258.
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := handle.read(_CHUNK):
                if b"\0" in chunk:
                    raise FileRejected(_("Nội dung tệp không phải là văn bản CSV (tên tệp có đuôi .csv)."))
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "utf-8"
        except UnicodeDecodeError:
            pass
        finally:
            handle.seek(0)
        decoder = codecs.getincrementaldecoder("cp1258")()
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            raise FileRejected(
                _("Không đọc được bảng mã của tệp CSV: hãy lưu thành “CSV UTF-8” hoặc Windows-1258.")
            ) from error
        finally:
            handle.seek(0)
        return "cp1258"

    def _csv_rows(self) -> Iterator[tuple[int, list]]:
        encoding = self._csv_encoding()
        text = io.TextIOWrapper(self.handle, encoding=encoding, newline="")
        first_line = text.readline()
        # Header cells are codes or titles, which contain neither separator: whichever appears is the delimiter.
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        text.seek(0)
        reader = csv.reader(text, delimiter=delimiter)
        try:
            # Excel shows one spreadsheet row per record, even when a quoted cell spans several lines.
            for number, record in enumerate(reader, start=1):
                if len(record) > MAX_COLUMNS:
                    far = next((i for i in range(len(record) - 1, MAX_COLUMNS - 1, -1) if record[i].strip()), None)
                    if far is not None:
                        raise _beyond_columns(number, far + 1)
                    record = record[:MAX_COLUMNS]
                yield number, [text_clean(cell) for cell in record]
        except csv.Error as error:
            raise FileRejected(_("Tệp CSV sai cấu trúc: %(error)s") % {"error": error}) from error
        finally:
            with contextlib.suppress(ValueError):
                text.detach()  # leave the caller's file open

    # --- XLSX ---

    def _xlsx_rows(self) -> Iterator[tuple[int, list]]:
        import openpyxl

        try:
            # read_only streams rows; data_only gives the cached values of formula cells.
            self._workbook = openpyxl.load_workbook(self.handle, read_only=True, data_only=True)
            previous = 0
            for number, present in _sheet_rows_present(self._workbook.worksheets[0]):
                if number <= previous:
                    continue  # out of order: skipped, as openpyxl's own reader does
                previous = number
                yield number, _xlsx_cells(number, present)
        except FileRejected:
            raise
        except Exception as error:  # openpyxl raises many kinds of errors on a damaged workbook
            raise FileRejected(_("Tệp .xlsx bị hỏng, không đọc được.")) from error

    def xlsx_rows_estimate(self) -> int:
        """Data rows the first sheet may hold: its declared height, never more than its XML could contain."""
        sheet = self._workbook.worksheets[0]
        size = self._workbook._archive.getinfo(sheet._worksheet_path).file_size
        return min(max((sheet.max_row or 1) - 1, 0), size // _MIN_ROW_BYTES)


def _column_letter(number: int) -> str:
    """Spreadsheet letters of a 1-based column number, at any width (openpyxl's stop at XFD)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _beyond_columns(row: int, column: int) -> FileRejected:
    return FileRejected(
        _("Ô %(cell)s có dữ liệu ngoài vùng đọc: tệp nhập chỉ được dùng tới cột %(last)s.")
        % {"cell": f"{_column_letter(column)}{row}", "last": _column_letter(MAX_COLUMNS)}
    )


def _sheet_rows_present(sheet) -> Iterator[tuple[int, list[dict]]]:
    """(row number, the cells the sheet file holds in it), as the XML has them: nothing padded, nothing invented.

    openpyxl's iter_rows pads every row to the width of the sheet's <dimension ref> and yields each missing row
    up to its height: a 1.7 KB file declaring A1:XFD20000 meant 327 million cells. This runs the same parser
    that iter_rows runs (ReadOnlyWorksheet._cells_by_row, openpyxl 3.1), without that padding.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    workbook = sheet.parent
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=workbook.data_only,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        yield from parser.parse()


def _xlsx_cells(number: int, present: list[dict]) -> list:
    """The row's values up to its last cell holding one; a value past MAX_COLUMNS refuses the file."""
    width = 0
    for cell in present:
        if cell["value"] is not None and cell["column"] > width:
            width = cell["column"]
    if width > MAX_COLUMNS:
        raise _beyond_columns(number, width)
    cells: list = [""] * width
    for cell in present:
        if cell["value"] is not None and cell["column"] <= width:
            cells[cell["column"] - 1] = cell_clean(cell["value"])
    return cells
