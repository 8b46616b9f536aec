"""The ratings of units and members for a year or a quarter of it, with the reasons a subject was not rated."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import FilteredRelation, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models.fields import (
    below_score_reason_field,
    optional_level_field,
    score_field,
    task_figure_fields,
    year_field,
    year_range_constraint,
)
from assessments.models.members import Member
from assessments.models.organizations import Organization
from assessments.models.periods import Period, period_field


class NotRatedReason(models.TextChoices):
    EXEMPT = "exempt", _("Miễn công tác và sinh hoạt đảng")
    SUSPENDED = "suspended", _("Đình chỉ sinh hoạt đảng")
    ADMITTED_RECENTLY = "admitted_recently", _("Vào Đảng chưa đủ 6 tháng")
    FOUNDED_RECENTLY = "founded_recently", _("Thành lập chưa đủ 6 tháng")
    OTHER = "other", _("Lý do khác")


MEMBER_REASONS = (
    NotRatedReason.EXEMPT,
    NotRatedReason.SUSPENDED,
    NotRatedReason.ADMITTED_RECENTLY,
    NotRatedReason.OTHER,
)
UNIT_REASONS = (NotRatedReason.FOUNDED_RECENTLY, NotRatedReason.OTHER)


class CivilServantLevel(models.TextChoices):
    """A member's rating as a civil servant or public employee that year, best first (the same four names)."""

    EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
    COMPLETED = "completed", _("Hoàn thành nhiệm vụ")
    NOT_COMPLETED = "not_completed", _("Không hoàn thành nhiệm vụ")


def period_label(year: int, period: str) -> str:
    """A rating's period as people write it: "2026" for the year, "Quý I/2026" for a quarter."""
    return str(year) if not period else f"{Period(period).label}/{year}"


def rating_of(relation: str, year: int, period: str = Period.YEAR) -> FilteredRelation:
    """A join to the rating of one period of a year (by default the yearly one) through a reverse relation."""
    return FilteredRelation(relation, condition=Q(**{f"{relation}__year": year, f"{relation}__period": period}))


class AssessmentQuerySet(models.QuerySet):
    def for_year(self, year: int, period: str = Period.YEAR):
        """The ratings of one period of a year: by default the yearly ones, never the quarters'."""
        return self.filter(year=year, period=period)

    def yearly(self):
        """The yearly ratings only: every yearly figure reads these, so quarters never count in a year."""
        return self.filter(period=Period.YEAR)

    def rated(self):
        return self.filter(level__isnull=False)


class UnitAssessment(models.Model):
    organization = models.ForeignKey(
        Organization, verbose_name=_("tổ chức đảng"), on_delete=models.PROTECT, related_name="assessments"
    )
    year = year_field(_("năm"))
    period = period_field()
    self_level = optional_level_field(_("tự đánh giá"))
    level = optional_level_field(_("xếp loại"))
    exemplary = models.BooleanField(_("tiêu biểu"), default=False)
    # Recorded with the unit's proposal: HD 21's condition for "excellent" on what the unit leads.
    mass_organizations_good = models.BooleanField(
        _("chính quyền, MTTQ và đoàn thể đạt hoàn thành tốt trở lên"),
        null=True,
        blank=True,
        help_text=_(
            "Chính quyền, Mặt trận Tổ quốc và các đoàn thể do đơn vị lãnh đạo xếp loại hoàn thành tốt trở lên."
        ),
    )
    not_rated_reason = models.CharField(
        _("lý do không xếp loại"), max_length=20, choices=NotRatedReason.choices, blank=True
    )
    # QĐ 366's scores and task figures; the rule (rules/scores.py) reads them only for a scheme that is scored.
    self_score = score_field(_("điểm tự chấm"))
    score = score_field(_("điểm"))
    tasks_assigned, tasks_on_time, tasks_exceeded, tasks_late = task_figure_fields()
    below_score_reason = below_score_reason_field()
    decision_ref = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("xếp loại tổ chức đảng")
        verbose_name_plural = _("xếp loại tổ chức đảng")
        ordering = ["-year", "period", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "period"],
                name="unit_assessment_one_per_period",
                violation_error_message=_("Tổ chức này đã có bản xếp loại của kỳ đó."),
            ),
            models.CheckConstraint(
                condition=Q(exemplary=False) | Q(level__isnull=False),
                name="unit_exemplary_needs_level",
                violation_error_message=_("Chỉ đơn vị đã xếp loại mới có thể là tiêu biểu."),
            ),
            models.CheckConstraint(
                condition=Q(not_rated_reason="") | Q(level__isnull=True),
                name="unit_rated_has_no_reason",
                violation_error_message=_("Đơn vị đã xếp loại thì không ghi lý do không xếp loại."),
            ),
            year_range_constraint("unit_assessment_year_range"),
        ]
        indexes = [models.Index(fields=["year", "level"], name="unit_assessment_year_level")]

    def __str__(self) -> str:
        return f"{self.organization} – {period_label(self.year, self.period)}"

    @property
    def is_weak(self) -> bool:
        """Rated at the lowest level of its scheme (weak before 2018, not completed after), as the level row says."""
        return self.level_id is not None and self.level.is_lowest


class MemberAssessment(models.Model):
    member = models.ForeignKey(
        Member, verbose_name=_("đảng viên"), on_delete=models.PROTECT, related_name="assessments"
    )
    year = year_field(_("năm"))
    period = period_field()
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("nơi đánh giá"),
        on_delete=models.PROTECT,
        related_name="member_assessments",
    )
    level = optional_level_field(_("xếp loại"))
    not_rated_reason = models.CharField(
        _("lý do không xếp loại"), max_length=20, choices=NotRatedReason.choices, blank=True
    )
    # QĐ 366's scores and task figures; the rule (rules/scores.py) reads them only for a scheme that is scored.
    self_score = score_field(_("điểm tự chấm"))
    score = score_field(_("điểm"))
    tasks_assigned, tasks_on_time, tasks_exceeded, tasks_late = task_figure_fields()
    below_score_reason = below_score_reason_field()
    sick_leave_months = models.PositiveSmallIntegerField(
        _("số tháng nghỉ ốm trong năm"), null=True, blank=True, validators=[MaxValueValidator(12)]
    )
    civil_servant_level = models.CharField(
        _("xếp loại công chức, viên chức"), max_length=16, choices=CivilServantLevel.choices, blank=True
    )
    note = models.TextField(_("ghi chú"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("xếp loại đảng viên")
        verbose_name_plural = _("xếp loại đảng viên")
        ordering = ["-year", "period", "member__name_folded"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "period"],
                name="member_assessment_one_per_period",
                violation_error_message=_("Đảng viên này đã có bản xếp loại của kỳ đó."),
            ),
            models.CheckConstraint(
                condition=(Q(level__isnull=False) & Q(not_rated_reason=""))
                | (Q(level__isnull=True) & ~Q(not_rated_reason="")),
                name="member_rated_xor_reason",
                violation_error_message=_("Ghi mức xếp loại, hoặc lý do không xếp loại, không ghi cả hai."),
            ),
            year_range_constraint("member_assessment_year_range"),
        ]
        indexes = [models.Index(fields=["year", "organization", "level"], name="member_assessment_year_org")]

    def __str__(self) -> str:
        return f"{self.member} – {period_label(self.year, self.period)}"
