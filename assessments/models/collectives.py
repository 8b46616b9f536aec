"""Leadership and management collectives (a commune's standing board, party committee, people's committee...), the
positions members hold in them, and the ratings of collectives and of leaders, by year or quarter (QĐ 366)."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.common.vocabulary import score_text, year_end
from assessments.models.constraints import range_constraint
from assessments.models.fields import (
    below_score_reason_field,
    optional_level_field,
    score_field,
    task_figure_fields,
    year_field,
    year_range_constraint,
)
from assessments.models.members import Member
from assessments.models.organizations import CODE_VALIDATOR, Dated, DatedQuerySet, Organization, held, overlapping
from assessments.models.periods import period_field, year_and_period_code


class CollectiveKind(models.TextChoices):
    STANDING_BOARD = "standing_board", _("Ban Thường vụ")
    PARTY_COMMITTEE = "party_committee", _("Ban Chấp hành đảng bộ")
    CELL_COMMITTEE = "cell_committee", _("Chi ủy")
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    PEOPLES_COUNCIL = "peoples_council", _("Thường trực Hội đồng nhân dân")
    FATHERLAND_FRONT = "fatherland_front", _("Ban Thường trực Ủy ban Mặt trận Tổ quốc")
    MASS_ORGANIZATION = "mass_organization", _("Ban Thường vụ đoàn thể chính trị - xã hội")
    DEPARTMENT = "department", _("Tập thể lãnh đạo cơ quan, phòng, ban")


class Title(models.TextChoices):
    SECRETARY = "secretary", _("Bí thư")
    DEPUTY_SECRETARY = "deputy_secretary", _("Phó Bí thư")
    CHAIR = "chair", _("Chủ tịch")
    VICE_CHAIR = "vice_chair", _("Phó Chủ tịch")
    HEAD = "head", _("Trưởng")
    DEPUTY_HEAD = "deputy_head", _("Phó trưởng")
    MEMBER = "member", _("Ủy viên")


class CollectiveQuerySet(DatedQuerySet):
    def during(self, year: int) -> "CollectiveQuerySet":
        """Collectives that existed at some time in the year (the rule of rules/collectives.collective_active_check):
        those the year's cycle rates."""
        return self.filter(overlapping(datetime.date(year, 1, 1), year_end(year)))


class Collective(Dated, models.Model):
    """One leadership or management collective of an organization, for the time it exists."""

    code = models.CharField(_("mã tập thể"), max_length=40, unique=True, validators=[CODE_VALIDATOR])
    organization = models.ForeignKey(
        Organization, verbose_name=_("tổ chức đảng"), on_delete=models.PROTECT, related_name="collectives"
    )
    kind = models.CharField(_("loại tập thể"), max_length=20, choices=CollectiveKind.choices)
    name = models.CharField(_("tên tập thể"), max_length=200)
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    history = HistoricalRecords()

    objects = CollectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("tập thể lãnh đạo, quản lý")
        verbose_name_plural = _("tập thể lãnh đạo, quản lý")
        ordering = ["organization__path", "kind", "code"]
        constraints = [
            range_constraint(
                "valid_from",
                "valid_to",
                name="collective_date_range",
                message=_("Ngày kết thúc phải từ ngày bắt đầu trở đi."),
                start_optional=True,
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PositionQuerySet(models.QuerySet):
    def held_during(self, year: int) -> "PositionQuerySet":
        """Posts held at some time in the year (rules/collectives.positions_held, the leadership rules' facts)."""
        return self.filter(held(datetime.date(year, 1, 1), year_end(year)))

    def for_year(self, year: int) -> "PositionQuerySet":
        """Positions held on 31 December of the year (the leader is rated where he or she sits then)."""
        return self.filter(held(year_end(year)))


class Position(models.Model):
    """A member's title in a collective, from and to; whether it heads the collective; which committee manages it."""

    member = models.ForeignKey(Member, verbose_name=_("đảng viên"), on_delete=models.PROTECT, related_name="positions")
    collective = models.ForeignKey(
        Collective, verbose_name=_("tập thể"), on_delete=models.PROTECT, related_name="positions"
    )
    title = models.CharField(_("chức danh"), max_length=20, choices=Title.choices)
    heads = models.BooleanField(_("người đứng đầu"), default=False)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"), null=True, blank=True)
    managed_by = models.ForeignKey(
        Organization,
        verbose_name=_("cấp ủy quản lý"),
        on_delete=models.PROTECT,
        related_name="managed_positions",
        help_text=_("Cấp ủy quản lý chức danh này, cũng là nơi quyết định xếp loại người giữ chức danh."),
    )
    history = HistoricalRecords()

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("chức danh lãnh đạo, quản lý")
        verbose_name_plural = _("chức danh lãnh đạo, quản lý")
        ordering = ["collective__code", "-heads", "title", "start"]
        constraints = [
            range_constraint(
                "start",
                "end",
                name="position_date_range",
                message=_("Ngày thôi giữ chức danh phải từ ngày bắt đầu trở đi."),
            ),
            models.UniqueConstraint(
                fields=["member", "collective", "start"],
                name="position_once_per_start",
                violation_error_message=_("Đảng viên này đã có chức danh trong tập thể từ ngày đó."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_title_display()} {self.collective}: {self.member}"


class LeadershipRating(models.Model):
    """What a collective's and a leader's rating share: the period, the three levels of the cycle (self-assessment,
    the organization board's appraisal, the decision), the decision, the score and task figures."""

    year = year_field(_("năm"))
    period = period_field()
    self_level = optional_level_field(_("tự đánh giá"))
    appraisal_level = optional_level_field(_("mức Ban Tổ chức thẩm định, đề xuất"))
    level = optional_level_field(_("xếp loại (cấp có thẩm quyền quyết định)"))
    self_score = score_field(_("điểm tự chấm"))
    score = score_field(_("điểm"))
    tasks_assigned, tasks_on_time, tasks_exceeded, tasks_late = task_figure_fields()
    below_score_reason = below_score_reason_field()
    decision_ref = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def score_shown(self) -> str:
        """The decided score as pages show it ("92,5", "—" when none)."""
        return score_text(self.score)

    @property
    def self_score_shown(self) -> str:
        """The self score as pages show it ("84,5", "—" when none)."""
        return score_text(self.self_score)


class CollectiveRating(LeadershipRating):
    collective = models.ForeignKey(
        Collective, verbose_name=_("tập thể"), on_delete=models.PROTECT, related_name="ratings"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("xếp loại tập thể lãnh đạo, quản lý")
        verbose_name_plural = _("xếp loại tập thể lãnh đạo, quản lý")
        ordering = ["-year", "period", "collective__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["collective", "year", "period"],
                name="collective_rating_one_per_period",
                violation_error_message=_("Tập thể này đã có bản xếp loại của kỳ đó."),
            ),
            year_range_constraint("collective_rating_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.collective} – {year_and_period_code(self.year, self.period)}"


class LeaderRating(LeadershipRating):
    member = models.ForeignKey(
        Member, verbose_name=_("đảng viên"), on_delete=models.PROTECT, related_name="leader_ratings"
    )
    collective = models.ForeignKey(
        Collective, verbose_name=_("tập thể"), on_delete=models.PROTECT, related_name="leader_ratings"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("xếp loại cá nhân lãnh đạo, quản lý")
        verbose_name_plural = _("xếp loại cá nhân lãnh đạo, quản lý")
        ordering = ["-year", "period", "collective__code", "member__name_folded"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "collective", "year", "period"],
                name="leader_rating_one_per_period",
                violation_error_message=_("Đảng viên này đã có bản xếp loại lãnh đạo trong tập thể của kỳ đó."),
            ),
            year_range_constraint("leader_rating_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.member} ({self.collective}) – {year_and_period_code(self.year, self.period)}"
