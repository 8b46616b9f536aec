"""Helpers that write small import files (CSV in several encodings, XLSX) into a temporary directory."""

import csv
import io
from pathlib import Path

from openpyxl import Workbook


def csv_bytes(rows: list[list], *, encoding: str = "utf-8", delimiter: str = ",", bom: bool = False) -> bytes:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    data = text.getvalue()
    if encoding == "cp1258":
        import unicodedata

        # Windows-1258 has no code points for most precomposed letters with tones: Excel writes them decomposed.
        data = unicodedata.normalize("NFD", data)
        out = data.encode("cp1258")
    else:
        out = data.encode(encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + out


def write_csv(tmp_path: Path, rows: list[list], name: str = "data.csv", **kwargs) -> Path:
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows, **kwargs))
    return path


def write_xlsx(tmp_path: Path, rows: list[list], name: str = "data.xlsx") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path
