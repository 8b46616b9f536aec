"""The yearly cycle: a year opened for an organization, each unit's submission and its review documents."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models.fields import acting_user_field, optional_level_field, random_upload_name, year_field
from assessments.models.organizations import Organization, OrganizationQuerySet
from assessments.models.schemes import RatingScheme


class YearCycle(models.Model):
    """A year's assessment opened by an organization for the units directly under it (those existing at year end)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("tổ chức mở đợt"), on_delete=models.PROTECT, related_name="cycles"
    )
    year = year_field(_("năm"))
    scheme = models.ForeignKey(
        RatingScheme, verbose_name=_("quy định xếp loại"), on_delete=models.PROTECT, related_name="cycles"
    )
    deadline = models.DateField(_("hạn nộp"))
    opened_by = acting_user_field(_("người mở"))
    opened_at = models.DateTimeField(_("mở lúc"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đợt đánh giá năm")
        verbose_name_plural = _("đợt đánh giá năm")
        ordering = ["-year", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="year_cycle_one_per_organization_year",
                violation_error_message=_("Tổ chức này đã mở đợt đánh giá của năm đó."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} – {self.year}"

    def units(self) -> OrganizationQuerySet:
        """The units to rate: directly subordinate, existing on 31 December of the year."""
        return Organization.objects.filter(parent=self.organization).for_year(self.year)


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Đang chuẩn bị")
    SUBMITTED = "submitted", _("Đã gửi, chờ thẩm định")
    RETURNED = "returned", _("Bị trả lại để sửa")
    FINALIZED = "finalized", _("Đã chốt kết quả")


# While a submission is in these states its unit (the secretary) may still change things.
EDITABLE_STATUSES = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


class Submission(models.Model):
    """One unit's file for one year: what it sends up, its state, and the district's answer."""

    cycle = models.ForeignKey(
        YearCycle, verbose_name=_("đợt đánh giá"), on_delete=models.PROTECT, related_name="submissions"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("tổ chức đảng"), on_delete=models.PROTECT, related_name="submissions"
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    # The district Organization Board's appraisal, before the Standing Board's decision is recorded.
    proposed_level = optional_level_field(_("Ban Tổ chức đề xuất"))
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = acting_user_field(_("người gửi"))
    returned_at = models.DateTimeField(_("trả lại lúc"), null=True, blank=True)
    returned_by = acting_user_field(_("người trả lại"))
    return_comment = models.TextField(_("ý kiến khi trả lại"), blank=True)
    finalized_at = models.DateTimeField(_("chốt lúc"), null=True, blank=True)
    finalized_by = acting_user_field(_("người chốt"))
    override_reason = models.TextField(_("lý do vượt kiểm tra quy định"), blank=True)
    reopen_reason = models.TextField(_("lý do mở lại"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    # Reasons (return comments, overrides, reopenings) are kept whole in the history, not cut at 100 characters.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("hồ sơ đánh giá")
        verbose_name_plural = _("hồ sơ đánh giá")
        ordering = ["-cycle__year", "organization__name_folded"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "organization"],
                name="submission_one_per_unit_cycle",
                violation_error_message=_("Đơn vị này đã có hồ sơ trong đợt đánh giá đó."),
            ),
        ]
        indexes = [models.Index(fields=["organization", "status"], name="submission_org_status")]

    def __str__(self) -> str:
        return f"{self.organization} – {self.cycle.year}"

    @property
    def year(self) -> int:
        return self.cycle.year

    @property
    def is_editable(self) -> bool:
        """The unit may still change its file: not yet sent, or sent back by the district."""
        return self.status in EDITABLE_STATUSES


class DocumentVersion(models.Model):
    """What every version of an uploaded document keeps beside its file: its number, the uploader's file name (kept
    only as data), format, size and checksum, who uploaded it and when."""

    class FileKind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"

    version = models.PositiveIntegerField(_("lần nộp"))
    original_name = models.CharField(_("tên tệp"), max_length=255)
    kind = models.CharField(_("định dạng"), max_length=4, choices=FileKind.choices)
    size = models.PositiveBigIntegerField(_("kích thước (byte)"))
    checksum = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = acting_user_field(_("người tải lên"))
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.original_name} (v{self.version})"


def _review_upload_to(instance: "ReviewDocument", filename: str) -> str:
    return random_upload_name("reviews", f".{instance.kind}")


class ReviewDocument(DocumentVersion):
    """One version of a unit's review report (báo cáo kiểm điểm); every upload is a new version, none is replaced."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="documents"
    )
    file = models.FileField(_("tệp"), upload_to=_review_upload_to, max_length=200)

    class Meta:
        verbose_name = _("báo cáo kiểm điểm")
        verbose_name_plural = _("báo cáo kiểm điểm")
        ordering = ["submission", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "version"], name="review_document_version_unique"),
        ]


def _self_assessment_upload_to(instance: "SelfAssessmentDocument", filename: str) -> str:
    # In a folder of their own, apart from the review reports.
    return random_upload_name("self-assessments", f".{instance.kind}")


class SelfAssessmentForm(models.TextChoices):
    """The HD 43 annex's individual self-assessment forms, by kind of member."""

    LEADER = "2A", _("Mẫu 2A (cán bộ lãnh đạo, quản lý)")
    POLITICAL_SYSTEM = "2B", _("Mẫu 2B (đảng viên công tác trong hệ thống chính trị)")
    OTHER = "2C", _("Mẫu 2C (đảng viên không công tác trong hệ thống chính trị)")


class SelfAssessmentDocument(DocumentVersion):
    """One version of a member's self-assessment (Mẫu 2A/2B/2C) in a unit's file; each upload is a new version."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="self_assessments"
    )
    member = models.ForeignKey(
        "assessments.Member", verbose_name=_("đảng viên"), on_delete=models.PROTECT, related_name="self_assessments"
    )
    form = models.CharField(_("mẫu"), max_length=2, choices=SelfAssessmentForm.choices)
    file = models.FileField(_("tệp"), upload_to=_self_assessment_upload_to, max_length=200)

    class Meta:
        verbose_name = _("bản tự kiểm điểm của đảng viên")
        verbose_name_plural = _("bản tự kiểm điểm của đảng viên")
        ordering = ["submission", "member", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "member", "version"], name="self_assessment_version_unique"),
        ]
