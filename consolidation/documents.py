"""PDF and Word downloads of consolidation documents; the rendering itself is assessments.common.pdf and
assessments.common.wordfile."""

from django.http import HttpResponse
from django.template.loader import render_to_string

from assessments.common.pdf import BASE_URL, pdf_from_html, static_fetch

__all__ = ["BASE_URL", "docx_response", "pdf_from_html", "pdf_response", "plan_docx", "static_fetch"]


def pdf_response(*, template: str, context: dict, filename: str, request=None) -> HttpResponse:
    """Render a template to a PDF download."""
    html = render_to_string(template, {**context, "for_pdf": True}, request=request)
    response = HttpResponse(pdf_from_html(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def plan_docx(*, plan, outcome, task_groups) -> bytes:
    """A consolidation plan as an editable Word file, with the same sections as its printout (plan_document.html)."""
    from django.utils.translation import gettext as _

    from assessments.common.wordfile import PartyDocument
    from consolidation.templatetags.consolidation_tags import party_date, vn_number

    header = {
        "parent_body": plan.parent_body.upper(),
        "issuing_body": plan.issuing_body.upper(),
        "number": f"Số {plan.number}",
        "place": plan.place,
        "recipient_lines": plan.recipient_lines,
        "signature_for": "T/M BAN THƯỜNG VỤ",
        "signer_post": plan.signer_post.upper(),
        "signer_name": plan.signer_name,
    }
    doc = PartyDocument(
        header=header, doc_date=party_date(plan.issued_on), doc_type="KẾ HOẠCH", summary=plan.display_title
    )
    doc.heading("I. " + _("TÌNH HÌNH, CĂN CỨ"))
    if plan.baseline_level:
        doc.paragraph(
            _("Kết quả đánh giá, xếp loại năm %(year)s, %(unit)s được xếp loại “%(level)s”.")
            % {"year": plan.baseline_year, "unit": plan.organization.name, "level": plan.baseline_level.label}
        )
    if plan.goals:
        doc.heading("II. " + _("MỤC ĐÍCH, YÊU CẦU"))
        for line in plan.goals.splitlines():
            doc.paragraph(line)
    doc.heading("III. " + _("NỘI DUNG, NHIỆM VỤ"))
    for number, (area, tasks) in enumerate(task_groups, start=1):
        doc.paragraph(f"{number}. {area}", bold=True)
        for task in tasks:
            meta = "; ".join(
                part
                for part in (
                    f"{_('chủ trì')}: {task.owner}" if task.owner else "",
                    f"{_('thời hạn')}: {task.due_on:%d/%m/%Y}" if task.due_on else "",
                )
                if part
            )
            doc.paragraph(f"- {task.description}" + (f" ({meta})" if meta else ""))
    cadres = list(plan.cadres.all())
    if cadres:
        doc.heading("IV. " + _("TĂNG CƯỜNG CÁN BỘ"))
        for cadre in cadres:
            doc.paragraph(f"- {cadre.full_name}, {cadre.home_post}: {cadre.unit_post} ({cadre.start:%d/%m/%Y})")
    indicators = list(plan.indicators.all())
    if indicators:
        doc.heading("VI. " + _("CHỈ TIÊU THEO DÕI"))
        doc.table(
            ["TT", _("Chỉ tiêu"), _("Đơn vị tính"), _("Ban đầu"), _("Mục tiêu")],
            [
                [i, ind.name, ind.unit_of_measure, vn_number(ind.baseline_value), vn_number(ind.target_value)]
                for i, ind in enumerate(indicators, start=1)
            ],
        )
    if outcome is not None and getattr(outcome, "later", None):
        doc.heading("VII. " + _("KẾT QUẢ"))
        doc.paragraph(f"{_('Kết quả xếp loại của đơn vị')}: {outcome.text}.")
    doc.closing()
    return doc.content()


def docx_response(*, content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
