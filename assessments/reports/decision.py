"""The standing board's decision recognizing a year's results (Quyết định công nhận kết quả đánh giá, xếp loại)
with its attached list of the directly subordinate units, in the party document layout (HTML, PDF)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from assessments.common.vocabulary import number_text
from assessments.models import Kind, UnitAssessment
from assessments.reports.renderers import document_date, document_header, document_html, document_pdf, issuing_body
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
class Article:
    """One article of the decision: its title ("Điều 1.") and its text."""

    title: str
    text: str


def decision_articles(report: Report, *, body: str) -> list[Article]:
    """The decision's articles from the year's figures: the one source of the HTML/PDF and the Word file."""
    units = report.units_total
    counts = []
    for i, cell in enumerate(units.cells):
        count = f"{cell.level.label}: {number_text(cell.count)}"
        if i == 0 and units.exemplary:  # the exemplary units are among those at the top level
            count += " (" + _("tiêu biểu %(n)s") % {"n": number_text(units.exemplary)} + ")"
        counts.append(count)
    return [
        Article(
            _("Điều 1."),
            _(
                "Công nhận kết quả đánh giá, %(word)s chất lượng năm %(year)s của %(rated)s/%(total)s tổ chức đảng "
                "trực thuộc (có danh sách kèm theo), trong đó: %(counts)s."
            )
            % {
                "word": report.rating_word,
                "year": report.year,
                "rated": number_text(units.rated),
                "total": number_text(units.total),
                "counts": "; ".join(counts),
            },
        ),
        Article(
            _("Điều 2."),
            _("Các tổ chức đảng chưa có kết quả được xem xét, công nhận khi hoàn thành việc đánh giá năm %(year)s.")
            % {"year": report.year},
        ),
        Article(
            _("Điều 3."),
            _(
                "Ban Tổ chức %(body)s, các tổ chức đảng trực thuộc và các đồng chí có tên trong danh sách chịu "
                "trách nhiệm thi hành Quyết định này."
            )
            % {"body": body},
        ),
    ]


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
    return {
        "report": report,
        "doc": header,
        "doc_date": document_date(issued_on or report.generated_on),
        "decider": f"{_DECIDER.get(organization.kind, 'BAN CHẤP HÀNH')} {body.upper()}",
        "body": body,
        "articles": decision_articles(report, body=body),
        "rows": report.unit_annex,
    }


def decision_html(report: Report, *, standalone: bool = True, **document) -> str:
    return document_html(DECISION_TEMPLATE, decision_context(report, **document), standalone=standalone)


def decision_pdf(report: Report, **document) -> bytes:
    return document_pdf(DECISION_TEMPLATE, decision_context(report, **document))
