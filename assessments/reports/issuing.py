"""Issuing a results document from the browser: the form (number, date, signer, post, recipients), the service that
records a new version with the PDF and Word files generated once with it and their checksums (private media, random
names), and the latest version's header for later downloads (issue 17)."""

import hashlib
from collections.abc import Callable

from django import forms
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import permissions
from assessments.common.text import TextNormalizeFormMixin
from assessments.models import DocumentKind, IssuedDocument, Organization
from assessments.reports import decision as report_decision
from assessments.reports import renderers as report_renderers
from assessments.reports import wordfiles
from assessments.reports.rows import Report

# The renderers of each document, by file: what a version keeps.
RENDERERS: dict[str, dict[str, Callable[..., bytes]]] = {
    DocumentKind.REPORT: {"pdf": report_renderers.report_pdf, "docx": wordfiles.report_docx},
    DocumentKind.DECISION: {"pdf": report_decision.decision_pdf, "docx": wordfiles.decision_docx},
}
FILE_NAMES = {DocumentKind.REPORT: "bao-cao-xep-loai", DocumentKind.DECISION: "quyet-dinh"}


class IssueForm(TextNormalizeFormMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Văn bản"), choices=DocumentKind.choices)
    number = forms.RegexField(
        label=gettext_lazy("Số"),
        regex=r"^[0-9A-Za-z]{1,20}$",
        help_text=gettext_lazy("Chỉ phần số, ví dụ 15 (ký hiệu -BC/HU, -QĐ/HU được thêm tự động)."),
        error_messages={"invalid": gettext_lazy("Số văn bản chỉ gồm chữ số và chữ cái, không quá 20 ký tự.")},
    )
    issued_on = forms.DateField(label=gettext_lazy("Ngày ban hành"), widget=forms.DateInput(attrs={"type": "date"}))
    signer_post = forms.CharField(label=gettext_lazy("Chức vụ người ký"), max_length=80, required=False)
    signer_name = forms.CharField(label=gettext_lazy("Người ký"), max_length=120, required=False)
    recipients = forms.CharField(
        label=gettext_lazy("Nơi nhận (mỗi dòng một nơi)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def document_latest(*, organization, year: int, kind: str) -> IssuedDocument | None:
    return (
        IssuedDocument.objects.filter(organization=organization, year=year, kind=kind)
        .select_related("created_by")
        .order_by("-version")
        .first()
    )


def documents_issued(*, organization, year: int) -> list[IssuedDocument]:
    return list(
        IssuedDocument.objects.filter(organization=organization, year=year)
        .select_related("created_by")
        .order_by("kind", "-version")
    )


def issuer_role_require(user, organization) -> None:
    """Only an officer sets a document's header; 403 for another role (the page asks before reading the form, the
    service again)."""
    permissions.role_require(
        permissions.may_issue_documents(user, organization),
        _("Chỉ cán bộ Ban Tổ chức đặt số, ngày, người ký và nơi nhận của văn bản."),
    )


def document_issue(*, actor, report: Report, kind: str, **header) -> IssuedDocument:
    """Record a new version of a document with these header values, its PDF and Word files generated once and kept
    with their SHA-256; nothing is kept if the version cannot be recorded."""
    permissions.scope_require(actor, report.organization)
    issuer_role_require(actor, report.organization)
    # Rendered before the transaction: a PDF takes seconds, and the lock below should not wait for it.
    pdf, docx = (RENDERERS[kind][name](report, **header) for name in ("pdf", "docx"))
    document = IssuedDocument(
        organization=report.organization,
        year=report.year,
        kind=kind,
        checksum=hashlib.sha256(pdf).hexdigest(),
        docx_checksum=hashlib.sha256(docx).hexdigest(),
        created_by=actor,
        **header,
    )
    try:
        document.pdf_file.save("document.pdf", ContentFile(pdf), save=False)
        document.docx_file.save("document.docx", ContentFile(docx), save=False)
        with transaction.atomic():
            # The organization's row is locked so that two officers issuing at once get consecutive versions (a
            # lock on the versions themselves would not hold: an aggregate drops FOR UPDATE, and the first version
            # has no row to lock).
            Organization.objects.select_for_update().filter(pk=report.organization.pk).first()
            last = IssuedDocument.objects.filter(
                organization=report.organization, year=report.year, kind=kind
            ).aggregate(n=Max("version"))["n"]
            document.version = (last or 0) + 1
            document.save()
    except Exception:
        # No version, no files: the files written above go with the version that failed.
        for stored in (document.pdf_file, document.docx_file):
            if stored:
                stored.delete(save=False)
        raise
    return document


def issued_file_name(document: IssuedDocument, extension: str) -> str:
    """The name a stored file is downloaded under: "quyet-dinh-BS-2017-v2.pdf"."""
    return f"{FILE_NAMES[document.kind]}-{document.organization.code}-{document.year}-v{document.version}.{extension}"


def issued_header(*, organization, year: int, kind: str) -> dict:
    """The latest version's header for a download, or {} (the document then shows "…" and today's date)."""
    latest = document_latest(organization=organization, year=year, kind=kind)
    return latest.header if latest is not None else {}
