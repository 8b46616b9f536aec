"""Helpers that write small import files (CSV in several encodings, XLSX) into a temporary directory and import them."""

import csv
import io
from pathlib import Path

from openpyxl import Workbook

from assessments.importing import data_import

TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258_encode(text: str) -> bytes:
    """Encode as Excel on Vietnamese Windows does: letters with a tone become base letter + combining tone."""
    import unicodedata

    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in TONES))
            out.append((base + "".join(p for p in parts if p in TONES)).encode("cp1258"))
    return b"".join(out)


def csv_bytes(rows: list[list], *, encoding: str = "utf-8", delimiter: str = ",", bom: bool = False) -> bytes:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    data = text.getvalue()
    out = cp1258_encode(data) if encoding == "cp1258" else data.encode(encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + out


def write_csv(tmp_path: Path, rows: list[list], name: str = "data.csv", **kwargs) -> Path:
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows, **kwargs))
    return path


def file_imported(path: Path, data_type: str, *, user=None, dry_run=False):
    """The file imported as data_type by the user (none: a command run without --user), within the user's scope; the
    import's result."""
    with open(path, "rb") as handle:
        return data_import(
            data_type=data_type, handle=handle, name=Path(path).name, actor=user, scope_user=user, dry_run=dry_run
        )


def csv_imported(tmp_path: Path, data_type: str, rows: list[list], *, user=None, dry_run=False, name="f.csv", **kwargs):
    """The rows written as a CSV file (csv_bytes' options in kwargs) and imported as file_imported does."""
    return file_imported(write_csv(tmp_path, rows, name, **kwargs), data_type, user=user, dry_run=dry_run)


def write_xlsx(tmp_path: Path, rows: list[list], name: str = "data.xlsx") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path
