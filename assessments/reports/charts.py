"""The results report's charts: SVG for the printed document, and the numbers behind them for Chart.js."""

from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from assessments.common.vocabulary import number_text, percent_text
from assessments.reports.rows import Report

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


def _trend_lines(report: Report) -> list[tuple[str, list, bool]]:
    """The trend's lines, for the SVG and for Chart.js: (label, a share per year, whether it is a top-level line,
    which stops at a scheme change)."""
    points = report.trend
    return [
        (_("Tổ chức đảng: mức cao nhất"), [p.units_top for p in points], True),
        (_("Tổ chức đảng: tốt trở lên"), [p.units_good_or_better for p in points], False),
        (_("Đảng viên: xuất sắc"), [p.members_top for p in points], True),
        (_("Đảng viên: tốt trở lên"), [p.members_good_or_better for p in points], False),
    ]


def svg_trend(report: Report) -> SafeString:
    """Lines over the years: units at the top level and good or better (of all units), members likewise (of rated)."""
    width, height = 720, 330
    left, right, top, bottom = 46, 20, 20, 96
    plot_w, plot_h = width - left - right, height - top - bottom
    points = report.trend
    series = [
        (label, shares, PALETTE[i], "" if is_top else "6 3")
        for i, (label, shares, is_top) in enumerate(_trend_lines(report))
    ]
    # The top-level lines (undashed) stop at a scheme change: two regulations' top levels are not one measure, so
    # their points are never joined. "Good or better" keeps one line across the change.
    breaks_top = {label for label, _shares, _color, dash in series if not dash}
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
    for label, shares, color, dash in series:
        runs: list[list[tuple[float, float]]] = []
        previous_scheme = None
        for i, share in enumerate(shares):
            if share.ratio is None:
                continue
            scheme = points[i].scheme_code
            if not runs or (label in breaks_top and scheme != previous_scheme):
                runs.append([])
            runs[-1].append((x_of(i), top + plot_h * (1 - share.ratio)))
            previous_scheme = scheme
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for coords in runs:
            if len(coords) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
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


def _trend_series(label: str, shares: list, is_top: bool) -> dict:
    series = {"label": label, "data": [share.percent for share in shares]}
    if is_top:
        series["breaks_at_scheme_change"] = True
    return series


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
            "break_note": report.trend_note,
            "series": [_trend_series(*line) for line in _trend_lines(report)],
        },
    }
