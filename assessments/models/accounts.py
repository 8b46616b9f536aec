"""Users with a role and the organization they act for."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models.organizations import Organization


class Role(models.TextChoices):
    OFFICER = "officer", _("Cán bộ Ban Tổ chức")
    LEADER = "leader", _("Lãnh đạo (Ban Thường vụ)")
    SECRETARY = "secretary", _("Bí thư cơ sở")
    ADMIN = "admin", _("Quản trị hệ thống")


class User(AbstractUser):
    """A person who logs in; their role and organization decide what they may see and do."""

    role = models.CharField(_("vai trò"), max_length=12, choices=Role.choices, default=Role.SECRETARY)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("tổ chức"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="admin") | Q(is_superuser=True) | Q(organization__isnull=False),
                name="user_scoped_unless_admin",
                violation_error_message=_("Tài khoản không phải quản trị phải gắn với một tổ chức."),
            ),
        ]
