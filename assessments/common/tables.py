"""One table as a download, XLSX or CSV, for the list pages of both apps (what a page shows, filtered); every text
cell goes through common.spreadsheets so that no cell runs as a formula."""

import csv
import io

from django.http import HttpResponse

from assessments.common.spreadsheets import cell_escape, cell_write

FORMATS = ("xlsx", "csv")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_response(*, fmt: str, filename: str, title: str, headers: list[str], rows) -> HttpResponse:
    """A download of one table: XLSX (a bold header, frozen) or CSV (UTF-8 with a BOM, so Excel reads Vietnamese)."""
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer)
        writer.writerow([cell_escape(h) for h in headers])
        for row in rows:
            writer.writerow([cell_escape(v) if isinstance(v, str) else ("" if v is None else v) for v in row])
        response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = title[:31]
        for column, header in enumerate(headers, start=1):
            cell_write(sheet, 1, column, header).font = Font(bold=True)
        for r, row in enumerate(rows, start=2):
            for column, value in enumerate(row, start=1):
                cell_write(sheet, r, column, value)
        sheet.freeze_panes = "A2"
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
