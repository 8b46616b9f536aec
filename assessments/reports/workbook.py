"""The results report as an XLSX workbook: one sheet per table; every text cell escaped (common.spreadsheets)."""

import io

from django.conf import settings
from django.utils.translation import gettext as _

from assessments.common.spreadsheets import cell_escape, cell_write
from assessments.common.vocabulary import Share, number_text
from assessments.reports.list_tables import ListTable, list_tables, score_band_table
from assessments.reports.rows import Report, leadership_lines, reasons_list

PERCENT_FORMAT = "0.0%"
POINTS_FORMAT = "+0.0;-0.0;0.0"
INTEGER_FORMAT = "#,##0"


def safe_cell_text(value: str) -> str:
    """Text that a spreadsheet will not run as a formula (common.spreadsheets.cell_escape)."""
    return cell_escape(value)


class _Sheet:
    """Writes one titled table: merged title, two-row header, typed body cells, frozen header, print setup.

    Every cell is written through cell_write: titles, headers and labels carry names from the data (an
    organization, a level), which a spreadsheet would otherwise run as formulas."""

    def __init__(self, workbook, title: str, heading: str, subtitle: str):
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.ws = workbook.create_sheet(title=title[:31])
        self.heading, self.subtitle = heading, subtitle
        thin = Side(style="thin", color="808080")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.header_font = Font(bold=True)
        self.header_fill = PatternFill("solid", fgColor="F2DCDB")
        self.section_fill = PatternFill("solid", fgColor="F2F2F2")
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.wrap = Alignment(vertical="top", wrap_text=True)
        self.Font = Font
        self.row = 1

    def columns(self, spec: list[tuple[str | None, str, str, float]]) -> None:
        """spec: (group, label, type, width) per column; columns of one group share a merged upper header."""
        from openpyxl.utils import get_column_letter

        ws, n = self.ws, len(spec)
        self.types = [t for _g, _l, t, _w in spec]
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
        cell_write(ws, 1, 1, self.heading).font = self.Font(bold=True, size=14)
        ws.cell(1, 1).alignment = self.center
        ws.row_dimensions[1].height = 24
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=n)
        cell_write(ws, 2, 1, self.subtitle).font = self.Font(italic=True)
        ws.cell(2, 1).alignment = self.center
        ws.row_dimensions[2].height = 30
        head = 4
        col = 1
        while col <= n:
            group = spec[col - 1][0]
            span = 1
            while group is not None and col + span <= n and spec[col + span - 1][0] == group:
                span += 1
            if group is None:
                ws.merge_cells(start_row=head, start_column=col, end_row=head + 1, end_column=col)
                cell_write(ws, head, col, spec[col - 1][1])
            else:
                if span > 1:
                    ws.merge_cells(start_row=head, start_column=col, end_row=head, end_column=col + span - 1)
                cell_write(ws, head, col, group)
                for offset in range(span):
                    cell_write(ws, head + 1, col + offset, spec[col + offset - 1][1])
            col += span
        for r in (head, head + 1):
            ws.row_dimensions[r].height = 32
            for c in range(1, n + 1):
                cell = ws.cell(r, c)
                cell.font, cell.fill, cell.alignment, cell.border = (
                    self.header_font,
                    self.header_fill,
                    self.center,
                    self.border,
                )
        for c, (_g, _l, _t, width) in enumerate(spec, start=1):
            ws.column_dimensions[get_column_letter(c)].width = width
        # Frozen below the header and right of the label column; the header repeats on every printed page.
        ws.freeze_panes = ws.cell(head + 2, 2)
        ws.print_title_rows = f"{head}:{head + 1}"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.oddFooter.center.text = "&P / &N"
        self.row = head + 2
        self.width = n

    def section(self, label: str) -> None:
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=self.width)
        cell = cell_write(self.ws, self.row, 1, label)
        cell.font, cell.fill = self.Font(bold=True, italic=True), self.section_fill
        for c in range(1, self.width + 1):
            self.ws.cell(self.row, c).border = self.border
        self.row += 1

    def line(self, values: list, *, bold: bool = False) -> None:
        for c, (value, kind) in enumerate(zip(values, self.types, strict=True), start=1):
            if isinstance(value, Share):
                value = value.ratio
            cell = cell_write(self.ws, self.row, c, value)
            cell.border = self.border
            if kind == "pct":
                cell.number_format = PERCENT_FORMAT
            elif kind == "int":
                cell.number_format = INTEGER_FORMAT
            elif kind == "points":
                cell.number_format = POINTS_FORMAT
            elif kind == "score":
                cell.number_format = "0.00"  # a score to two decimals (QĐ 366)
            else:
                cell.alignment = self.wrap
            if bold:
                cell.font = self.header_font
        self.row += 1

    def note(self, text: str) -> None:
        self.row += 1
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=self.width)
        cell = cell_write(self.ws, self.row, 1, text)
        cell.font = self.Font(italic=True)
        cell.alignment = self.wrap
        self.ws.row_dimensions[self.row].height = 15 * (1 + len(text) // 140)
        self.row += 1


def _unit_sheet(workbook, report: Report, *, title: str, heading: str, groups: list, total) -> None:
    denominators = _(
        "Tỷ lệ %% tính trên tổng số đơn vị (%(total)s) và trên số đơn vị được xếp loại (%(rated)s); "
        "quy định: %(scheme)s."
    ) % {"total": number_text(total.total), "rated": number_text(total.rated), "scheme": report.scheme.name}
    sheet = _Sheet(workbook, title, heading, denominators)
    spec = [
        (None, _("Nhóm"), "text", 34),
        (None, _("Tổng số"), "int", 9),
        (None, _("Đã xếp loại"), "int", 9),
        (None, _("Chưa xếp loại"), "int", 9),
    ]
    for level in report.unit_levels:
        spec += [
            (level.label, _("Số lượng"), "int", 9),
            (level.label, _("% trên tổng số"), "pct", 10),
            (level.label, _("% trên số đã xếp loại"), "pct", 11),
        ]
    spec.append((None, _("Trong đó tiêu biểu"), "int", 10))
    sheet.columns(spec)

    def values(row) -> list:
        out = [row.label, row.total, row.rated, row.not_rated]
        for cell in row.cells:
            out += [cell.count, cell.of_total, cell.of_rated]
        return [*out, row.exemplary]

    for section, rows in groups:
        if rows:
            sheet.section(section)
            for row in rows:
                sheet.line(values(row))
    sheet.line(values(total), bold=True)
    reasons = _reasons_of(total)
    if reasons:
        sheet.note(_("Chưa xếp loại: ") + "; ".join(f"{label}: {count}" for label, count in reasons))


def _reasons_of(row) -> list[tuple[str, int]]:
    return [(r.label, r.count) for r in reasons_list(row.reasons)]


def _member_sheet(workbook, report: Report) -> None:
    total = report.members_total
    subtitle = _(
        "Tỷ lệ %% tính trên số đảng viên được xếp loại (%(rated)s); xuất sắc so với tốt: số hoàn thành xuất sắc "
        "nhiệm vụ chia cho số hoàn thành tốt nhiệm vụ; quy định: %(scheme)s."
    ) % {"rated": number_text(total.rated), "scheme": report.scheme.name}
    heading = _("KẾT QUẢ XẾP LOẠI ĐẢNG VIÊN NĂM %(year)s – %(name)s") % {
        "year": report.year,
        "name": report.organization.name.upper(),
    }
    sheet = _Sheet(workbook, _("Đảng viên"), heading, subtitle)
    spec = [
        (None, _("Loại hình"), "text", 34),
        (None, _("Tổng số đảng viên (31/12)"), "int", 10),
        (None, _("Được đánh giá, %(word)s") % {"word": report.rating_word}, "int", 10),
        (None, _("Không đánh giá (miễn, đình chỉ)"), "int", 10),
        (None, _("Chưa %(word)s") % {"word": report.rating_word}, "int", 10),
        (None, _("Chưa có kết quả"), "int", 10),
    ]
    for level in report.member_levels:
        spec += [(level.label, _("Số lượng"), "int", 9), (level.label, _("% trên số được xếp loại"), "pct", 11)]
    spec += [
        (_("Tốt trở lên"), _("Số lượng"), "int", 9),
        (_("Tốt trở lên"), _("% trên số được xếp loại"), "pct", 11),
        (None, _("Xuất sắc so với tốt"), "pct", 11),
    ]
    sheet.columns(spec)

    def values(row) -> list:
        out = [row.label, row.total, row.rated, row.not_assessed, row.not_yet_rated, row.no_result]
        for cell in row.cells:
            out += [cell.count, cell.of_rated]
        return [*out, row.good_or_better.count, row.good_or_better, row.excellent_of_good]

    sheet.section(_("Theo loại hình"))
    for row in report.members_by_sector:
        sheet.line(values(row))
    sheet.line(values(total), bold=True)
    reasons = _reasons_of(total)
    if reasons:
        sheet.note(_("Không xếp loại: ") + "; ".join(f"{label}: {count}" for label, count in reasons))


def _comparison_sheet(workbook, report: Report) -> None:
    comparison = report.comparison
    heading = _("SO SÁNH VỚI NĂM %(prev)s") % {"prev": report.year - 1}
    sheet = _Sheet(workbook, _("So sánh"), heading, comparison.note)
    sheet.columns(
        [
            (None, _("Chỉ tiêu"), "text", 40),
            (str(comparison.previous_year), _("Mức xếp loại"), "text", 30),
            (str(comparison.previous_year), _("Số lượng"), "int", 9),
            (str(comparison.previous_year), _("Mẫu số"), "int", 9),
            (str(comparison.previous_year), _("Tỷ lệ"), "pct", 9),
            (str(report.year), _("Mức xếp loại"), "text", 30),
            (str(report.year), _("Số lượng"), "int", 9),
            (str(report.year), _("Mẫu số"), "int", 9),
            (str(report.year), _("Tỷ lệ"), "pct", 9),
            (None, _("Chênh lệch (điểm %)"), "points", 11),
        ]
    )
    for line in comparison.lines:
        sheet.line(
            [
                line.label,
                line.previous_level_labels,
                line.previous.count,
                line.previous.denominator,
                line.previous,
                line.current_level_labels,
                line.current.count,
                line.current.denominator,
                line.current,
                line.difference_points if line.comparable else line.difference_text,
            ]
        )


def _list_sheet(workbook, report: Report) -> None:
    heading = _("DANH SÁCH TỔ CHỨC ĐẢNG YẾU KÉM VÀ CHƯA XẾP LOẠI NĂM %(year)s") % {"year": report.year}
    sheet = _Sheet(workbook, _("Danh sách"), heading, report.organization.name)
    sheet.columns(
        [
            (None, _("STT"), "int", 6),
            (None, _("Mã"), "text", 18),
            (None, _("Tên tổ chức đảng"), "text", 44),
            (None, _("Loại"), "text", 26),
            (None, _("Trực thuộc"), "text", 30),
            (None, _("Xếp loại / lý do"), "text", 30),
        ]
    )
    weak = report.weak_level.label if report.weak_level else ""
    sheet.section(_("Xếp loại “%(level)s”: %(n)s") % {"level": weak, "n": len(report.weak_units)})
    for i, unit in enumerate(report.weak_units, start=1):
        sheet.line([i, unit.code, unit.name, unit.kind_label, unit.parent_name, unit.level_label])
    sheet.section(_("Chưa xếp loại: %(n)s") % {"n": len(report.not_rated_units)})
    for i, unit in enumerate(report.not_rated_units, start=1):
        sheet.line([i, unit.code, unit.name, unit.kind_label, unit.parent_name, unit.reason_label])


def _annex_sheet(workbook, report: Report) -> None:
    heading = _("KẾT QUẢ TỪNG TỔ CHỨC ĐẢNG TRỰC THUỘC NĂM %(year)s") % {"year": report.year}
    sheet = _Sheet(workbook, _("Phụ lục đơn vị"), heading, report.organization.name)
    members = _("Đảng viên")
    spec = [
        (None, _("STT"), "int", 6),
        (None, _("Mã"), "text", 18),
        (None, _("Tổ chức đảng"), "text", 40),
        (None, _("Tự đánh giá"), "text", 24),
        (None, _("Cấp ủy quyết định"), "text", 24),
        (None, _("Tiêu biểu"), "text", 10),
        *([(None, _("Điểm"), "score", 9)] if report.scheme.is_scored else []),
        (members, _("Tổng số"), "int", 9),
        (members, _("Được %(word)s") % {"word": report.rating_word}, "int", 9),
    ]
    spec += [(members, level.label, "int", 11) for level in report.member_levels]
    spec.append((members, _("Chưa có kết quả"), "int", 9))
    sheet.columns(spec)
    for row in report.unit_annex:
        sheet.line(
            [
                row.number,
                row.code,
                row.name,
                row.self_level_label,
                row.result_label,
                row.exemplary_label,
                *([row.score] if report.scheme.is_scored else []),
                row.members.total,
                row.members.rated,
                *row.member_counts,
                row.members.no_result,
            ]
        )


def _score_bands_sheet(workbook, report: Report) -> None:
    """A scored year: units and members by the band their score falls in, next to the level counts."""
    table = score_band_table(report)
    heading = _("PHÂN BỐ ĐIỂM THEO KHUNG XẾP LOẠI NĂM %(year)s") % {"year": report.year}
    _table_write(_Sheet(workbook, table.sheet, heading, report.organization.name), table)


def _leadership_sheet(workbook, report: Report) -> None:
    """Issue 16: the subtree's leadership collectives and leaders by level, one section each (their levels differ:
    a collective's are the units' levels, a leader's the members')."""
    heading = _("TẬP THỂ, CÁ NHÂN LÃNH ĐẠO, QUẢN LÝ THEO MỨC XẾP LOẠI NĂM %(year)s – %(name)s") % {
        "year": report.year,
        "name": report.organization.name.upper(),
    }
    sheet = _Sheet(workbook, _("Lãnh đạo, quản lý"), heading, _("Tỷ lệ các mức tính trên số đã xếp loại."))
    sheet.columns(
        [
            (None, _("Mức xếp loại"), "text", 40),
            (None, _("Số lượng"), "int", 10),
            (None, _("% trên số đã xếp loại"), "pct", 12),
        ]
    )
    for row in report.leadership_rated:
        sheet.section(row.label)
        for label, count, share in leadership_lines(row):
            sheet.line([label, count, share])


def _table_write(sheet: _Sheet, table: ListTable) -> None:
    """A plain table (reports.list_tables) under the sheet's title: its columns, then a line per row."""
    sheet.columns([(None, column.label, column.kind, column.width) for column in table.columns])
    for row in table.rows:
        sheet.line(row)


def _list_table_sheet(workbook, report: Report, table: ListTable) -> None:
    """One of the year's lists (reports.list_tables) on its own sheet; "Không có." when it is empty."""
    sheet = _Sheet(workbook, table.sheet, table.heading.upper(), report.organization.name)
    _table_write(sheet, table)
    if not table.rows:
        sheet.note(_("Không có."))


def report_xlsx(report: Report, *, tables: list[ListTable] | None = None) -> bytes:
    """The report as an XLSX workbook: one sheet per table, numbers as numbers, shares as percentages; the year's
    lists after them, one sheet each (`tables`: reports.list_tables, made here when not given)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    name = report.organization.name.upper()
    _unit_sheet(
        workbook,
        report,
        title=_("Tổ chức đảng"),
        heading=_("KẾT QUẢ XẾP LOẠI TỔ CHỨC ĐẢNG TRỰC THUỘC NĂM %(year)s – %(name)s")
        % {"year": report.year, "name": name},
        groups=[(_("Theo loại tổ chức"), report.units_by_kind), (_("Theo loại hình"), report.units_by_sector)],
        total=report.units_total,
    )
    if report.cells_total.total:
        _unit_sheet(
            workbook,
            report,
            title=_("Chi bộ trực thuộc đảng ủy cơ sở"),
            heading=_("KẾT QUẢ XẾP LOẠI CHI BỘ TRỰC THUỘC ĐẢNG ỦY CƠ SỞ NĂM %(year)s – %(name)s")
            % {"year": report.year, "name": name},
            groups=[(_("Theo loại hình"), report.cells_by_sector)],
            total=report.cells_total,
        )
    _member_sheet(workbook, report)
    if report.score_bands:
        _score_bands_sheet(workbook, report)
    if report.leadership_rated:
        _leadership_sheet(workbook, report)
    if report.comparison is not None:
        _comparison_sheet(workbook, report)
    _annex_sheet(workbook, report)
    if tables is None:
        tables = list_tables(organization=report.organization, year=report.year)
    for table in tables:
        _list_table_sheet(workbook, report, table)
    _list_sheet(workbook, report)  # kept last: the weak and unrated units are what a reader looks for at the end
    workbook.properties.title = _("Kết quả đánh giá, xếp loại năm %(year)s") % {"year": report.year}
    workbook.properties.creator = settings.SPECTACULAR_SETTINGS.get("TITLE", "bacson")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
