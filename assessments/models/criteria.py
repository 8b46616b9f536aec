"""Criteria sets as data (QĐ 366): the national frame's parts by scheme, the sets localities issue for a group of
subjects, their groups and items with maximum points, and the item scores given to a member or an organization."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models.constraints import one_of_constraint, range_constraint
from assessments.models.fields import score_field, year_field
from assessments.models.members import Member
from assessments.models.organizations import CODE_VALIDATOR, Organization
from assessments.models.periods import period_field
from assessments.models.schemes import RatingScheme
from assessments.models.spans import in_force_fields

# Codes of groups and items as criteria are numbered: I, II, 1.1, 2.3-a.
ITEM_CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9]+([.-][A-Za-z0-9]+)*$", _("Mã chỉ gồm chữ cái không dấu, chữ số, dấu chấm và dấu gạch nối.")
)


class SubjectGroup(models.TextChoices):
    """Who a criteria set is for (QĐ 366 has an annex per group of subjects)."""

    ORGANIZATIONS = "organizations", _("Tổ chức đảng")
    COLLECTIVES = "collectives", _("Tập thể lãnh đạo, quản lý")
    LEADERS = "leaders", _("Cán bộ lãnh đạo, quản lý")
    MEMBERS_IN_SYSTEM = "members_in_system", _("Đảng viên công tác trong hệ thống chính trị")
    MEMBERS_OUTSIDE = "members_outside", _("Đảng viên không công tác trong hệ thống chính trị")


# Groups whose subjects are party members (item scores by card number); the others are scored by organization.
MEMBER_GROUPS = (SubjectGroup.LEADERS, SubjectGroup.MEMBERS_IN_SYSTEM, SubjectGroup.MEMBERS_OUTSIDE)


def points_field(verbose_name) -> models.DecimalField:
    """A maximum of points (a group's, an item's), more than zero and at most 100, two decimals."""
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(100)],
    )


class FramePart(models.Model):
    """A part of a scheme's national frame (QĐ 366: common criteria about 30 points, task results about 70): data,
    so a scheme with another frame needs rows, not code."""

    scheme = models.ForeignKey(
        RatingScheme, verbose_name=_("quy định xếp loại"), on_delete=models.CASCADE, related_name="frame_parts"
    )
    code = models.CharField(_("mã"), max_length=20, validators=[CODE_VALIDATOR])
    name = models.CharField(_("tên"), max_length=200)
    points = points_field(_("số điểm"))
    # "About 30": how far a locality's groups may stray from the frame's points, either way.
    tolerance = models.DecimalField(_("được chênh lệch (điểm)"), max_digits=5, decimal_places=2, default=0)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phần khung tiêu chí")
        verbose_name_plural = _("khung tiêu chí")
        ordering = ["scheme", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="frame_part_code_unique")]

    def __str__(self) -> str:
        return self.name


class CriteriaSet(models.Model):
    """Criteria a province (or a commune, for its cells) issues for a group of subjects and a span of years."""

    code = models.CharField(_("mã bộ tiêu chí"), max_length=40, validators=[CODE_VALIDATOR])
    name = models.CharField(_("tên bộ tiêu chí"), max_length=250)
    issuer = models.ForeignKey(
        Organization, verbose_name=_("cấp ban hành"), on_delete=models.PROTECT, related_name="criteria_sets"
    )
    subject_group = models.CharField(_("nhóm đối tượng"), max_length=20, choices=SubjectGroup.choices)
    first_year, last_year = in_force_fields()
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("thay thế phiên bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        ordering = ["-first_year", "code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                name="criteria_set_code_version_unique",
                violation_error_message=_("Đã có bộ tiêu chí cùng mã và phiên bản."),
            ),
            range_constraint(
                "first_year",
                "last_year",
                name="criteria_set_year_range",
                message=_("Năm kết thúc không được trước năm bắt đầu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def is_for_members(self) -> bool:
        return self.subject_group in MEMBER_GROUPS


class CriteriaGroup(models.Model):
    """A group of criteria with its maximum points, inside one part of the frame."""

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.CASCADE, related_name="groups"
    )
    code = models.CharField(_("mã nhóm"), max_length=20, validators=[ITEM_CODE_VALIDATOR])
    name = models.CharField(_("tên nhóm"), max_length=250)
    max_points = points_field(_("điểm tối đa"))
    part = models.ForeignKey(
        FramePart,
        verbose_name=_("phần khung"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Phần của khung tiêu chí toàn quốc mà nhóm thuộc về."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nhóm tiêu chí")
        verbose_name_plural = _("nhóm tiêu chí")
        ordering = ["criteria_set", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "code"],
                name="criteria_group_code_unique",
                violation_error_message=_("Bộ tiêu chí đã có nhóm cùng mã."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class CriteriaItem(models.Model):
    """One criterion: what is scored, how it is measured, and its maximum points."""

    group = models.ForeignKey(CriteriaGroup, verbose_name=_("nhóm"), on_delete=models.CASCADE, related_name="items")
    # Derived from the group in save(): item codes are unique within the set, which is how scores name them.
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.CASCADE, related_name="items", editable=False
    )
    code = models.CharField(_("mã tiêu chí"), max_length=20, validators=[ITEM_CODE_VALIDATOR])
    name = models.CharField(_("tên tiêu chí"), max_length=500)
    description = models.TextField(_("nội dung"), blank=True)
    measured_by = models.TextField(_("cách đo, minh chứng"), blank=True)
    max_points = points_field(_("điểm tối đa"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["group__order", "group__code", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "code"],
                name="criteria_item_code_unique",
                violation_error_message=_("Bộ tiêu chí đã có tiêu chí cùng mã."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    def save(self, *args, **kwargs):
        self.criteria_set_id = self.group.criteria_set_id
        super().save(*args, **kwargs)


class ItemScore(models.Model):
    """The points a member or an organization gave itself and was given on one item, for a year or a quarter."""

    item = models.ForeignKey(CriteriaItem, verbose_name=_("tiêu chí"), on_delete=models.PROTECT, related_name="scores")
    member = models.ForeignKey(
        Member, verbose_name=_("đảng viên"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("tổ chức đảng"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    year = year_field(_("năm"))
    period = period_field()
    self_score = score_field(_("điểm tự chấm"))
    score = score_field(_("điểm"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")
        ordering = ["year", "period", "item"]
        constraints = [
            one_of_constraint(
                "member",
                "organization",
                name="item_score_one_subject",
                message=_("Điểm tiêu chí thuộc một đảng viên hoặc một tổ chức đảng, chỉ một."),
            ),
            models.UniqueConstraint(
                fields=["item", "member", "year", "period"],
                condition=Q(member__isnull=False),
                name="item_score_member_unique",
                violation_error_message=_("Đảng viên này đã có điểm tiêu chí đó trong kỳ này."),
            ),
            models.UniqueConstraint(
                fields=["item", "organization", "year", "period"],
                condition=Q(organization__isnull=False),
                name="item_score_organization_unique",
                violation_error_message=_("Tổ chức này đã có điểm tiêu chí đó trong kỳ này."),
            ),
        ]
        indexes = [
            models.Index(fields=["member", "year", "period"], name="item_score_member_year"),
            models.Index(fields=["organization", "year", "period"], name="item_score_org_year"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} – {self.year}{self.period}"
