"""Rating schemes and their levels as data: which scale applies to which years and subjects, and the facts about each
level (top, good or better, lowest). The rules that bound a level belong to guidance periods (models.regulation)."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.common.vocabulary import level_label, scheme_title
from assessments.models.constraints import range_constraint
from assessments.models.fields import score_field, share_field
from assessments.models.organizations import CODE_VALIDATOR
from assessments.models.spans import InForce, InForceQuerySet, in_force_fields


class Subject(models.TextChoices):
    UNIT = "unit", _("Tổ chức đảng")
    MEMBER = "member", _("Đảng viên")


class RatingSchemeQuerySet(InForceQuerySet):
    """Schemes by the years they are in force."""


# Per-context memo of RatingScheme.for_year, set only inside RatingScheme.memoized() (a bulk import).
_SCHEMES_BY_YEAR: ContextVar[dict | None] = ContextVar("schemes_by_year", default=None)


class RatingScheme(InForce, models.Model):
    """A regulation's rating scale and the years it is in force; data, so a new one needs no code."""

    code = models.CharField(_("mã"), max_length=20, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("văn bản"), max_length=200)
    first_year, last_year = in_force_fields()
    is_scored = models.BooleanField(
        _("xếp loại theo điểm"), default=False, help_text=_("Mức xếp loại phải khớp với điểm (Quy định 366).")
    )
    total_points = models.PositiveSmallIntegerField(
        _("tổng điểm"), null=True, blank=True, validators=[MaxValueValidator(100)], help_text=_("Ví dụ 100.")
    )
    history = HistoricalRecords()

    objects = RatingSchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("quy định xếp loại")
        verbose_name_plural = _("quy định xếp loại")
        ordering = ["first_year"]
        constraints = [
            range_constraint("first_year", "last_year", name="scheme_year_range"),
            models.CheckConstraint(
                condition=Q(is_scored=False) | Q(total_points__gt=0),
                name="scored_scheme_has_total",
                violation_error_message=_("Quy định xếp loại theo điểm phải ghi tổng điểm."),
            ),
        ]

    def __str__(self) -> str:
        # As people cite it ("Quy định 132-QĐ/TW"): the admin's columns, filters and pickers show this, never the code.
        return scheme_title(self)

    @classmethod
    def for_year(cls, year: int) -> "RatingScheme | None":
        """The scheme in force for a year; overlapping schemes are refused by services, newest wins anyway."""
        memo = _SCHEMES_BY_YEAR.get()
        if memo is not None and year in memo:
            return memo[year]
        scheme = cls.objects.for_year(year).order_by("-first_year").first()
        if memo is not None:
            memo[year] = scheme
        return scheme

    @classmethod
    @contextmanager
    def memoized(cls):
        """Within the block each year's scheme is looked up once: bulk imports check the rules on every row."""
        token = _SCHEMES_BY_YEAR.set({})
        try:
            yield
        finally:
            _SCHEMES_BY_YEAR.reset(token)


class RatingLevel(models.Model):
    scheme = models.ForeignKey(
        RatingScheme, verbose_name=_("quy định xếp loại"), on_delete=models.CASCADE, related_name="levels"
    )
    subject = models.CharField(_("đối tượng"), max_length=8, choices=Subject.choices)
    code = models.CharField(_("mã"), max_length=24)
    rank = models.PositiveSmallIntegerField(_("thứ bậc"), help_text=_("1 là mức cao nhất"))
    label_vi = models.CharField(_("tên tiếng Việt"), max_length=120)
    label_en = models.CharField(_("tên tiếng Anh"), max_length=120, blank=True)
    is_top = models.BooleanField(_("mức cao nhất"), default=False)
    is_good_or_better = models.BooleanField(_("tốt trở lên"), default=False)
    is_lowest = models.BooleanField(
        _("mức thấp nhất"), default=False, help_text=_("Yếu kém, không hoàn thành nhiệm vụ: đơn vị cần củng cố.")
    )
    # The band of a scored scheme: from min_score (inclusive) to the next higher level's min_score (exclusive).
    min_score = score_field(_("điểm tối thiểu"))
    min_on_time_percent = share_field(
        _("tỷ lệ nhiệm vụ đúng hạn tối thiểu (%)"), _("Phần trăm số nhiệm vụ được giao hoàn thành đúng hạn.")
    )
    min_exceeded_percent = share_field(
        _("tỷ lệ nhiệm vụ vượt mức tối thiểu (%)"), _("Phần trăm số nhiệm vụ được giao hoàn thành vượt mức.")
    )
    min_done_percent = share_field(
        _("tỷ lệ nhiệm vụ hoàn thành tối thiểu (%)"),
        _("Phần trăm số nhiệm vụ được giao đã hoàn thành, đúng hạn hoặc chậm."),
    )
    max_late_percent = share_field(
        _("tỷ lệ nhiệm vụ chậm tối đa (%)"), _("Phần trăm số nhiệm vụ được giao hoàn thành chậm.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mức xếp loại")
        verbose_name_plural = _("mức xếp loại")
        ordering = ["scheme__first_year", "subject", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "subject", "code"], name="level_code_unique_in_scheme"),
            models.UniqueConstraint(fields=["scheme", "subject", "rank"], name="level_rank_unique_in_scheme"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The level's name in the active language."""
        return level_label(self.label_vi, self.label_en)
