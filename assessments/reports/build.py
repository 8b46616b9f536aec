"""The yearly results report of an organization: counts by kind and sector, percentages, comparison and lists."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, FilteredRelation, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import (
    GRASSROOTS_KINDS,
    Kind,
    MemberAssessment,
    NotRatedReason,
    Organization,
    RatingLevel,
    RatingScheme,
    Sector,
    Subject,
    UnitAssessment,
)

# A unit with no assessment row for the year: counted as not rated, with this as its reason.
NO_RECORD = "no_record"
NO_RECORD_LABEL = gettext_lazy("Chưa có kết quả xếp loại")
NO_SECTOR = "none"
TREND_YEARS = 10


class ReportError(ValueError):
    """The report cannot be made (no rating scheme for the year, organization absent that year)."""


@dataclass(frozen=True)
class Share:
    """A count over a stated denominator; the ratio is None when the denominator is zero."""

    count: int
    denominator: int

    @property
    def ratio(self) -> float | None:
        return self.count / self.denominator if self.denominator else None

    @property
    def percent(self) -> float | None:
        ratio = self.ratio
        return None if ratio is None else round(100 * ratio, 1)


@dataclass(frozen=True)
class Level:
    code: str
    label: str
    rank: int
    is_top: bool
    is_good_or_better: bool


@dataclass(frozen=True)
class LevelCell:
    level: Level
    count: int
    of_total: Share
    of_rated: Share


@dataclass
class UnitRow:
    """Units of one group (a kind, a sector, or all): totals, counts per level and percentages."""

    key: str
    label: str
    levels: list[Level]
    total: int = 0
    rated: int = 0
    exemplary: int = 0
    by_level: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)

    @property
    def not_rated(self) -> int:
        return self.total - self.rated

    @property
    def cells(self) -> list[LevelCell]:
        return [
            LevelCell(
                level,
                self.by_level[level.code],
                Share(self.by_level[level.code], self.total),
                Share(self.by_level[level.code], self.rated),
            )
            for level in self.levels
        ]

    @property
    def top(self) -> Share:
        """Units at the scheme's top level, over all units (the published "33/55" denominator)."""
        return Share(sum(self.by_level[lv.code] for lv in self.levels if lv.is_top), self.total)

    @property
    def good_or_better(self) -> Share:
        return Share(sum(self.by_level[lv.code] for lv in self.levels if lv.is_good_or_better), self.total)

    def add(self, *, n: int, level: Level | None, exemplary: bool, reason: str) -> None:
        self.total += n
        if level is None:
            self.reasons[reason or NO_RECORD] += n
            return
        self.rated += n
        self.by_level[level.code] += n
        if exemplary:
            self.exemplary += n


@dataclass
class MemberRow:
    """Member assessments of one group (a sector, or all); percentages are of rated members."""

    key: str
    label: str
    levels: list[Level]
    total: int = 0
    rated: int = 0
    by_level: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)

    @property
    def exempt(self) -> int:
        return self.reasons[NotRatedReason.EXEMPT]

    @property
    def not_rated_other(self) -> int:
        """Not rated for a reason other than exemption (suspended, admitted recently, other)."""
        return self.total - self.rated - self.exempt

    @property
    def cells(self) -> list[LevelCell]:
        return [
            LevelCell(
                level,
                self.by_level[level.code],
                Share(self.by_level[level.code], self.total),
                Share(self.by_level[level.code], self.rated),
            )
            for level in self.levels
        ]

    @property
    def top(self) -> Share:
        return Share(sum(self.by_level[lv.code] for lv in self.levels if lv.is_top), self.rated)

    @property
    def good_or_better(self) -> Share:
        return Share(sum(self.by_level[lv.code] for lv in self.levels if lv.is_good_or_better), self.rated)

    @property
    def excellent_of_good(self) -> Share:
        """Members at rank 1 as a share of those at rank 2 (the 20% cap is counted this way)."""
        by_rank = {lv.rank: self.by_level[lv.code] for lv in self.levels}
        return Share(by_rank.get(1, 0), by_rank.get(2, 0))


@dataclass(frozen=True)
class Reason:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class ListedUnit:
    code: str
    name: str
    kind: str
    kind_label: str
    parent_name: str
    level_label: str
    reason_label: str


@dataclass(frozen=True)
class ComparisonLine:
    """One headline figure in two years; the levels compared are named because the schemes may differ."""

    subject: str
    measure: str
    label: str
    previous_levels: list[Level]
    current_levels: list[Level]
    previous: Share
    current: Share

    @property
    def difference_points(self) -> float | None:
        if self.previous.percent is None or self.current.percent is None:
            return None
        return round(self.current.percent - self.previous.percent, 1)

    @property
    def previous_level_labels(self) -> str:
        return ", ".join(lv.label for lv in self.previous_levels)

    @property
    def current_level_labels(self) -> str:
        return ", ".join(lv.label for lv in self.current_levels)


@dataclass(frozen=True)
class Comparison:
    previous_year: int
    previous_scheme: RatingScheme
    current_scheme: RatingScheme
    lines: list[ComparisonLine]

    @property
    def schemes_differ(self) -> bool:
        return self.previous_scheme.pk != self.current_scheme.pk

    @property
    def note(self) -> str:
        if not self.schemes_differ:
            return _("Hai năm cùng áp dụng %(scheme)s; so sánh theo cùng mức xếp loại.") % {
                "scheme": self.current_scheme.name
            }
        top = next((line for line in self.lines if line.measure == "top" and line.subject == Subject.UNIT), None)
        text = _(
            "Quy định xếp loại khác nhau: năm %(prev)s theo %(prev_scheme)s (%(prev_code)s), năm %(cur)s theo "
            "%(cur_scheme)s (%(cur_code)s). Các mức được so sánh theo thứ bậc: mức cao nhất với mức cao nhất, "
            "“tốt trở lên” là hai mức đầu của mỗi quy định."
        ) % {
            "prev": self.previous_year,
            "prev_scheme": self.previous_scheme.name,
            "prev_code": self.previous_scheme.code,
            "cur": self.previous_year + 1,
            "cur_scheme": self.current_scheme.name,
            "cur_code": self.current_scheme.code,
        }
        if top is not None:
            text += " " + _("Tổ chức đảng: “%(prev_level)s” năm %(prev)s so với “%(cur_level)s” năm %(cur)s.") % {
                "prev_level": top.previous_level_labels,
                "prev": self.previous_year,
                "cur_level": top.current_level_labels,
                "cur": self.previous_year + 1,
            }
        return text


@dataclass(frozen=True)
class TrendPoint:
    year: int
    scheme_code: str
    units_top: Share
    units_good_or_better: Share
    members_top: Share
    members_good_or_better: Share


@dataclass
class Report:
    """Everything the page, the spreadsheet and the PDF show, computed with a fixed number of queries."""

    organization: Organization
    year: int
    scheme: RatingScheme
    unit_levels: list[Level]
    member_levels: list[Level]
    units_by_kind: list[UnitRow]
    units_by_sector: list[UnitRow]
    units_total: UnitRow
    cells_by_sector: list[UnitRow]
    cells_total: UnitRow
    members_by_sector: list[MemberRow]
    members_total: MemberRow
    weak_units: list[ListedUnit]
    not_rated_units: list[ListedUnit]
    comparison: Comparison | None
    trend: list[TrendPoint]
    generated_on: datetime.date

    @property
    def unit_table_columns(self) -> int:
        """Columns of a unit table: label, total, rated, not rated, three per level, exemplary."""
        return 5 + 3 * len(self.unit_levels)

    @property
    def unit_sections(self) -> list[tuple[str, list[UnitRow]]]:
        return [(_("Theo loại tổ chức"), self.units_by_kind), (_("Theo loại hình"), self.units_by_sector)]

    @property
    def cell_sections(self) -> list[tuple[str, list[UnitRow]]]:
        return [(_("Theo loại hình"), self.cells_by_sector)]

    @property
    def unit_reasons(self) -> list[Reason]:
        return reasons_list(self.units_total.reasons)

    @property
    def cell_reasons(self) -> list[Reason]:
        return reasons_list(self.cells_total.reasons)

    @property
    def member_reasons(self) -> list[Reason]:
        return reasons_list(self.members_total.reasons)

    @property
    def top_unit_level(self) -> Level | None:
        return next((lv for lv in self.unit_levels if lv.is_top), None)

    @property
    def top_member_level(self) -> Level | None:
        return next((lv for lv in self.member_levels if lv.is_top), None)

    @property
    def weak_level(self) -> Level | None:
        return self.unit_levels[-1] if self.unit_levels else None


def reason_label(code: str) -> str:
    if code == NO_RECORD:
        return str(NO_RECORD_LABEL)
    try:
        return str(NotRatedReason(code).label)
    except ValueError:
        return code


def reasons_list(counter: Counter) -> list[Reason]:
    """Not-rated reasons with their counts, in a fixed order (no record first)."""
    order = [NO_RECORD, *NotRatedReason.values]
    codes = sorted(counter, key=lambda c: order.index(c) if c in order else len(order))
    return [Reason(code, reason_label(code), counter[code]) for code in codes if counter[code]]


@dataclass(frozen=True)
class Levels:
    """A scheme's unit and member levels, best first, and each subject's levels by primary key."""

    units: list[Level]
    members: list[Level]
    unit_pks: dict[int, Level]
    member_pks: dict[int, Level]


def _levels(scheme: RatingScheme) -> Levels:
    """The levels of a scheme (one query)."""
    levels = Levels([], [], {}, {})
    for row in RatingLevel.objects.filter(scheme=scheme).order_by("subject", "rank"):
        level = Level(row.code, row.label, row.rank, row.is_top, row.is_good_or_better)
        if row.subject == Subject.UNIT:
            levels.units.append(level)
            levels.unit_pks[row.pk] = level
        else:
            levels.members.append(level)
            levels.member_pks[row.pk] = level
    return levels


def _kind_label(kind: str) -> str:
    try:
        return str(Kind(kind).label)
    except ValueError:
        return kind


def _sector_label(sector: str) -> str:
    try:
        return str(Sector(sector).label)
    except ValueError:
        return _("Chưa ghi loại hình")


def _ordered(rows: dict[str, UnitRow | MemberRow], order: list[str]) -> list:
    return [rows[key] for key in order if key in rows] + [rows[k] for k in sorted(rows) if k not in order]


def _unit_rows(queryset, *, year: int, levels: Levels, by_kind: bool) -> tuple[list[UnitRow], list[UnitRow], UnitRow]:
    """Group units (with that year's rating left-joined) by kind and by sector in one aggregate query."""
    rows = (
        queryset.annotate(rating=FilteredRelation("assessments", condition=Q(assessments__year=year)))
        .values("kind", "sector", "rating__level_id", "rating__exemplary", "rating__not_rated_reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    kinds: dict[str, UnitRow] = {}
    sectors: dict[str, UnitRow] = {}
    unit_levels = levels.units
    total = UnitRow("total", _("Tổng cộng"), unit_levels)
    for row in rows:
        # A level of another subject or scheme is no rating of this year's units: counted as not rated.
        level = levels.unit_pks.get(row["rating__level_id"])
        kind, sector = row["kind"], row["sector"] or NO_SECTOR
        if kind not in kinds:
            kinds[kind] = UnitRow(f"kind:{kind}", _kind_label(kind), unit_levels)
        if sector not in sectors:
            sectors[sector] = UnitRow(f"sector:{sector}", _sector_label(row["sector"]), unit_levels)
        # No assessment row at all leaves the joined reason NULL; a row without a level has "" or a code.
        reason = row["rating__not_rated_reason"]
        rating = {
            "n": row["n"],
            "level": level,
            "exemplary": bool(row["rating__exemplary"]),
            "reason": NO_RECORD if reason is None else reason or NotRatedReason.OTHER,
        }
        for target in (kinds[kind], sectors[sector], total):
            target.add(**rating)
    kind_order = [*GRASSROOTS_KINDS, Kind.SUBCOMMITTEE, Kind.CELL, Kind.DISTRICT]
    return (
        _ordered(kinds, list(kind_order)) if by_kind else [],
        _ordered(sectors, [f for f in Sector.values] + [NO_SECTOR]),
        total,
    )


def _member_rows(*, organization: Organization, year: int, levels: Levels) -> tuple[list[MemberRow], MemberRow]:
    """Member assessments of the subtree grouped by the recording unit's sector, level and reason (one query)."""
    rows = (
        MemberAssessment.objects.filter(year=year, organization__path__startswith=organization.path)
        .values("organization__sector", "level_id", "not_rated_reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    sectors: dict[str, MemberRow] = {}
    member_levels = levels.members
    total = MemberRow("total", _("Tổng cộng"), member_levels)
    for row in rows:
        sector = row["organization__sector"] or NO_SECTOR
        if sector not in sectors:
            sectors[sector] = MemberRow(f"sector:{sector}", _sector_label(row["organization__sector"]), member_levels)
        level = levels.member_pks.get(row["level_id"])
        for target in (sectors[sector], total):
            target.total += row["n"]
            if row["level_id"] is None:
                target.reasons[row["not_rated_reason"] or NotRatedReason.OTHER] += row["n"]
            else:
                target.rated += row["n"]
                if level is not None:
                    target.by_level[level.code] += row["n"]
    return _ordered(sectors, list(Sector.values) + [NO_SECTOR]), total


def _children(organization: Organization):
    return Organization.objects.filter(parent=organization)


def _cells(organization: Organization):
    """Cells inside grassroots committees below the organization, other than its own direct units."""
    return Organization.objects.subtree(organization).filter(kind=Kind.CELL, depth__gt=organization.depth + 1)


def _listed(rows) -> list[ListedUnit]:
    return [
        ListedUnit(
            code=row["code"],
            name=row["name"],
            kind=row["kind"],
            kind_label=_kind_label(row["kind"]),
            parent_name=row["parent__name"] or "",
            level_label=row.get("rating__level__label_vi") or "",
            reason_label=""
            if row.get("rating__level_id")
            else reason_label(row.get("rating__not_rated_reason") or NO_RECORD),
        )
        for row in rows
    ]


def _unit_lists(
    *, organization: Organization, year: int, weak_level_pks: list[int]
) -> tuple[list[ListedUnit], list[ListedUnit]]:
    """Weak units and units not rated among the direct units and the cells (two queries)."""
    units = (
        Organization.objects.for_year(year)
        .filter(Q(parent=organization) | Q(pk__in=_cells(organization).values("pk")))
        .annotate(rating=FilteredRelation("assessments", condition=Q(assessments__year=year)))
    )
    fields = ["code", "name", "kind", "parent__name", "path", "name_folded"]
    weak = units.filter(rating__level_id__in=weak_level_pks).values(
        *fields, "rating__level_id", "rating__level__label_vi"
    )
    not_rated = units.filter(rating__level_id__isnull=True).values(*fields, "rating__not_rated_reason")
    return (
        _listed(weak.order_by("depth", "name_folded", "code")),
        _listed(not_rated.order_by("depth", "name_folded", "code")),
    )


def _comparison(
    *, organization: Organization, year: int, scheme: RatingScheme, levels: Levels, units: UnitRow, members: MemberRow
) -> Comparison | None:
    """The headline figures against the previous year, counted on the tree and the scheme of that year."""
    p_scheme = RatingScheme.for_year(year - 1)
    if p_scheme is None:
        return None
    p_levels = _levels(p_scheme)
    _k, _s, p_units = _unit_rows(
        _children(organization).for_year(year - 1), year=year - 1, levels=p_levels, by_kind=False
    )
    _m, p_members = _member_rows(organization=organization, year=year - 1, levels=p_levels)
    if p_units.rated == 0 and p_members.rated == 0:
        return None

    def pick(levels: list[Level], measure: str) -> list[Level]:
        return [lv for lv in levels if (lv.is_top if measure == "top" else lv.is_good_or_better)]

    lines = []
    for subject, label_top, label_good, prev, cur, p_list, c_list in (
        (
            Subject.UNIT,
            _("Tổ chức đảng: mức cao nhất"),
            _("Tổ chức đảng: tốt trở lên"),
            p_units,
            units,
            p_levels.units,
            levels.units,
        ),
        (
            Subject.MEMBER,
            _("Đảng viên: hoàn thành xuất sắc"),
            _("Đảng viên: tốt trở lên"),
            p_members,
            members,
            p_levels.members,
            levels.members,
        ),
    ):
        lines.append(
            ComparisonLine(subject, "top", label_top, pick(p_list, "top"), pick(c_list, "top"), prev.top, cur.top)
        )
        lines.append(
            ComparisonLine(
                subject,
                "good_or_better",
                label_good,
                pick(p_list, "good"),
                pick(c_list, "good"),
                prev.good_or_better,
                cur.good_or_better,
            )
        )
    return Comparison(previous_year=year - 1, previous_scheme=p_scheme, current_scheme=scheme, lines=lines)


def _trend(*, organization: Organization, year: int) -> list[TrendPoint]:
    """Headline shares for up to ten years ending with the report's year (four queries in all)."""
    first = year - TREND_YEARS + 1
    children = {row["pk"]: row for row in _children(organization).values("pk", "valid_from", "valid_to").order_by()}
    totals: Counter = Counter()
    for y in range(first, year + 1):
        end = datetime.date(y, 12, 31)
        totals[y] = sum(
            1
            for c in children.values()
            if (c["valid_from"] is None or c["valid_from"] <= end) and (c["valid_to"] is None or c["valid_to"] >= end)
        )
    unit_top: Counter = Counter()
    unit_good: Counter = Counter()
    unit_years: set[int] = set()
    unit_rows = (
        UnitAssessment.objects.filter(organization__parent=organization, year__gte=first, year__lte=year)
        .filter(level__subject=Subject.UNIT)
        .values_list("year", "organization_id", "level__is_top", "level__is_good_or_better")
        .order_by()
    )
    for y, org_id, is_top, is_good in unit_rows:
        child = children.get(org_id)
        end = datetime.date(y, 12, 31)
        if child is None or (child["valid_from"] and child["valid_from"] > end):
            continue
        if child["valid_to"] and child["valid_to"] < end:
            continue
        unit_years.add(y)
        unit_top[y] += is_top
        unit_good[y] += is_good
    member_rated: Counter = Counter()
    member_top: Counter = Counter()
    member_good: Counter = Counter()
    member_rows = (
        MemberAssessment.objects.filter(
            organization__path__startswith=organization.path, year__gte=first, year__lte=year, level__isnull=False
        )
        .values("year", "level__is_top", "level__is_good_or_better")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in member_rows:
        y = row["year"]
        member_rated[y] += row["n"]
        member_top[y] += row["n"] if row["level__is_top"] else 0
        member_good[y] += row["n"] if row["level__is_good_or_better"] else 0
    years = sorted(unit_years | set(member_rated))
    schemes = list(RatingScheme.objects.order_by("-first_year").values_list("code", "first_year", "last_year"))

    def scheme_of(y: int) -> str:
        return next((c for c, first, last in schemes if first <= y and (last is None or y <= last)), "")

    return [
        TrendPoint(
            year=y,
            scheme_code=scheme_of(y),
            units_top=Share(unit_top[y], totals[y]),
            units_good_or_better=Share(unit_good[y], totals[y]),
            members_top=Share(member_top[y], member_rated[y]),
            members_good_or_better=Share(member_good[y], member_rated[y]),
        )
        for y in years
    ]


def report_build(*, organization: Organization, year: int) -> Report:
    """The yearly results report of an organization (its direct units, cells and members) on that year's tree."""
    scheme = RatingScheme.for_year(year)
    if scheme is None:
        raise ReportError(_("Năm %(year)s chưa có quy định xếp loại.") % {"year": year})
    if not organization.exists_in(year):
        raise ReportError(
            _("%(name)s không tồn tại vào cuối năm %(year)s.") % {"name": organization.name, "year": year}
        )
    levels = _levels(scheme)
    units_by_kind, units_by_sector, units_total = _unit_rows(
        _children(organization).for_year(year), year=year, levels=levels, by_kind=True
    )
    _none, cells_by_sector, cells_total = _unit_rows(
        _cells(organization).for_year(year), year=year, levels=levels, by_kind=False
    )
    members_by_sector, members_total = _member_rows(organization=organization, year=year, levels=levels)
    # The lowest unit level is "weak" (yếu kém before 2018, không hoàn thành nhiệm vụ after).
    weak_pks = [pk for pk, lv in levels.unit_pks.items() if lv is levels.units[-1]]
    weak_units, not_rated_units = _unit_lists(organization=organization, year=year, weak_level_pks=weak_pks)
    return Report(
        organization=organization,
        year=year,
        scheme=scheme,
        unit_levels=levels.units,
        member_levels=levels.members,
        units_by_kind=units_by_kind,
        units_by_sector=units_by_sector,
        units_total=units_total,
        cells_by_sector=cells_by_sector,
        cells_total=cells_total,
        members_by_sector=members_by_sector,
        members_total=members_total,
        weak_units=weak_units,
        not_rated_units=not_rated_units,
        comparison=_comparison(
            organization=organization,
            year=year,
            scheme=scheme,
            levels=levels,
            units=units_total,
            members=members_total,
        ),
        trend=_trend(organization=organization, year=year),
        generated_on=timezone.localdate(),
    )


def report_years() -> list[int]:
    """Years that have a rating scheme and some unit assessments, newest first (two queries)."""
    years = set(UnitAssessment.objects.order_by().values_list("year", flat=True).distinct())
    schemes = list(RatingScheme.objects.values_list("first_year", "last_year"))
    return sorted(
        (y for y in years if any(first <= y and (last is None or y <= last) for first, last in schemes)), reverse=True
    )


def report_organizations(*, user):
    """Organizations in the user's scope that have units under them, the report's possible subjects."""
    from assessments.permissions import organizations_visible_to

    return (
        organizations_visible_to(user)
        .filter(Q(kind__in=[Kind.PROVINCE, Kind.DISTRICT, Kind.GRASSROOTS_COMMITTEE, Kind.SUBCOMMITTEE]))
        .order_by("path")
    )
