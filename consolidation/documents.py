"""PDF downloads of consolidation documents; the rendering itself is assessments.common.pdf."""

from django.http import HttpResponse
from django.template.loader import render_to_string

from assessments.common.pdf import BASE_URL, pdf_from_html, static_fetch

__all__ = ["BASE_URL", "pdf_from_html", "pdf_response", "static_fetch"]


def pdf_response(*, template: str, context: dict, filename: str, request=None) -> HttpResponse:
    """Render a template to a PDF download."""
    html = render_to_string(template, {**context, "for_pdf": True}, request=request)
    response = HttpResponse(pdf_from_html(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
