"""Upload safety checks and streaming readers for CSV (UTF-8, UTF-8 with BOM, Windows-1258) and XLSX files."""

import codecs
import contextlib
import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from typing import IO, Any

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

CSV, XLSX = "csv", "xlsx"
# The apostrophe the exporter puts before text that a spreadsheet would run as a formula (OWASP CSV injection).
FORMULA_START = re.compile(r"^'+[=+\-@\t\r\n\0]")  # \n: XLSX turns an escaped CR into LF
_CHUNK = 1024 * 1024


class FileRejected(Exception):
    """The file as a whole cannot be read: wrong kind, unsafe, too big, unreadable. Nothing was imported."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def file_kind(name: str) -> str:
    """The kind promised by the file name; the content is checked against it separately."""
    lowered = (name or "").lower()
    if lowered.endswith(".csv"):
        return CSV
    if lowered.endswith(".xlsx"):
        return XLSX
    if lowered.endswith((".xlsm", ".xltm", ".xlam")):
        raise FileRejected(_("Tệp Excel có macro (.xlsm) không được chấp nhận: hãy lưu thành .xlsx."))
    if lowered.endswith(".xls"):
        raise FileRejected(_("Định dạng Excel cũ (.xls) không được hỗ trợ: hãy lưu thành .xlsx hoặc .csv."))
    raise FileRejected(_("Chỉ nhận tệp .csv hoặc .xlsx."))


def _size(handle: IO[bytes]) -> int:
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    return size


def file_check(handle: IO[bytes], name: str) -> str:
    """Check size, content and (for XLSX) the zip structure before any parser sees the file; return its kind."""
    kind = file_kind(name)
    size = _size(handle)
    max_bytes = limit("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
    if size > max_bytes:
        raise FileRejected(
            _("Tệp quá lớn (%(size)s byte); giới hạn là %(max)s byte.") % {"size": size, "max": max_bytes}
        )
    if size == 0:
        raise FileRejected(_("Tệp rỗng."))
    head = handle.read(8192)
    handle.seek(0)
    guessed = filetype.guess(head)
    if kind == XLSX:
        if guessed is None or guessed.extension not in ("xlsx", "zip"):
            raise FileRejected(_("Nội dung tệp không phải là bảng tính .xlsx (tên tệp có đuôi .xlsx)."))
        _zip_check(handle)
    else:
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise FileRejected(_("Tệp CSV mã UTF-16 không được hỗ trợ: hãy lưu thành “CSV UTF-8”."))
        if guessed is not None or b"\0" in head:
            raise FileRejected(_("Nội dung tệp không phải là văn bản CSV (tên tệp có đuôi .csv)."))
    return kind


def _zip_check(handle: IO[bytes]) -> None:
    """Refuse decompression bombs and macro workbooks by reading only the zip directory."""
    try:
        with zipfile.ZipFile(handle) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise FileRejected(_("Tệp .xlsx bị hỏng, không đọc được.")) from error
    finally:
        handle.seek(0)
    max_entries = limit("IMPORT_XLSX_MAX_ENTRIES", 500)
    if len(entries) > max_entries:
        raise FileRejected(_("Tệp .xlsx có quá nhiều thành phần (%(n)s).") % {"n": len(entries)})
    names = {entry.filename for entry in entries}
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise FileRejected(_("Tệp Excel có macro không được chấp nhận: hãy lưu thành .xlsx không có macro."))
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise FileRejected(_("Nội dung tệp không phải là bảng tính .xlsx."))
    total = sum(entry.file_size for entry in entries)
    max_total = limit("IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
    if total > max_total:
        raise FileRejected(
            _("Tệp .xlsx khi giải nén quá lớn (%(total)s byte; giới hạn %(max)s byte).")
            % {"total": total, "max": max_total}
        )
    max_ratio = limit("IMPORT_XLSX_MAX_RATIO", 100)
    for entry in entries:
        # Tiny entries compress oddly well without harm; only judge entries of some size.
        if entry.file_size > 1024 * 1024 and entry.file_size > max_ratio * max(entry.compress_size, 1):
            raise FileRejected(
                _("Tệp .xlsx có thành phần nén bất thường (%(name)s, tỉ lệ nén trên %(ratio)s lần).")
                % {"name": entry.filename, "ratio": max_ratio}
            )
    with zipfile.ZipFile(handle) as archive:
        content_types = archive.read("[Content_Types].xml")[:200_000]
    handle.seek(0)
    if b"macroEnabled" in content_types:
        raise FileRejected(_("Tệp Excel có macro không được chấp nhận: hãy lưu thành .xlsx không có macro."))


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
    """A header and a stream of (row number as the spreadsheet shows it, cells) for one file; never all in memory."""

    def __init__(self, handle: IO[bytes], kind: str):
        self.handle = handle
        self.kind = kind
        self._workbook = None
        self._rows: Iterator[tuple[int, list]] | None = None
        self.header: list[str] = []

    def __enter__(self) -> "Table":
        self._rows = self._xlsx_rows() if self.kind == XLSX else self._csv_rows()
        first = next(self._rows, None)
        if first is None:
            raise FileRejected(_("Tệp không có dòng tiêu đề."))
        self.header = ["" if cell == "" else str(cell) for cell in first[1]]
        return self

    def __exit__(self, *exc) -> None:
        if self._rows is not None:
            self._rows.close()
        if self._workbook is not None:
            self._workbook.close()

    def rows(self) -> Iterator[tuple[int, list]]:
        """Data rows after the header; rows with no value at all are skipped; stops at IMPORT_MAX_ROWS."""
        max_rows = limit("IMPORT_MAX_ROWS", 200_000)
        count = 0
        for number, cells in self._rows:
            if all(cell == "" for cell in cells):
                continue
            count += 1
            if count > max_rows:
                raise FileRejected(_("Tệp có quá nhiều dòng: giới hạn là %(max)s dòng dữ liệu.") % {"max": max_rows})
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
            sheet = self._workbook.worksheets[0]
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [cell_clean(cell) for cell in row]
        except FileRejected:
            raise
        except Exception as error:  # openpyxl raises many kinds of errors on a damaged workbook
            raise FileRejected(_("Tệp .xlsx bị hỏng, không đọc được.")) from error
