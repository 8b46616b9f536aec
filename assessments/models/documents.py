"""The issued versions of a report's documents: the number, date, signer, post and recipients set in the browser,
kept with the files generated with them (PDF and Word) and their checksums, who made it and when (issue 17)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models.fields import random_upload_name, year_field
from assessments.models.organizations import Organization


def _issued_upload_to(instance: "IssuedDocument", filename: str) -> str:
    # In private media (never served directly, never under static): only the scoped view reads it.
    suffix = ".docx" if filename.lower().endswith(".docx") else ".pdf"
    return random_upload_name("issued", suffix)


class DocumentKind(models.TextChoices):
    REPORT = "report", _("Báo cáo kết quả")
    DECISION = "decision", _("Quyết định công nhận")


class IssuedDocument(models.Model):
    """One version of a document of an organization's yearly results; the latest gives later downloads' header."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("tổ chức đảng"), on_delete=models.CASCADE, related_name="issued_documents"
    )
    year = year_field(_("năm"))
    kind = models.CharField(_("văn bản"), max_length=10, choices=DocumentKind.choices)
    version = models.PositiveIntegerField(_("phiên bản"))
    number = models.CharField(_("số"), max_length=20)
    issued_on = models.DateField(_("ngày ban hành"))
    signer_post = models.CharField(_("chức vụ người ký"), max_length=80, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận."))
    checksum = models.CharField(_("mã kiểm tra SHA-256 của tệp PDF"), max_length=64)
    # The files generated once with this header; versions issued before files were kept have none.
    pdf_file = models.FileField(_("tệp PDF"), upload_to=_issued_upload_to, max_length=200, blank=True)
    docx_file = models.FileField(_("tệp Word"), upload_to=_issued_upload_to, max_length=200, blank=True)
    docx_checksum = models.CharField(_("mã kiểm tra SHA-256 của tệp Word"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("văn bản đã ban hành")
        verbose_name_plural = _("văn bản đã ban hành")
        ordering = ["organization", "year", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "kind", "version"], name="issued_document_one_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization.code} {self.year} {self.kind} v{self.version}"

    @property
    def header(self) -> dict:
        """The keyword arguments of the document renderers."""
        return {
            "number": self.number,
            "issued_on": self.issued_on,
            "signer_post": self.signer_post,
            "signer_name": self.signer_name,
            "recipients": self.recipients,
        }
