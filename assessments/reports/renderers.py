"""The yearly results report as SVG charts, an HTML document, an XLSX workbook and a PDF (WeasyPrint)."""

import io
import mimetypes
import re
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import formats, numberformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from assessments.models import Kind, Organization
from assessments.reports.build import Report, Share, reasons_list

# --- number formats ------------------------------------------------------------------------------------------------


def number_text(value: int | float | None, digits: int = 0) -> str:
    """A number in the active language's format, grouped by thousands ("2.824", "60,0" in Vietnamese)."""
    if value is None:
        return "—"
    return numberformat.format(
        value,
        formats.get_format("DECIMAL_SEPARATOR"),
        decimal_pos=digits,
        grouping=3,
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


def percent_text(share: Share | float | None) -> str:
    """A share as a percentage with one decimal ("60,0%"), or a dash when its denominator is zero."""
    value = share.percent if isinstance(share, Share) else share
    return "—" if value is None else f"{number_text(value, 1)}%"


def points_text(value: float | None) -> str:
    """A difference in percentage points with its sign ("+5,5", "−47,3", "0,0")."""
    if value is None:
        return "—"
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return f"{sign}{number_text(abs(value), 1)}"


# --- the party document's header -----------------------------------------------------------------------------------

_BODY_PREFIXES = [
    ("Đảng bộ tỉnh ", "Tỉnh ủy "),
    ("Đảng bộ huyện ", "Huyện ủy "),
    ("Đảng bộ thị xã ", "Thị ủy "),
    ("Đảng bộ thành phố ", "Thành ủy "),
    ("Đảng bộ ", "Đảng ủy "),
]
_PLACE = re.compile(
    r"^(?:Đảng bộ|Đảng ủy|Huyện ủy|Tỉnh ủy)\s+(?:tỉnh|huyện|thị xã|thành phố|xã|phường|thị trấn)\s+(.+)$"
)
_SYMBOL = {
    Kind.PROVINCE: "TU",
    Kind.DISTRICT: "HU",
    Kind.GRASSROOTS_COMMITTEE: "ĐU",
    Kind.SUBCOMMITTEE: "ĐU",
    Kind.GRASSROOTS_CELL: "CB",
    Kind.CELL: "CB",
}


def issuing_body(organization: Organization) -> str:
    """The committee that issues the organization's documents: "Đảng bộ huyện Bắc Sơn" -> "Huyện ủy Bắc Sơn"."""
    for prefix, body in _BODY_PREFIXES:
        if organization.name.startswith(prefix):
            return body + organization.name[len(prefix) :]
    return organization.name


_SIGNATURE_FOR = {
    Kind.PROVINCE: "T/M BAN THƯỜNG VỤ",
    Kind.DISTRICT: "T/M BAN THƯỜNG VỤ",
    Kind.GRASSROOTS_COMMITTEE: "T/M ĐẢNG ỦY",
    Kind.SUBCOMMITTEE: "T/M ĐẢNG ỦY",
    Kind.GRASSROOTS_CELL: "T/M CHI BỘ",
    Kind.CELL: "T/M CHI BỘ",
}


def document_header(
    *, organization: Organization, number: str = "…", signer_post: str = "", signer_name: str = ""
) -> dict:
    """The header and closing lines of a party document (Hướng dẫn 36-HD/VPTW) issued by the organization."""
    codes = [code for code in organization.path.split("/") if code]
    ancestors = {o.code: o for o in Organization.objects.filter(code__in=codes).only("code", "name", "kind")}
    chain = [ancestors[c] for c in reversed(codes) if c in ancestors]
    place = ""
    for org in chain:  # the nearest organization whose name carries a place ("Đảng bộ huyện Bắc Sơn" -> "Bắc Sơn")
        match = _PLACE.match(org.name)
        if match:
            place = match.group(1)
            break
    parent = chain[1] if len(chain) > 1 else None
    body = issuing_body(organization)
    # A report goes up to the committee above ("b/c": for its information) and a copy stays with the issuer.
    recipients = [f"{issuing_body(parent)} (b/c)," if parent is not None else "", f"Lưu Văn phòng {body}."]
    return {
        "parent_body": parent.name.upper() if parent is not None else "",
        "issuing_body": body.upper(),
        "number": f"Số {number}-BC/{_SYMBOL.get(organization.kind, 'ĐU')}",
        "place": place or organization.name,
        "recipient_lines": [line for line in recipients if line],
        "signature_for": _SIGNATURE_FOR.get(organization.kind, "T/M ĐẢNG ỦY"),
        "signer_post": signer_post.upper(),
        "signer_name": signer_name,
    }


def document_date(day) -> str:
    """ "ngày 04 tháng 5 năm 2017": day on two digits, month 01 and 02 too (so that no digit can be added)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


# --- SVG charts ----------------------------------------------------------------------------------------------------

PALETTE = ["#b71c1c", "#e65100", "#1565c0", "#2e7d32", "#6a1b9a", "#455a64"]
FONT = "DejaVu Sans, Noto Sans, Arial, sans-serif"


def _text(x, y, text, *, size=11, anchor="start", weight="normal", fill="#212529") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" text-anchor="{anchor}" '
        f'font-weight="{weight}" fill="{fill}">{escape(str(text))}</text>'
    )


def svg_distribution(report: Report) -> SafeString:
    """Horizontal bars: units by level (% of all units) and members by level (% of rated members)."""
    width, label_w, bar_w, row_h = 720, 250, 330, 24
    groups = [
        (
            _("Tổ chức đảng trực thuộc (%% trên tổng số %(n)s đơn vị)") % {"n": number_text(report.units_total.total)},
            [(c.level.label, c.count, c.of_total) for c in report.units_total.cells],
        ),
        (
            _("Đảng viên (%% trên %(n)s đảng viên được xếp loại)") % {"n": number_text(report.members_total.rated)},
            [(c.level.label, c.count, c.of_rated) for c in report.members_total.cells],
        ),
    ]
    height = 16 + sum(28 + row_h * len(rows) + 10 for _title, rows in groups)
    title = _("Phân bố theo mức xếp loại năm %(year)s") % {"year": report.year}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" class="report-chart">',
        f"<title>{escape(title)}</title>",
    ]
    y = 16
    for heading, rows in groups:
        parts.append(_text(0, y + 4, heading, size=12, weight="bold"))
        y += 16
        for i, (label, count, share) in enumerate(rows):
            ratio = share.ratio or 0
            parts.append(_text(label_w - 8, y + 16, label, anchor="end"))
            parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="{row_h - 8}" fill="#f1f3f5"/>')
            parts.append(
                f'<rect x="{label_w}" y="{y + 4}" width="{bar_w * ratio:.1f}" height="{row_h - 8}" '
                f'fill="{PALETTE[i % len(PALETTE)]}"/>'
            )
            parts.append(_text(label_w + bar_w + 8, y + 16, f"{number_text(count)} ({percent_text(share)})"))
            y += row_h
        y += 22
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text node and attribute above is escaped


def svg_trend(report: Report) -> SafeString:
    """Lines over the years: units at the top level and good or better (of all units), members likewise (of rated)."""
    width, height = 720, 330
    left, right, top, bottom = 46, 20, 20, 96
    plot_w, plot_h = width - left - right, height - top - bottom
    points = report.trend
    series = [
        (_("Tổ chức đảng: mức cao nhất"), [p.units_top for p in points], PALETTE[0], ""),
        (_("Tổ chức đảng: tốt trở lên"), [p.units_good_or_better for p in points], PALETTE[1], "6 3"),
        (_("Đảng viên: xuất sắc"), [p.members_top for p in points], PALETTE[2], ""),
        (_("Đảng viên: tốt trở lên"), [p.members_good_or_better for p in points], PALETTE[3], "6 3"),
    ]
    title = _("Tỷ lệ qua các năm (%)")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" class="report-chart">',
        f"<title>{escape(title)}</title>",
    ]
    for pct in range(0, 101, 20):
        y = top + plot_h * (1 - pct / 100)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#dee2e6"/>')
        parts.append(_text(left - 6, y + 4, f"{pct}%", size=10, anchor="end"))
    n = len(points)

    def x_of(i: int) -> float:
        return left + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))

    for i, point in enumerate(points):
        parts.append(_text(x_of(i), height - bottom + 18, point.year, size=10, anchor="middle"))
    # A dashed rule where the rating scheme changes: the levels on either side are not the same.
    for i in range(1, n):
        if points[i].scheme_code != points[i - 1].scheme_code:
            x = (x_of(i) + x_of(i - 1)) / 2
            parts.append(
                f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}" stroke="#6c757d" '
                f'stroke-dasharray="2 3"/>'
            )
            parts.append(_text(x + 3, top + 10, _("đổi quy định"), size=9, fill="#6c757d"))
    for _label, shares, color, dash in series:
        coords = [
            (x_of(i), top + plot_h * (1 - share.ratio)) for i, share in enumerate(shares) if share.ratio is not None
        ]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"{dash_attr}/>')
        for x, y in coords:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"/>')
    for i, (label, shares, color, dash) in enumerate(series):
        # The legend sits under the plot, two entries a line, each with the latest year's share.
        y = top + plot_h + 48 + (i // 2) * 20
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        x0 = left + (i % 2) * (plot_w / 2)
        parts.append(f'<line x1="{x0}" y1="{y}" x2="{x0 + 22}" y2="{y}" stroke="{color}" stroke-width="2"{dash_attr}/>')
        last = percent_text(shares[-1]) if shares else "—"
        parts.append(_text(x0 + 28, y + 4, f"{label} ({last})", size=10))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text node and attribute above is escaped


def chart_data(report: Report) -> dict:
    """The numbers behind the charts, for Chart.js in the browser (passed through json_script)."""
    unit_labels = [c.level.label for c in report.units_total.cells]
    member_labels = [c.level.label for c in report.members_total.cells]
    # Bars of one rank share a row; under hd27-2014 units and members have different names for a rank.
    labels = [u if u == m else f"{u} / {m}" for u, m in zip(unit_labels, member_labels, strict=False)]
    return {
        "distribution": {
            "labels": labels,
            "units": {
                "title": _("Tổ chức đảng (% trên tổng số đơn vị)"),
                "labels": [c.level.label for c in report.units_total.cells],
                "percent": [c.of_total.percent for c in report.units_total.cells],
                "counts": [c.count for c in report.units_total.cells],
            },
            "members": {
                "title": _("Đảng viên (% trên số được xếp loại)"),
                "labels": [c.level.label for c in report.members_total.cells],
                "percent": [c.of_rated.percent for c in report.members_total.cells],
                "counts": [c.count for c in report.members_total.cells],
            },
        },
        "trend": {
            "years": [p.year for p in report.trend],
            "schemes": [p.scheme_code for p in report.trend],
            "scheme_label": _("Quy định"),
            "series": [
                {"label": _("Tổ chức đảng: mức cao nhất"), "data": [p.units_top.percent for p in report.trend]},
                {
                    "label": _("Tổ chức đảng: tốt trở lên"),
                    "data": [p.units_good_or_better.percent for p in report.trend],
                },
                {"label": _("Đảng viên: xuất sắc"), "data": [p.members_top.percent for p in report.trend]},
                {
                    "label": _("Đảng viên: tốt trở lên"),
                    "data": [p.members_good_or_better.percent for p in report.trend],
                },
            ],
        },
    }


# --- HTML and PDF --------------------------------------------------------------------------------------------------

DOCUMENT_TEMPLATE = "assessments/report_document.html"
DOCUMENT_CSS = "css/report-document.css"
# A stable base URL: relative links resolve to it, and the fetcher refuses every other host or scheme.
BASE_URL = "https://report.invalid/"


def document_context(report: Report, *, number: str = "…", signer_post: str = "", signer_name: str = "") -> dict:
    return {
        "report": report,
        "doc": document_header(
            organization=report.organization, number=number, signer_post=signer_post, signer_name=signer_name
        ),
        "doc_date": document_date(report.generated_on),
        "distribution_svg": svg_distribution(report),
        "trend_svg": svg_trend(report),
    }


def report_html(report: Report, *, standalone: bool = True, **document) -> str:
    """The report as one HTML document; standalone files carry their stylesheet inline so they open anywhere.

    `document`: number, signer_post, signer_name (see document_header)."""
    context = document_context(report, **document)
    if standalone:
        with open(finders.find(DOCUMENT_CSS), encoding="utf-8") as handle:
            context["inline_css"] = mark_safe(handle.read())  # noqa: S308 — the project's own stylesheet
    return render_to_string(DOCUMENT_TEMPLATE, context)


def _static_path(url: str) -> str | None:
    """The file behind a static URL under BASE_URL, or None for anything else (other hosts, schemes, '..')."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
        return None
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    if not parts.path.startswith(prefix):
        return None
    relative = unquote(parts.path[len(prefix) :])
    if not relative or ".." in relative.split("/"):
        return None
    return finders.find(relative)


def _fetcher():
    """A WeasyPrint URL fetcher that serves the project's static files and refuses every other URL."""
    from weasyprint import urls

    class StaticOnlyFetcher(urls.URLFetcher):
        def fetch(self, url, headers=None):
            path = _static_path(url)
            if path is None:
                raise ValueError(f"Refusing to fetch {url!r}: the report may load only the project's static files.")
            with open(path, "rb") as handle:
                body = handle.read()
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return urls.URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StaticOnlyFetcher()


def report_pdf(report: Report, **document) -> bytes:
    """The report as an A4 PDF with the party document's header, page numbers and SVG charts."""
    from weasyprint import HTML

    context = {**document_context(report, **document), "for_pdf": True}
    html = render_to_string(DOCUMENT_TEMPLATE, context)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher()).write_pdf()


# --- XLSX ----------------------------------------------------------------------------------------------------------

PERCENT_FORMAT = "0.0%"
POINTS_FORMAT = "+0.0;-0.0;0.0"
INTEGER_FORMAT = "#,##0"


def safe_cell_text(value: str) -> str:
    """Text that a spreadsheet will not run as a formula (OWASP: prefix = + - @ tab CR with a quote)."""
    if value and value[0] in "=+-@\t\r\0":
        return "'" + value
    return value


class _Sheet:
    """Writes one titled table: merged title, two-row header, typed body cells, frozen header, print setup."""

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
        ws.cell(1, 1, self.heading).font = self.Font(bold=True, size=14)
        ws.cell(1, 1).alignment = self.center
        ws.row_dimensions[1].height = 24
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=n)
        ws.cell(2, 1, self.subtitle).font = self.Font(italic=True)
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
                ws.cell(head, col, spec[col - 1][1])
            else:
                if span > 1:
                    ws.merge_cells(start_row=head, start_column=col, end_row=head, end_column=col + span - 1)
                ws.cell(head, col, group)
                for offset in range(span):
                    ws.cell(head + 1, col + offset, spec[col + offset - 1][1])
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
        cell = self.ws.cell(self.row, 1, label)
        cell.font, cell.fill = self.Font(bold=True, italic=True), self.section_fill
        for c in range(1, self.width + 1):
            self.ws.cell(self.row, c).border = self.border
        self.row += 1

    def line(self, values: list, *, bold: bool = False) -> None:
        for c, (value, kind) in enumerate(zip(values, self.types, strict=True), start=1):
            if isinstance(value, Share):
                value = value.ratio
            if isinstance(value, str):
                value = safe_cell_text(value)
            cell = self.ws.cell(self.row, c, value)
            cell.border = self.border
            if kind == "pct":
                cell.number_format = PERCENT_FORMAT
            elif kind == "int":
                cell.number_format = INTEGER_FORMAT
            elif kind == "points":
                cell.number_format = POINTS_FORMAT
            else:
                cell.alignment = self.wrap
            if bold:
                cell.font = self.header_font
        self.row += 1

    def note(self, text: str) -> None:
        self.row += 1
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=self.width)
        cell = self.ws.cell(self.row, 1, safe_cell_text(text))
        cell.font = self.Font(italic=True)
        cell.alignment = self.wrap
        self.ws.row_dimensions[self.row].height = 15 * (1 + len(text) // 140)
        self.row += 1


def _unit_sheet(workbook, report: Report, *, title: str, heading: str, groups: list, total) -> None:
    denominators = _(
        "Tỷ lệ %% tính trên tổng số đơn vị (%(total)s) và trên số đơn vị được xếp loại (%(rated)s); "
        "quy định: %(scheme)s."
    ) % {"total": total.total, "rated": total.rated, "scheme": report.scheme.name}
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
    ) % {"rated": total.rated, "scheme": report.scheme.name}
    heading = _("KẾT QUẢ XẾP LOẠI ĐẢNG VIÊN NĂM %(year)s – %(name)s") % {
        "year": report.year,
        "name": report.organization.name.upper(),
    }
    sheet = _Sheet(workbook, _("Đảng viên"), heading, subtitle)
    spec = [
        (None, _("Loại hình"), "text", 34),
        (None, _("Tổng số được đánh giá"), "int", 10),
        (None, _("Đã xếp loại"), "int", 10),
        (None, _("Miễn đánh giá"), "int", 9),
        (None, _("Chưa xếp loại (lý do khác)"), "int", 11),
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
        out = [row.label, row.total, row.rated, row.exempt, row.not_rated_other]
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
                line.difference_points,
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


def report_xlsx(report: Report) -> bytes:
    """The report as an XLSX workbook: one sheet per table, numbers as numbers, shares as percentages."""
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
    if report.comparison is not None:
        _comparison_sheet(workbook, report)
    _list_sheet(workbook, report)
    workbook.properties.title = _("Kết quả đánh giá, xếp loại năm %(year)s") % {"year": report.year}
    workbook.properties.creator = settings.SPECTACULAR_SETTINGS.get("TITLE", "bacson")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
