"""Spreadsheet cell escaping: every text cell of every generated CSV or XLSX goes through `cell_escape`."""

import numbers
import re

# A spreadsheet runs text that starts like this as a formula (OWASP CSV injection): prefix an apostrophe. The
# importer removes exactly one leading apostrophe before such text (importing.readers.text_clean), so the round
# trip gives back the same value. Text already starting with apostrophes is escaped once more for the same reason.
_DANGEROUS = re.compile(r"^'*[=+\-@\t\r\0]")


def cell_escape(value):
    """Text that a spreadsheet would evaluate gets a leading apostrophe; other values (numbers, dates) pass through."""
    if isinstance(value, str) and _DANGEROUS.match(value):
        return "'" + value
    return value


def cell_text(value) -> str:
    """Any value as the escaped text of a cell ("" for None): lazy translations and labels included."""
    return cell_escape("" if value is None else str(value))


def cell_write(worksheet, row: int, column: int, value):
    """Set one cell of an openpyxl worksheet: text is escaped and stored as a string, never as a formula."""
    if value is not None and not isinstance(value, numbers.Number) and not hasattr(value, "isoformat"):
        value = cell_text(value)
    cell = worksheet.cell(row, column, value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell
