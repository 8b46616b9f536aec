"""The yearly results report as a document: number formats, the party document's header, HTML and PDF; the charts
(reports.charts) and the XLSX workbook (reports.workbook) are re-exported here for the report's callers."""

import re

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from assessments.common.pdf import BASE_URL, pdf_from_html
from assessments.common.pdf import url_fetcher as _fetcher  # noqa: F401 — the tests check the fetcher here
from assessments.common.vocabulary import number_text, percent_text, points_text
from assessments.models import Kind, Organization
from assessments.regulation.selectors import overrides_in_subtree
from assessments.reports.charts import FONT, PALETTE, chart_data, svg_distribution, svg_trend
from assessments.reports.rows import Report
from assessments.reports.workbook import (
    INTEGER_FORMAT,
    PERCENT_FORMAT,
    POINTS_FORMAT,
    report_xlsx,
    safe_cell_text,
)

__all__ = [
    "BASE_URL",
    "DOCUMENT_CSS",
    "DOCUMENT_TEMPLATE",
    "FONT",
    "INTEGER_FORMAT",
    "PALETTE",
    "PERCENT_FORMAT",
    "POINTS_FORMAT",
    "chart_data",
    "document_context",
    "document_date",
    "document_html",
    "document_pdf",
    "document_header",
    "issuing_body",
    "number_text",
    "percent_text",
    "points_text",
    "report_html",
    "report_docx",
    "report_pdf",
    "report_xlsx",
    "safe_cell_text",
    "svg_distribution",
    "svg_trend",
]

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
    *,
    organization: Organization,
    number: str = "…",
    signer_post: str = "",
    signer_name: str = "",
    doc_type: str = "BC",
    recipients: str = "",
) -> dict:
    """The header and closing lines of a party document (Hướng dẫn 36-HD/VPTW) issued by the organization.

    doc_type: the symbol's type, BC (report), QĐ (decision), KH (plan); recipients: one per line, replacing the
    default (the committee above "(b/c)" and the issuer's office)."""
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
    if recipients.strip():
        lines = [line.strip() for line in recipients.splitlines()]
    else:
        lines = [f"{issuing_body(parent)} (b/c)," if parent is not None else "", f"Lưu Văn phòng {body}."]
    return {
        "parent_body": parent.name.upper() if parent is not None else "",
        "issuing_body": body.upper(),
        "number": f"Số {number}-{doc_type}/{_SYMBOL.get(organization.kind, 'ĐU')}",
        "place": place or organization.name,
        "recipient_lines": [line for line in lines if line],
        "signature_for": _SIGNATURE_FOR.get(organization.kind, "T/M ĐẢNG ỦY"),
        "signer_post": signer_post.upper(),
        "signer_name": signer_name,
    }


def document_date(day) -> str:
    """ "ngày 04 tháng 5 năm 2017": day on two digits, month 01 and 02 too (so that no digit can be added)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


# --- HTML and PDF ---------------------------------------------------------------------------------------------------

DOCUMENT_TEMPLATE = "assessments/report_document.html"
# What every party document shares, then the report's own rules (the order the page links them in).
DOCUMENT_CSS = ("css/party-document.css", "css/report-document.css")


def _stylesheets_text() -> str:
    texts = []
    for name in DOCUMENT_CSS:
        with open(finders.find(name), encoding="utf-8") as handle:
            texts.append(handle.read())
    return "\n".join(texts)


def document_html(template: str, context: dict, *, standalone: bool) -> str:
    """A report's document (the report, the decision) as HTML; a standalone file carries the stylesheets inline."""
    if standalone:
        context["inline_css"] = mark_safe(_stylesheets_text())  # noqa: S308 — the project's own stylesheets
    return render_to_string(template, context)


def document_pdf(template: str, context: dict) -> bytes:
    """A report's document as an A4 PDF (the template leaves out what only a screen needs)."""
    return pdf_from_html(render_to_string(template, {**context, "for_pdf": True}))


def document_context(report: Report, *, issued_on=None, **header: str) -> dict:
    """The template context of the report document; `issued_on` (a date) replaces the day it was generated, `header`
    (number, signer_post, signer_name, recipients) goes to document_header."""
    return {
        "report": report,
        "doc": document_header(organization=report.organization, **header),
        "doc_date": document_date(issued_on or report.generated_on),
        "distribution_svg": svg_distribution(report),
        "trend_svg": svg_trend(report),
        "overrides": list(overrides_in_subtree(organization=report.organization, year=report.year)),
    }


def report_html(report: Report, *, standalone: bool = True, **document) -> str:
    """The report as one HTML document; standalone files carry their stylesheet inline so they open anywhere.

    `document`: number, signer_post, signer_name (see document_header)."""
    return document_html(DOCUMENT_TEMPLATE, document_context(report, **document), standalone=standalone)


def report_pdf(report: Report, **document) -> bytes:
    """The report as an A4 PDF with the party document's header, page numbers and SVG charts."""
    return document_pdf(DOCUMENT_TEMPLATE, document_context(report, **document))


def report_docx(report: Report, **document) -> bytes:
    """The report as an editable Word file (reports.wordfiles; imported here lazily, as it imports this module)."""
    from assessments.reports.wordfiles import report_docx as build

    return build(report, **document)
