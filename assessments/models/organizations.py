"""Organizations as a dated tree: kinds, sectors, codes and the years each one exists."""

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.common.text import fold
from assessments.common.vocabulary import exists_in_year, year_end
from assessments.models.constraints import range_constraint

MIN_YEAR, MAX_YEAR = 1930, 2100
CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$", _("Mã chỉ gồm chữ cái không dấu, chữ số và dấu gạch nối.")
)
YEAR_VALIDATORS = [MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]


class Kind(models.TextChoices):
    PROVINCE = "province", _("Đảng bộ tỉnh")
    DISTRICT = "district", _("Đảng bộ huyện")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Đảng bộ cơ sở")
    GRASSROOTS_CELL = "grassroots_cell", _("Chi bộ cơ sở")
    SUBCOMMITTEE = "subcommittee", _("Đảng ủy bộ phận")
    CELL = "cell", _("Chi bộ trực thuộc đảng ủy cơ sở")


GRASSROOTS_KINDS = (Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL)
# Kinds that open a year's assessment for the units under them (the district before July 2025, the province after);
# a grassroots committee decides its cells on its own file instead.
CYCLE_KINDS = (Kind.PROVINCE, Kind.DISTRICT)
# Kinds a member may belong to directly.
MEMBER_KINDS = (Kind.GRASSROOTS_CELL, Kind.CELL)


class Sector(models.TextChoices):
    COMMUNE = "commune", _("Xã")
    WARD = "ward", _("Phường")
    TOWN = "town", _("Thị trấn")
    AGENCY = "agency", _("Cơ quan hành chính, Đảng, đoàn thể")
    PUBLIC_SERVICE = "public_service", _("Đơn vị sự nghiệp")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    MILITARY = "military", _("Quân đội")
    POLICE = "police", _("Công an")


def overlapping(first: datetime.date, last: datetime.date, start: str = "valid_from", end: str = "valid_to") -> Q:
    """Dated rows whose span from start to end (an empty one is open) meets the days from first to last (one day when
    they are the same)."""
    return (Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": last})) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": first})
    )


def held(first: datetime.date, last: datetime.date | None = None, start: str = "start", end: str = "end") -> Q:
    """Rows with a required start (memberships, posts, status spans) whose span from start to end (an empty end is
    open) meets the days from first to last (the day first when last is not given)."""
    return Q(**{f"{start}__lte": last or first}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": first}))


class DatedQuerySet(models.QuerySet):
    """Rows that exist from valid_from to valid_to (an empty one is open): organizations and collectives."""

    def existing_on(self, day: datetime.date) -> "DatedQuerySet":
        return self.filter(overlapping(day, day))

    def for_year(self, year: int) -> "DatedQuerySet":
        """The rows as they stood on 31 December of the year (for units: the tree)."""
        return self.existing_on(year_end(year))


class Dated:
    """A row of a DatedQuerySet."""

    def exists_in(self, year: int) -> bool:
        return exists_in_year(self.valid_from, self.valid_to, year)


class OrganizationQuerySet(DatedQuerySet):
    def subtree(self, organization: "Organization") -> "OrganizationQuerySet":
        return self.filter(path__startswith=organization.path)

    def grassroots(self) -> "OrganizationQuerySet":
        return self.filter(kind__in=GRASSROOTS_KINDS)


class Organization(Dated, models.Model):
    code = models.CharField(_("mã"), max_length=40, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("tên"), max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    kind = models.CharField(_("loại tổ chức"), max_length=24, choices=Kind.choices)
    sector = models.CharField(_("loại hình"), max_length=16, choices=Sector.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialized path of codes ("LS/BS/BS-DONG-Y/"): a subtree is one indexed prefix match at any scale.
    path = models.CharField(max_length=400, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("cấp trong cây"), default=0, editable=False)
    valid_from = models.DateField(_("thành lập từ"), null=True, blank=True)
    valid_to = models.DateField(_("tồn tại đến"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self", verbose_name=_("đơn vị kế thừa"), symmetrical=False, blank=True, related_name="predecessors"
    )
    history = HistoricalRecords(excluded_fields=["name_folded", "path", "depth"], m2m_fields=[successors])

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("tổ chức đảng")
        verbose_name_plural = _("tổ chức đảng")
        ordering = ["path"]
        constraints = [
            range_constraint(
                "valid_from",
                "valid_to",
                start_optional=True,
                name="organization_valid_range",
                message=_("Ngày kết thúc phải sau ngày thành lập."),
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="organization_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Derived columns only; the subtree's paths are kept right by services.organization_save.
        self.name_folded = fold(self.name)
        self.path = f"{self.parent.path if self.parent else ''}{self.code}/"
        self.depth = self.path.count("/") - 1
        super().save(*args, **kwargs)

    @property
    def is_grassroots(self) -> bool:
        return self.kind in GRASSROOTS_KINDS
