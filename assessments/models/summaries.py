"""Stored counts per organization, year and period, with version marks that say whether they are fresh."""

from django.db import models
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from assessments.models.fields import year_field
from assessments.models.organizations import Organization
from assessments.models.periods import period_field, year_and_period_code


class Summary(models.Model):
    """Stored counts of one organization for a year or a quarter (the summary JSON), recomputed by Celery; read in one
    query."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("tổ chức đảng"), on_delete=models.CASCADE, related_name="summaries"
    )
    year = year_field(_("năm"))
    period = period_field()
    scheme_code = models.CharField(_("quy định"), max_length=20, blank=True)
    units_total = models.PositiveIntegerField(_("số đơn vị trực thuộc"), default=0)
    units_rated = models.PositiveIntegerField(_("số đơn vị đã xếp loại"), default=0)
    units_exemplary = models.PositiveIntegerField(_("số đơn vị tiêu biểu"), default=0)
    # [[level code, count], ...] best first: a list keeps rank order, which jsonb would lose for object keys.
    unit_levels = models.JSONField(_("đơn vị theo mức"), default=list)
    members_total = models.PositiveIntegerField(_("số đảng viên"), default=0)
    members_rated = models.PositiveIntegerField(_("số đảng viên đã xếp loại"), default=0)
    members_good_or_better = models.PositiveIntegerField(_("số đảng viên tốt trở lên"), default=0)
    member_levels = models.JSONField(_("đảng viên theo mức"), default=list)
    # Issue 17: the split of members besides the rated ones. `not_assessed` and `not_yet_rated` are rating rows
    # without a level (exempt or suspended; any other reason); `no_result` are members on the rolls of the subtree
    # on 31 December with no rating row that year at all, counted on top of `members_total` (the rating rows).
    members_not_assessed = models.PositiveIntegerField(_("số đảng viên không đánh giá"), default=0, db_default=0)
    members_not_yet_rated = models.PositiveIntegerField(_("số đảng viên chưa xếp loại"), default=0, db_default=0)
    members_no_result = models.PositiveIntegerField(_("số đảng viên chưa có kết quả"), default=0, db_default=0)
    # Issue 15: the scores of the rated rows with a score, for a scored scheme only (`*_scored` stays NULL for a
    # scheme without scores, so the JSON knows without another query): units directly under, members of the subtree.
    units_scored = models.PositiveIntegerField(_("số đơn vị có điểm"), null=True, blank=True)
    units_score_sum = models.DecimalField(_("tổng điểm đơn vị"), max_digits=14, decimal_places=2, null=True, blank=True)
    units_score_min = models.DecimalField(
        _("điểm đơn vị thấp nhất"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    units_score_max = models.DecimalField(
        _("điểm đơn vị cao nhất"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    members_scored = models.PositiveIntegerField(_("số đảng viên có điểm"), null=True, blank=True)
    members_score_sum = models.DecimalField(
        _("tổng điểm đảng viên"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    members_score_min = models.DecimalField(
        _("điểm đảng viên thấp nhất"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    members_score_max = models.DecimalField(
        _("điểm đảng viên cao nhất"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # Issue 16: the leadership collectives of the subtree existing on 31 December, left-joined to their rating of the
    # period (unit levels), and their leaders (positions held on 31 December, by member and collective) left-joined to
    # theirs (member levels).
    collectives_total = models.PositiveIntegerField(_("số tập thể lãnh đạo"), default=0, db_default=0)
    collectives_rated = models.PositiveIntegerField(_("số tập thể lãnh đạo đã xếp loại"), default=0, db_default=0)
    collective_levels = models.JSONField(_("tập thể lãnh đạo theo mức"), default=list)
    leaders_total = models.PositiveIntegerField(_("số cá nhân lãnh đạo"), default=0, db_default=0)
    leaders_rated = models.PositiveIntegerField(_("số cá nhân lãnh đạo đã xếp loại"), default=0, db_default=0)
    leader_levels = models.JSONField(_("cá nhân lãnh đạo theo mức"), default=list)
    computed_at = models.DateTimeField(_("tính lúc"), null=True, blank=True)
    # Both level lists as the database prints them, kept by the database: the full recompute compares the lists it
    # builds as text with this instead of printing every stored row's jsonb (summaries.statements.recompute_statement).
    levels_text = models.GeneratedField(
        expression=Concat(Cast("unit_levels", models.TextField()), Cast("member_levels", models.TextField())),
        output_field=models.TextField(),
        db_persist=True,
    )
    # Bumped in the writer's own transaction by every change; the counts include changes up to computed_version.
    version = models.PositiveBigIntegerField(_("lần thay đổi dữ liệu"), default=1)
    computed_version = models.PositiveBigIntegerField(_("lần thay đổi đã tính"), default=0)

    class Meta:
        verbose_name = _("số liệu tổng hợp")
        verbose_name_plural = _("số liệu tổng hợp")
        ordering = ["-year", "period", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "period"], name="summary_one_per_organization_period"
            ),
        ]
        indexes = [models.Index(fields=["year", "period", "organization"], name="summary_period_org")]

    def __str__(self) -> str:
        return f"{self.organization} – {year_and_period_code(self.year, self.period)}"

    @property
    def stale(self) -> bool:
        """True while a committed change has not yet been absorbed into the counts."""
        return self.version != self.computed_version
