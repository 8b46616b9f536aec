"""Party members and their memberships: which cell a member belongs to, from when to when."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.common.text import fold
from assessments.models.constraints import range_constraint
from assessments.models.organizations import Organization, held


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class MemberStatus(models.TextChoices):
    OFFICIAL = "official", _("Chính thức")
    PROBATIONARY = "probationary", _("Dự bị")


class Member(models.Model):
    card_number = models.CharField(_("số thẻ đảng viên"), max_length=20, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=120)
    name_folded = models.CharField(max_length=120, db_index=True, editable=False)
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    ethnicity = models.CharField(_("dân tộc"), max_length=40, blank=True)
    admitted_on = models.DateField(_("ngày vào Đảng"), null=True, blank=True)
    official_on = models.DateField(_("ngày chính thức"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=MemberStatus.choices)
    # The current cell; the dated history is in Membership (services.member_transfer keeps both in step).
    organization = models.ForeignKey(
        Organization, verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="members"
    )
    history = HistoricalRecords(excluded_fields=["name_folded"])

    class Meta:
        verbose_name = _("đảng viên")
        verbose_name_plural = _("đảng viên")
        ordering = ["name_folded", "card_number"]
        constraints = [
            range_constraint(
                "admitted_on",
                "official_on",
                start_optional=True,
                name="member_official_after_admission",
                message=_("Ngày chính thức phải sau ngày vào Đảng."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.card_number})"

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.full_name)
        super().save(*args, **kwargs)


class MembershipQuerySet(models.QuerySet):
    def on(self, day: datetime.date) -> "MembershipQuerySet":
        """The memberships in force on a day: the members on a cell's rolls then."""
        return self.filter(held(day))

    def within(self, organization: Organization) -> "MembershipQuerySet":
        """The memberships of the cells in an organization's subtree (itself included)."""
        return self.filter(organization__path__startswith=organization.path)


class Membership(models.Model):
    """A member's time in one cell; a transfer closes one membership and opens the next."""

    member = models.ForeignKey(
        Member, verbose_name=_("đảng viên"), on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("tổ chức đảng"), on_delete=models.PROTECT, related_name="memberships"
    )
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("sinh hoạt đảng")
        verbose_name_plural = _("quá trình sinh hoạt đảng")
        ordering = ["member", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(end__isnull=True),
                name="membership_one_open_per_member",
                violation_error_message=_("Đảng viên chỉ sinh hoạt ở một chi bộ tại một thời điểm."),
            ),
            range_constraint("start", "end", name="membership_valid_range"),
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.organization.code} {self.start}–{self.end or ''}"
