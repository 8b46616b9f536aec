"""Reads behind the dashboard and the unit and member pages; every one takes an organization already in scope."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, FilteredRelation, Q, QuerySet
from django.utils.translation import gettext as _

from assessments import hooks, permissions, selectors
from assessments.common.vocabulary import levels_of, percent, scheme_title
from assessments.models import (
    GRASSROOTS_KINDS,
    Kind,
    MemberAssessment,
    Organization,
    Period,
    RatingLevel,
    RatingScheme,
    ReviewDocument,
    Sector,
    Subject,
    SubmissionStatus,
    Summary,
    UnitAssessment,
    YearCycle,
    rating_of,
)

# Kinds that have units under them, so that a dashboard of theirs has something to count.
PARENT_KINDS = (Kind.PROVINCE, Kind.DISTRICT, Kind.GRASSROOTS_COMMITTEE, Kind.SUBCOMMITTEE)
NOT_RATED = "none"  # the level filter's value for units without a final level
GOOD_OR_BETTER = "good_or_better"  # the level filter's value for the first two levels of the year's scheme


def dashboard_organizations(user) -> QuerySet[Organization]:
    """Organizations in the user's scope whose dashboard can be opened (those that can have units under them)."""
    return permissions.organizations_visible_to(user).filter(kind__in=PARENT_KINDS).order_by("path")


def dashboard_picker(user, organization: Organization) -> list[Organization]:
    """What the dashboard's organization picker offers around the one shown: those above it in the user's scope, itself
    and those directly under it that can have units, in tree order (one query). Bounded by the tree's depth and
    fan-out rather than by the scope: a province's officer would otherwise get 578 options on every page, a country's
    52,000; a lower one is reached through the one above it."""
    prefixes = [organization.path[: i + 1] for i, char in enumerate(organization.path) if char == "/"]
    return list(dashboard_organizations(user).filter(Q(path__in=prefixes) | Q(parent=organization)))


def dashboard_organization_default(user) -> Organization | None:
    """The user's own organization, or the top of their scope (administrators have none of their own)."""
    if user.organization_id is not None:
        return user.organization
    return dashboard_organizations(user).order_by("depth", "path").first()


def rated_years(*, organization: Organization) -> list[int]:
    """Years in which units or members in the organization's subtree were rated, newest first (one query, two when
    a year's stored counts name no rating directly under the organization).

    From the organization's stored summaries: a year whose row counts rated members (the whole subtree) or rated
    units (directly under it), or is stale (just written, not yet recomputed), has ratings. Only for the other years
    with a row are the subtree's unit ratings read, for a unit rated further down: scanning them for every year cost
    100-150 ms for a province at national scale (bench/: PostgreSQL misestimates the subtree and hashes every unit
    rating). Every write bumps the rows of the organization's ancestors (creating them), so a year with ratings has
    a row."""
    rows = Summary.objects.filter(organization=organization, period=Period.YEAR).values_list(
        "year", "members_rated", "units_rated", "version", "computed_version"
    )
    years, others = set(), set()
    for year, members, units, version, computed in rows:
        (years if members or units or version != computed else others).add(year)
    if others:
        deeper = UnitAssessment.objects.yearly().filter(
            organization__path__startswith=organization.path, level__isnull=False, year__in=others
        )
        years.update(deeper.order_by().values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


@dataclass
class LevelCount:
    code: str
    label: str
    rank: int
    count: int
    is_top: bool = False
    is_good_or_better: bool = False
    percent: float | None = None  # of all units for unit levels, of the rated for member levels


@dataclass
class Headline:
    """The figures at the top of the dashboard, read from the stored summary."""

    year: int
    scheme: RatingScheme | None
    units_total: int = 0
    units_rated: int = 0
    units_exemplary: int = 0
    unit_levels: list[LevelCount] = field(default_factory=list)
    members_total: int = 0
    members_rated: int = 0
    members_good_or_better: int = 0
    member_levels: list[LevelCount] = field(default_factory=list)
    stale: bool = False
    computed_at: datetime.datetime | None = None
    # Issue 16: the collectives and leaders of the subtree by level (selectors.leadership_table).
    leadership: list = field(default_factory=list)

    @property
    def top(self) -> LevelCount | None:
        return next((level for level in self.unit_levels if level.is_top), None)

    @property
    def units_not_rated(self) -> int:
        return self.units_total - self.units_rated

    @property
    def top_percent(self) -> float | None:
        top = self.top
        return percent(top.count, self.units_total) if top else None

    @property
    def units_not_rated_percent(self) -> float | None:
        return percent(self.units_not_rated, self.units_total)

    @property
    def units_good_or_better(self) -> int:
        return sum(level.count for level in self.unit_levels if level.is_good_or_better)

    @property
    def units_good_percent(self) -> float | None:
        return percent(self.units_good_or_better, self.units_total)

    @property
    def members_not_rated(self) -> int:
        return self.members_total - self.members_rated

    @property
    def members_good_percent(self) -> float | None:
        return percent(self.members_good_or_better, self.members_rated)


def headline_read(*, organization: Organization, year: int, period: str = Period.YEAR) -> Headline | None:
    """The headline figures of an organization for a year (or one of its quarters) from the stored summary; None
    when the year has no scheme."""
    summary = selectors.summary_read(organization=organization, year=year, period=period)
    if summary is None:
        return None
    # A row that writers created but no recompute filled yet has no scheme code: take the year's scheme.
    scheme = RatingScheme.objects.filter(code=summary["scheme"]).first() if summary["scheme"] else None
    scheme = scheme or RatingScheme.for_year(year)
    vocabulary = levels_of(scheme)
    levels = {Subject.UNIT: vocabulary.units, Subject.MEMBER: vocabulary.members}

    def counted(subject: str, by_level: dict, whole: int) -> list[LevelCount]:
        return [
            LevelCount(
                code=level.code,
                label=level.label,
                rank=level.rank,
                count=by_level.get(level.code, 0),
                is_top=level.is_top,
                is_good_or_better=level.is_good_or_better,
                percent=percent(by_level.get(level.code, 0), whole),
            )
            for level in levels[subject]
        ]

    computed_at = summary["computed_at"]
    return Headline(
        year=year,
        scheme=scheme,
        units_total=summary["units"]["total"],
        units_rated=summary["units"]["rated"],
        units_exemplary=summary["units"]["exemplary"],
        unit_levels=counted(Subject.UNIT, summary["units"]["by_level"], summary["units"]["total"]),
        members_total=summary["members"]["total"],
        members_rated=summary["members"]["rated"],
        members_good_or_better=summary["members"]["good_or_better"],
        member_levels=counted(Subject.MEMBER, summary["members"]["by_level"], summary["members"]["rated"]),
        stale=summary["stale"],
        computed_at=datetime.datetime.fromisoformat(computed_at) if computed_at else None,
        leadership=selectors.leadership_table(summary=summary, levels=vocabulary),
    )


@dataclass
class SectorRow:
    sector: str
    label: str
    counts: list[tuple[str, int]]  # (level code, units) in the order of the levels
    not_rated: int
    total: int


def sector_table(
    *, organization: Organization, year: int, levels: list[LevelCount], period: str = Period.YEAR
) -> list[SectorRow]:
    """Units directly under the organization on 31 December, counted by sector and final level of the period (one
    query)."""
    rows = (
        Organization.objects.filter(parent=organization)
        .for_year(year)
        .annotate(rating=rating_of("assessments", year, period))
        .values("sector", "rating__level__code", "rating__level__subject")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_sector: dict[str, dict[str, int]] = {}
    for row in rows:
        code = row["rating__level__code"] if row["rating__level__subject"] == Subject.UNIT else NOT_RATED
        cell = by_sector.setdefault(row["sector"], {})
        cell[code] = cell.get(code, 0) + row["n"]
    labels = dict(Sector.choices)
    order = [value for value, _label in Sector.choices] + [""]
    result = []
    for sector in sorted(by_sector, key=lambda s: order.index(s) if s in order else len(order)):
        cell = by_sector[sector]
        result.append(
            SectorRow(
                sector=sector,
                label=str(labels.get(sector, _("Chưa phân loại"))),
                counts=[(level.code, cell.get(level.code, 0)) for level in levels],
                not_rated=cell.get(NOT_RATED, 0),
                total=sum(cell.values()),
            )
        )
    return result


def headline_fill_units(*, headline: Headline, sectors: list[SectorRow]) -> None:
    """Put the unit counts of the live sector table into a headline whose summary was never computed."""
    by_level: dict[str, int] = {}
    for row in sectors:
        for code, n in row.counts:
            by_level[code] = by_level.get(code, 0) + n
    headline.units_total = sum(row.total for row in sectors)
    headline.units_rated = headline.units_total - sum(row.not_rated for row in sectors)
    for level in headline.unit_levels:
        level.count = by_level.get(level.code, 0)
        level.percent = percent(level.count, headline.units_total)


def headline_fill_members(*, headline: Headline, organization: Organization, period: str = Period.YEAR) -> None:
    """Put live member counts (one aggregate query) into a headline whose summary was never computed."""
    rows = (
        MemberAssessment.objects.for_year(headline.year, period)
        .filter(organization__path__startswith=organization.path)
        .values("level__code", "level__subject", "level__is_good_or_better")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_level: dict[str, int] = {}
    headline.members_total = headline.members_rated = headline.members_good_or_better = 0
    for row in rows:
        headline.members_total += row["n"]
        if row["level__code"] is not None and row["level__subject"] == Subject.MEMBER:
            headline.members_rated += row["n"]
            by_level[row["level__code"]] = by_level.get(row["level__code"], 0) + row["n"]
            if row["level__is_good_or_better"]:
                headline.members_good_or_better += row["n"]
    for level in headline.member_levels:
        level.count = by_level.get(level.code, 0)
        level.percent = percent(level.count, headline.members_rated)


def trend(*, organization: Organization) -> list[dict]:
    """Per year, from the stored summaries: units at the top level, units and members good or better, in percent
    (two queries whatever the number of years)."""
    flags: dict[tuple[str, str, str], tuple[bool, bool]] = {}
    titles: dict[str, str] = {}  # a scheme's name as people cite it, never its code (vocabulary.scheme_title)
    for scheme, name, subject, code, top, good in RatingLevel.objects.values_list(
        "scheme__code", "scheme__name", "subject", "code", "is_top", "is_good_or_better"
    ):
        flags[(scheme, subject, code)] = (top, good)
        titles.setdefault(scheme, scheme_title(RatingScheme(code=scheme, name=name)))
    points = []
    rows = Summary.objects.filter(organization=organization, period=Period.YEAR).exclude(computed_at=None)
    rows = rows.order_by("year")
    for row in rows:
        if not (row.units_rated or row.members_rated):
            continue
        top = good = 0
        for code, n in row.unit_levels:
            is_top, is_good = flags.get((row.scheme_code, Subject.UNIT, code), (False, False))
            top += n if is_top else 0
            good += n if is_good else 0
        points.append(
            {
                "year": row.year,
                "scheme": row.scheme_code,
                "scheme_title": titles.get(row.scheme_code, ""),
                # Over all the units directly under it; with none of them rated (a province before its communes
                # came directly under it in July 2025) there is no share to give: None, a dash and a gap.
                "units_top": percent(top, row.units_total) if row.units_rated else None,
                "units_good": percent(good, row.units_total) if row.units_rated else None,
                "members_good": percent(row.members_good_or_better, row.members_rated),
            }
        )
    return points


def latest_unit_year(*, user, exclude=()) -> int | None:
    """The latest year in which a unit in the user's scope received a final level, leaving out the years given
    (provisional ones) (one query)."""
    rated = (
        UnitAssessment.objects.yearly()
        .filter(organization__in=permissions.organizations_visible_to(user), level__isnull=False)
        .exclude(year__in=list(exclude))
    )
    return rated.order_by("-year").values_list("year", flat=True).first()


def scheme_changes(points: list[dict]) -> list[dict]:
    """The points of a trend where the rating scheme differs from the year before (levels are not comparable)."""
    return [point for before, point in zip(points, points[1:], strict=False) if point["scheme"] != before["scheme"]]


def units_under(
    *, user, year: int, parent: Organization | None = None, period: str = Period.YEAR
) -> QuerySet[Organization]:
    """Units of a year with that year's rating (or a quarter's) joined: those directly under `parent`, or every
    grassroots unit in the user's scope."""
    units = permissions.organizations_visible_to(user).for_year(year)
    units = units.filter(parent=parent) if parent is not None else units.filter(kind__in=GRASSROOTS_KINDS)
    return units.annotate(rating=rating_of("assessments", year, period))


def _level_filter(rows: QuerySet, level: str, subject: str) -> QuerySet:
    """Rows annotated with their `rating` at a final level: its code, NOT_RATED or GOOD_OR_BETTER ("": all)."""
    if level == NOT_RATED:
        return rows.filter(Q(rating__isnull=True) | Q(rating__level__isnull=True))
    if level == GOOD_OR_BETTER:
        return rows.filter(rating__level__is_good_or_better=True, rating__level__subject=subject)
    if level:
        return rows.filter(rating__level__code=level, rating__level__subject=subject)
    return rows


def unit_rows(*, units: QuerySet[Organization], level: str = "", sector: str = "", query: str = "") -> QuerySet:
    """The unit list's rows (one query), filtered by final level code (or NOT_RATED, GOOD_OR_BETTER), sector and
    folded name."""
    from assessments.common.text import fold

    units = _level_filter(units, level, Subject.UNIT)
    if sector:
        units = units.filter(sector=sector)
    if query:
        units = units.filter(Q(name_folded__contains=fold(query)) | Q(code__iexact=query.strip()))
    return units.values(
        "code",
        "name",
        "kind",
        "sector",
        "parent__name",
        "rating__level__label_vi",
        "rating__level__label_en",
        "rating__level__rank",
        "rating__exemplary",
        "rating__self_level__label_vi",
        "rating__self_level__label_en",
        "rating__decision_ref",
    ).order_by("name_folded")


def last_finished_year(
    *, organization: Organization, before: int | None = None, open_: dict | None = None
) -> int | None:
    """The latest year, up to `before`, in which units directly under the organization received final levels and
    whose yearly cycle (when one was opened, at the organization or above) has every unit finalized. `open_` is
    open_years() when the caller has it already."""
    rated = UnitAssessment.objects.yearly().filter(organization__parent=organization, level__isnull=False)
    if before is not None:
        rated = rated.filter(year__lte=before)
    years = list(rated.order_by("-year").values_list("year", flat=True).distinct()[:10])
    if not years:
        return None
    if open_ is None:
        open_ = open_years(organization=organization)
    return next((year for year in years if year not in open_), None)


def weak_units(*, organization: Organization, year: int) -> list[UnitAssessment] | None:
    """Units directly under the organization rated at the lowest level of the year's scheme, each marked `has_plan`
    when a consolidation plan answers that rating; None when no installed app answers whether a unit has a plan."""
    units_with_plan = hooks.units_with_plan_hook()
    if units_with_plan is None:
        return None
    units = Organization.objects.filter(parent=organization).for_year(year)
    weak = list(
        UnitAssessment.objects.yearly()
        .filter(year=year, organization__in=units, level__is_lowest=True, level__subject=Subject.UNIT)
        .select_related("organization", "level")
        .order_by("organization__name_folded")
    )
    if weak:
        planned = set(
            units_with_plan(year=year)
            .filter(organization_id__in=[a.organization_id for a in weak])
            .values_list("organization_id", flat=True)
        )
        for assessment in weak:
            assessment.has_plan = assessment.organization_id in planned
    return weak


def units_not_submitted(*, organization: Organization, year: int) -> list[dict] | None:
    """Units of the organization's cycle for the year that have not sent their file (no submission, a draft, or
    returned for correction); None when no cycle was opened for the year."""
    cycle = YearCycle.objects.filter(organization=organization, year=year).first()
    if cycle is None:
        return None
    labels = dict(SubmissionStatus.choices)
    rows = (
        cycle.units()
        .annotate(sub=FilteredRelation("submissions", condition=Q(submissions__cycle=cycle)))
        .exclude(sub__status__in=("submitted", "finalized"))
        .values("code", "name", "sub__status")
        .order_by("name_folded")
    )
    return [
        {"code": r["code"], "name": r["name"], "pending_status": labels.get(r["sub__status"] or "draft", "")}
        for r in rows
    ]


# --- members -----------------------------------------------------------------------------------------------------


def member_order() -> list:
    """Vietnamese order of people: given name, then full name, then card number for a stable page order."""
    from assessments.common.collation import GivenName, Vietnamese

    return [Vietnamese(GivenName("full_name")), Vietnamese("full_name"), "card_number"]


def member_years(*, user) -> list[int]:
    """Years with member ratings in the user's scope, newest first (one query)."""
    rows = MemberAssessment.objects.yearly().filter(organization__in=permissions.organizations_visible_to(user))
    return list(rows.order_by("-year").values_list("year", flat=True).distinct())


def member_units(*, user) -> QuerySet[Organization]:
    """Units in scope that members can be filtered by: cells and the committees above them."""
    kinds = (Kind.GRASSROOTS_COMMITTEE, Kind.SUBCOMMITTEE, Kind.GRASSROOTS_CELL, Kind.CELL)
    return permissions.organizations_visible_to(user).filter(kind__in=kinds).only("code", "name", "depth", "path")


def members_filtered(
    *, user, query: str = "", unit: Organization | None = None, year: int, level: str = "", period: str = Period.YEAR
) -> QuerySet:
    """Members in scope with their rating of the year (or of one of its quarters) joined, matched on folded name or
    card number, within a unit's subtree, at a level of the year (or NOT_RATED), in Vietnamese order."""
    from assessments.common.text import fold

    members = (
        selectors.members_search(user=user, query=query)
        .annotate(rating=rating_of("assessments", year, period))
        # The parent names a cell's grassroots organization: cell names ("Chi bộ thôn 1") repeat across communes.
        .select_related("organization__parent", "rating__level")
    )
    if unit is not None:
        members = members.filter(organization__path__startswith=unit.path)
    members = _level_filter(members, level, Subject.MEMBER)
    if query and not fold(query):
        return members.none()
    return members.order_by(*member_order())


# --- documents of the yearly cycle --------------------------------------------------------------------------------


def unit_documents(*, unit: Organization) -> list:
    """The unit's review documents (the latest 50), newest first."""
    return list(
        ReviewDocument.objects.filter(submission__organization=unit)
        .select_related("submission__cycle", "uploaded_by")
        .order_by("-pk")[:50]
    )


# The provisional years (pages.years), read by the pages through this module.
from assessments.pages.years import (  # noqa: E402, F401 — at the end: pages.years reads this module's helpers
    OpenYear,
    decided_year_default,
    decided_year_latest,
    open_years,
    open_years_for_user,
)
