"""The yearly results report: pick an organization and a year, read it as a page, download it as XLSX or PDF."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments import permissions
from assessments.common.uploads import stored_attachment
from assessments.models import DocumentKind
from assessments.regulation.selectors import overrides_in_subtree
from assessments.reports import build as reports
from assessments.reports import decision as report_decision
from assessments.reports import issuing, wordfiles
from assessments.reports import renderers as report_renderers
from assessments.reports.lists import result_lists

CODE = re.compile(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"


def _report_for(request, code: str, year: int) -> reports.Report:
    """The report of an organization in the user's scope; 404 outside the scope or for a year with no scheme."""
    organization = permissions.organization_get_for_user(user=request.user, code=code)
    try:
        return reports.report_build(organization=organization, year=year)
    except reports.ReportError as error:
        raise Http404(str(error)) from error


def _filename(report: reports.Report, extension: str) -> str:
    return f"bao-cao-xep-loai-{report.organization.code}-{report.year}.{extension}"


@login_required
def report_index(request):
    organizations = list(reports.report_organizations(user=request.user))
    years = reports.report_years()
    code, year = request.GET.get("org", ""), request.GET.get("year", "")
    if CODE.fullmatch(code) and year.isdigit() and len(year) == 4:
        return redirect("reports:detail", code=code, year=int(year))
    default = request.user.organization if request.user.organization in organizations else None
    context = {
        "organizations": organizations,
        "years": years,
        "selected": default or (organizations[0] if organizations else None),
    }
    return render(request, "assessments/report_index.html", context)


def _issue_context(request, report: reports.Report, form=None) -> dict:
    organization = report.organization
    may_issue = permissions.may_issue_documents(request.user, organization)
    issued = issuing.documents_issued(organization=organization, year=report.year)  # newest first by kind
    if form is None and may_issue:
        latest = next((doc for doc in issued if doc.kind == DocumentKind.REPORT), None)
        form = issuing.IssueForm(initial=latest.header | {"kind": DocumentKind.REPORT} if latest else None)
    return {
        "may_issue": may_issue,
        "issue_form": form,
        "issue_url": reverse("reports:issue", args=[organization.code, report.year]),
        "issued": issued,
    }


@login_required
def report_detail(request, code: str, year: int):
    report = _report_for(request, code, year)
    return render(request, "assessments/report_detail.html", _page_context(request, report))


@login_required
@require_POST
def report_issue(request, code: str, year: int):
    """Set the number, date, signer and recipients of a document: a new version, kept with its PDF and Word files."""
    report = _report_for(request, code, year)
    issuing.issuer_role_require(request.user, report.organization)
    form = issuing.IssueForm(request.POST)
    if not form.is_valid():
        return render(request, "assessments/report_detail.html", _page_context(request, report, form), status=400)
    data = dict(form.cleaned_data)
    kind = data.pop("kind")
    issued = issuing.document_issue(actor=request.user, report=report, kind=kind, **data)
    messages.success(
        request,
        _("Đã lưu phiên bản %(version)s của %(document)s.")
        % {"version": issued.version, "document": issued.get_kind_display()},
    )
    return redirect("reports:detail", code=report.organization.code, year=report.year)


def _page_context(request, report: reports.Report, form=None) -> dict:
    context = {
        "report": report,
        "organizations": reports.report_organizations(user=request.user),
        "years": reports.report_years(),
        "distribution_svg": report_renderers.svg_distribution(report),
        "trend_svg": report_renderers.svg_trend(report),
        "chart_data": report_renderers.chart_data(report),
        "xlsx_url": reverse("reports:xlsx", args=[report.organization.code, report.year]),
        "pdf_url": reverse("reports:pdf", args=[report.organization.code, report.year]),
        "decision_url": reverse("reports:decision", args=[report.organization.code, report.year]),
        "decision_pdf_url": reverse("reports:decision_pdf", args=[report.organization.code, report.year]),
        "docx_url": reverse("reports:docx", args=[report.organization.code, report.year]),
        "decision_docx_url": reverse("reports:decision_docx", args=[report.organization.code, report.year]),
        "lists": result_lists(organization=report.organization, year=report.year),
        "overrides": list(overrides_in_subtree(organization=report.organization, year=report.year)),
    }
    return context | _issue_context(request, report, form)


def _file(content: bytes, content_type: str, filename: str, *, inline: bool = False) -> HttpResponse:
    """A generated file: a PDF opens in the browser (`inline`), the other kinds are saved."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response


def _decision_filename(report: reports.Report, extension: str) -> str:
    return f"quyet-dinh-{report.organization.code}-{report.year}.{extension}"


def _report_and_header(request, code: str, year: int, kind: str) -> tuple[reports.Report, dict]:
    """The report in scope and the header of its latest issued version of `kind` (report or decision)."""
    report = _report_for(request, code, year)
    return report, issuing.issued_header(organization=report.organization, year=year, kind=kind)


@login_required
def report_xlsx(request, code: str, year: int):
    report = _report_for(request, code, year)
    return _file(report_renderers.report_xlsx(report), XLSX_TYPE, _filename(report, "xlsx"))


@login_required
def report_pdf(request, code: str, year: int):
    report, header = _report_and_header(request, code, year, DocumentKind.REPORT)
    return _file(report_renderers.report_pdf(report, **header), PDF_TYPE, _filename(report, "pdf"), inline=True)


@login_required
def decision_html(request, code: str, year: int):
    """The standing board's decision recognizing the year's results, with its list, as an HTML document. Served, it
    links its stylesheets: the inline copy a standalone file carries is refused by the pages' CSP (style-src 'self')."""
    report, header = _report_and_header(request, code, year, DocumentKind.DECISION)
    html = report_decision.decision_html(report, standalone=False, **header)
    return HttpResponse(html, content_type="text/html; charset=utf-8")


@login_required
def decision_pdf(request, code: str, year: int):
    report, header = _report_and_header(request, code, year, DocumentKind.DECISION)
    return _file(
        report_decision.decision_pdf(report, **header), PDF_TYPE, _decision_filename(report, "pdf"), inline=True
    )


@login_required
def report_docx(request, code: str, year: int):
    """The report as an editable Word file, with the latest issued header."""
    report, header = _report_and_header(request, code, year, DocumentKind.REPORT)
    return _file(wordfiles.report_docx(report, **header), DOCX_TYPE, _filename(report, "docx"))


@login_required
def decision_docx(request, code: str, year: int):
    report, header = _report_and_header(request, code, year, DocumentKind.DECISION)
    return _file(wordfiles.decision_docx(report, **header), DOCX_TYPE, _decision_filename(report, "docx"))


# --- the files kept with an issued version: within scope only, as attachments, never cached ------------------------


def _issued_file(request, pk: int, field: str, extension: str, content_type: str):
    document = permissions.issued_document_get_for_user(user=request.user, pk=pk)
    stored = getattr(document, field)
    if not stored:
        raise Http404(_("Phiên bản này được tạo trước khi lưu tệp văn bản: không có tệp."))
    response = stored_attachment(
        stored, filename=issuing.issued_file_name(document, extension), content_type=content_type
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def issued_pdf(request, pk: int):
    """The PDF generated once when this version was issued, byte for byte (its SHA-256 is on the report page)."""
    return _issued_file(request, pk, "pdf_file", "pdf", PDF_TYPE)


@login_required
@require_GET
def issued_docx(request, pk: int):
    """The Word file generated once when this version was issued."""
    return _issued_file(request, pk, "docx_file", "docx", DOCX_TYPE)
