"""Issuing a results document from the browser: the form (number, date, signer, post, recipients), the service that
records a new version with the checksum of the PDF generated with it, and the latest version's header for later
downloads (issue 17)."""

import hashlib

from django import forms
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import permissions
from assessments.common.text import TextNormalizeFormMixin
from assessments.models import DocumentKind, IssuedDocument
from assessments.reports.rows import Report


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


def document_issue(*, actor, report: Report, kind: str, render, **header) -> IssuedDocument:
    """Record a new version of a document with these header values and the SHA-256 of the PDF `render` makes."""
    permissions.scope_require(actor, report.organization)
    permissions.role_require(
        permissions.may_issue_documents(actor, report.organization),
        _("Chỉ cán bộ Ban Tổ chức đặt số, ngày, người ký và nơi nhận của văn bản."),
    )
    content = render(report, **header)
    with transaction.atomic():
        # Locked so that two officers issuing at once get consecutive versions.
        last = (
            IssuedDocument.objects.select_for_update()
            .filter(organization=report.organization, year=report.year, kind=kind)
            .aggregate(n=Max("version"))["n"]
        )
        return IssuedDocument.objects.create(
            organization=report.organization,
            year=report.year,
            kind=kind,
            version=(last or 0) + 1,
            checksum=hashlib.sha256(content).hexdigest(),
            created_by=actor,
            **header,
        )


def issued_header(*, organization, year: int, kind: str) -> dict:
    """The latest version's header for a download, or {} (the document then shows "…" and today's date)."""
    latest = document_latest(organization=organization, year=year, kind=kind)
    return latest.header if latest is not None else {}
