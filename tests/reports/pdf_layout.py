"""What of a report's PDF runs off its page: WeasyPrint lays the document out as for the PDF, and each table whose
right edge passes the page's content area (its margins) is named with the millimetres it passes by."""

from django.template.loader import render_to_string
from django.utils import translation

from assessments.common import pdf
from assessments.reports import renderers

PX_PER_MM = 96 / 25.4


def _boxes(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _boxes(child)


def tables_past_the_page(report, template: str = renderers.DOCUMENT_TEMPLATE) -> list[tuple[int, str, float]]:
    """(page number, the table's id or class, millimetres past the right margin) for every table that runs off."""
    from weasyprint import HTML

    with translation.override("vi"):
        context = {**renderers.document_context(report, number="15"), "for_pdf": True}
        html = render_to_string(template, context)
    document = HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=pdf.url_fetcher()).render()
    past = []
    for number, page in enumerate(document.pages, 1):
        page_box = page._page_box
        right = page_box.content_box_x() + page_box.width
        for box in _boxes(page_box):
            if type(box).__name__ != "TableBox":
                continue
            overflow = box.position_x + box.margin_width() - right
            if overflow > 0.5:
                name = box.element.get("id") or box.element.get("class") or "table"
                past.append((number, name, round(overflow / PX_PER_MM, 1)))
    return past
