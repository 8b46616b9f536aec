"""Imports as recorded events: the file, who sent it, its counts and outcome."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models.fields import random_upload_name


def _import_upload_to(instance: "ImportRecord", filename: str) -> str:
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    return random_upload_name("imports", suffix)


class ImportRecord(models.Model):
    """One upload or command import of a file: who, when, what, how it ended; the file itself is kept."""

    class Status(models.TextChoices):
        VALIDATING = "validating", _("Đang kiểm tra")
        VALIDATED = "validated", _("Đã kiểm tra, chờ xác nhận")
        IMPORTING = "importing", _("Đang ghi dữ liệu")
        SUCCEEDED = "succeeded", _("Đã nhập")
        FAILED = "failed", _("Có lỗi, không ghi gì")
        REJECTED = "rejected", _("Tệp bị từ chối")

    user = models.ForeignKey(
        "User",
        verbose_name=_("người nhập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imports",
    )
    # The unit the import was made for: its maker's organization at upload, kept when the maker later moves, so the
    # file and its error report stay with that unit's scope (permissions.import_record_get_for_user). Empty for an
    # account tied to no organization (a superuser, a command run without one): seen only by who sees everything.
    # Indexed first in import_record_unit_recent, which also serves PROTECT's check on deleting an organization.
    organization = models.ForeignKey(
        "Organization",
        verbose_name=_("tổ chức đảng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_records",
        db_index=False,
    )
    created_at = models.DateTimeField(_("lúc tải lên"), auto_now_add=True)
    finished_at = models.DateTimeField(_("lúc xong"), null=True, blank=True)
    # When the current check or write began (or was queued): a run still unfinished long after it was stopped from
    # outside (worker or web process killed) and is recorded as such (importing.records.import_record_expire_if_stale).
    started_at = models.DateTimeField(_("lúc bắt đầu chạy"), null=True, blank=True)
    data_type = models.CharField(_("loại dữ liệu"), max_length=16)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    # Stored under MEDIA_ROOT with a random name; served only by a scope-checked view, as an attachment.
    file = models.FileField(_("tệp"), upload_to=_import_upload_to, max_length=200, blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("kích thước"), default=0)
    source = models.CharField(_("nguồn"), max_length=8, default="web")
    dry_run = models.BooleanField(_("chạy thử"), default=False)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.VALIDATING)
    rows_estimated = models.PositiveIntegerField(_("số dòng ước tính"), default=0)
    rows = models.PositiveIntegerField(_("số dòng"), default=0)
    created = models.PositiveIntegerField(_("thêm mới"), default=0)
    updated = models.PositiveIntegerField(_("cập nhật"), default=0)
    unchanged = models.PositiveIntegerField(_("không đổi"), default=0)
    error_count = models.PositiveIntegerField(_("số lỗi"), default=0)
    # The first errors ([row, column, message]) and a sample of changes, for the preview page.
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    changes = models.JSONField(_("thay đổi"), default=list, blank=True)
    message = models.TextField(_("thông báo"), blank=True)

    class Meta:
        verbose_name = _("lần nhập dữ liệu")
        # Without "các": the admin's action already says "Xóa các %(verbose_name_plural)s đã chọn".
        verbose_name_plural = _("lần nhập dữ liệu")
        ordering = ["-created_at"]
        # The upload page lists the user's latest imports made for their unit: read in order from the index, not
        # sorted from all of them.
        indexes = [models.Index(fields=["organization", "user", "-created_at"], name="import_record_unit_recent")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.data_type}, {self.created_at:%d/%m/%Y %H:%M})"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.VALIDATING, self.Status.IMPORTING)
