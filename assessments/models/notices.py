"""Notices of the yearly cycle in the app: one row per recipient of each notice, read or not (issue 18)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    YEAR_OPENED = "year_opened", _("Mở đợt đánh giá")
    DEADLINE_NEAR = "deadline_near", _("Sắp đến hạn nộp")
    SUBMITTED = "submitted", _("Hồ sơ đã gửi")
    RETURNED = "returned", _("Hồ sơ bị trả lại")
    DECIDED = "decided", _("Đã có kết quả")


class Notice(models.Model):
    """What one person was told, with the address in the app of the object it is about."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhận"), on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("loại"), max_length=20, choices=NoticeKind.choices)
    subject = models.CharField(_("tiêu đề"), max_length=200)
    body = models.TextField(_("nội dung"), blank=True)
    path = models.CharField(_("đường dẫn"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("lúc gửi"), auto_now_add=True)
    read_at = models.DateTimeField(_("lúc đọc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_recipient_unread")]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
