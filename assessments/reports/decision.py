"""The standing board's decision recognizing a year's results (Quyết định công nhận kết quả đánh giá, xếp loại)
with its attached list of the directly subordinate units, in the party document layout (HTML, PDF)."""

from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from assessments.common.pdf import pdf_from_html
from assessments.models import Kind, UnitAssessment
from assessments.reports.renderers import DOCUMENT_CSS, document_date, document_header, issuing_body
from assessments.reports.rows import Report

DECISION_TEMPLATE = "assessments/report_decision.html"

# Who decides: the standing board of a district or province committee, the committee of a grassroots one.
_DECIDER = {
    Kind.PROVINCE: "BAN THƯỜNG VỤ",
    Kind.DISTRICT: "BAN THƯỜNG VỤ",
    Kind.GRASSROOTS_COMMITTEE: "BAN CHẤP HÀNH",
    Kind.SUBCOMMITTEE: "BAN CHẤP HÀNH",
}


@dataclass(frozen=True)
class LevelCount:
    label: str
    count: int


def decision_number(report: Report) -> str:
    """The number recorded with the year's unit results ("768" of "Quyết định số 768-QĐ/HU"), or "…"."""
    refs = (
        UnitAssessment.objects.yearly()
        .filter(organization__parent=report.organization, year=report.year)
        .exclude(decision_ref="")
        .values_list("decision_ref", flat=True)[:1]
    )
    for ref in refs:
        number = ref.replace("Quyết định số", "").strip().split("-")[0].strip()
        if number.isdigit():
            return number
    return "…"


def decision_context(report: Report, *, number: str = "", issued_on=None, **document) -> dict:
    """The decision's template context; `document`: signer_post, signer_name, recipients."""
    organization = report.organization
    body = issuing_body(organization)
    if not document.get("recipients", "").strip():
        document["recipients"] = "\n".join(
            [
                _("Như Điều 3,"),
                _("Ban Tổ chức %(body)s,") % {"body": body},
                _("Lưu Văn phòng %(body)s.") % {"body": body},
            ]
        )
    header = document_header(
        organization=organization, number=number or decision_number(report), doc_type="QĐ", **document
    )
    units = report.units_total
    return {
        "report": report,
        "doc": header,
        "doc_date": document_date(issued_on or report.generated_on),
        "decider": f"{_DECIDER.get(organization.kind, 'BAN CHẤP HÀNH')} {body.upper()}",
        "body": body,
        "level_counts": [LevelCount(cell.level.label, cell.count) for cell in units.cells],
        "rows": report.unit_annex,
    }


def decision_html(report: Report, *, standalone: bool = True, **document) -> str:
    context = decision_context(report, **document)
    if standalone:
        with open(finders.find(DOCUMENT_CSS), encoding="utf-8") as handle:
            context["inline_css"] = mark_safe(handle.read())  # noqa: S308 — the project's own stylesheet
    return render_to_string(DECISION_TEMPLATE, context)


def decision_pdf(report: Report, **document) -> bytes:
    context = {**decision_context(report, **document), "for_pdf": True}
    return pdf_from_html(render_to_string(DECISION_TEMPLATE, context))
