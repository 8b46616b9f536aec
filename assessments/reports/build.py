"""The yearly results report of an organization: counts by kind and sector, percentages, comparison and lists,
each counted in a fixed number of queries on the tree and the scheme of the year."""

from collections import Counter

from django.db.models import Count, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.common.vocabulary import Level, Levels, Share, exists_in_year, level_label, levels_of
from assessments.models import (
    GRASSROOTS_KINDS,
    GuidancePeriod,
    Kind,
    MemberAssessment,
    NotRatedReason,
    Organization,
    RatingScheme,
    RatingWord,
    Sector,
    Subject,
    UnitAssessment,
    rating_of,
)
from assessments.regulation.periods import not_rated_reason_labels
from assessments.reports.annex import AnnexRow, unit_annex
from assessments.reports.rows import (
    NO_RECORD,
    NO_RECORD_LABEL,
    NO_SECTOR,
    TREND_YEARS,
    Comparison,
    ComparisonLine,
    LevelCell,
    ListedUnit,
    MemberRow,
    Reason,
    Report,
    ReportError,
    TrendPoint,
    UnitRow,
    kind_label,
    reason_label,
    reasons_list,
)
from assessments.rules.ratings import no_scheme_message
from assessments.selectors import (
    leadership_table,
    member_records,
    members_without_record,
    score_bands,
    summaries_read,
)

__all__ = [
    "AnnexRow",
    "NO_RECORD",
    "NO_RECORD_LABEL",
    "NO_SECTOR",
    "TREND_YEARS",
    "Comparison",
    "ComparisonLine",
    "Level",
    "LevelCell",
    "Levels",
    "ListedUnit",
    "MemberRow",
    "Reason",
    "Report",
    "ReportError",
    "Share",
    "TrendPoint",
    "UnitRow",
    "reason_label",
    "reasons_list",
    "report_build",
    "report_organizations",
    "report_years",
]


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
        queryset.annotate(rating=rating_of("assessments", year))
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
            kinds[kind] = UnitRow(f"kind:{kind}", kind_label(kind), unit_levels)
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


def _member_rows(
    *, organization: Organization, year: int, levels: Levels, with_rolls: bool = True
) -> tuple[list[MemberRow], MemberRow, dict[str, MemberRow]]:
    """Members of the subtree: its rating rows grouped by the recording unit's sector, level and reason, and the
    members on the rolls on 31 December with no row, by their cell's sector (two queries). The third value holds
    the same counts by directly subordinate unit (its code), for the annex."""
    rows = (
        member_records(organization=organization, year=year)
        .values("organization__path", "organization__sector", "level_id", "not_rated_reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    sectors: dict[str, MemberRow] = {}
    member_levels = levels.members
    total = MemberRow("total", _("Tổng cộng"), member_levels)
    by_child: dict[str, MemberRow] = {}
    start = len(organization.path)

    def groups(row) -> list[MemberRow]:
        sector = row["organization__sector"] or NO_SECTOR
        if sector not in sectors:
            sectors[sector] = MemberRow(f"sector:{sector}", _sector_label(row["organization__sector"]), member_levels)
        # The directly subordinate unit is the first code of the path below the organization's own.
        child = row["organization__path"][start:].split("/")[0]
        if not child:  # recorded at the organization itself
            return [sectors[sector], total]
        if child not in by_child:
            by_child[child] = MemberRow(f"unit:{child}", child, member_levels)
        return [sectors[sector], total, by_child[child]]

    for row in rows:
        level = levels.member_pks.get(row["level_id"])
        for target in groups(row):
            target.total += row["n"]
            if row["level_id"] is None:
                target.reasons[row["not_rated_reason"] or NotRatedReason.OTHER] += row["n"]
            else:
                target.rated += row["n"]
                if level is not None:
                    target.by_level[level.code] += row["n"]
    if not with_rolls:
        return _ordered(sectors, list(Sector.values) + [NO_SECTOR]), total, by_child
    # Members on the rolls on 31 December with no rating row that year: "no result yet" (as the summaries count).
    missing = (
        members_without_record(organization=organization, year=year)
        .values("organization__path", "organization__sector")
        .annotate(n=Count("member_id", distinct=True))
        .order_by()
    )
    for row in missing:
        for target in groups(row):
            target.total += row["n"]
            target.reasons[NO_RECORD] += row["n"]
    return _ordered(sectors, list(Sector.values) + [NO_SECTOR]), total, by_child


def _children(organization: Organization):
    return Organization.objects.filter(parent=organization)


def _cells(organization: Organization):
    """Cells inside grassroots committees below the organization, other than its own direct units."""
    return Organization.objects.subtree(organization).filter(kind=Kind.CELL, depth__gt=organization.depth + 1)


def _listed(rows, labels: dict) -> list[ListedUnit]:
    return [
        ListedUnit(
            code=row["code"],
            name=row["name"],
            kind=row["kind"],
            kind_label=kind_label(row["kind"]),
            parent_name=row["parent__name"] or "",
            level_label=level_label(row.get("rating__level__label_vi"), row.get("rating__level__label_en")),
            reason_label=""
            if row.get("rating__level_id")
            else reason_label(row.get("rating__not_rated_reason") or NO_RECORD, labels),
        )
        for row in rows
    ]


def _unit_lists(
    *, organization: Organization, year: int, weak_level_pks: list[int], labels: dict
) -> tuple[list[ListedUnit], list[ListedUnit]]:
    """Weak units and units not rated among the direct units and the cells (two queries)."""
    units = (
        Organization.objects.for_year(year)
        .filter(Q(parent=organization) | Q(pk__in=_cells(organization).values("pk")))
        .annotate(rating=rating_of("assessments", year))
    )
    fields = ["code", "name", "kind", "parent__name", "path", "name_folded"]
    weak = units.filter(rating__level_id__in=weak_level_pks).values(
        *fields, "rating__level_id", "rating__level__label_vi", "rating__level__label_en"
    )
    not_rated = units.filter(rating__level_id__isnull=True).values(*fields, "rating__not_rated_reason")
    return (
        _listed(weak.order_by("depth", "name_folded", "code"), labels),
        _listed(not_rated.order_by("depth", "name_folded", "code"), labels),
    )


def _comparison(
    *, organization: Organization, year: int, scheme: RatingScheme, levels: Levels, units: UnitRow, members: MemberRow
) -> Comparison | None:
    """The headline figures against the previous year, counted on the tree and the scheme of that year."""
    p_scheme = RatingScheme.for_year(year - 1)
    if p_scheme is None:
        return None
    p_levels = levels_of(p_scheme)
    _k, _s, p_units = _unit_rows(
        _children(organization).for_year(year - 1), year=year - 1, levels=p_levels, by_kind=False
    )
    # The comparison uses shares of rated members only: the previous year's rolls are not needed.
    _m, p_members, _c = _member_rows(organization=organization, year=year - 1, levels=p_levels, with_rolls=False)
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
            ComparisonLine(
                subject,
                "top",
                label_top,
                pick(p_list, "top"),
                pick(c_list, "top"),
                prev.top,
                cur.top,
                comparable=p_scheme.pk == scheme.pk,
            )
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
        totals[y] = sum(1 for c in children.values() if exists_in_year(c["valid_from"], c["valid_to"], y))
    unit_top: Counter = Counter()
    unit_good: Counter = Counter()
    unit_years: set[int] = set()
    unit_rows = (
        UnitAssessment.objects.yearly()
        .filter(organization__parent=organization, year__gte=first, year__lte=year)
        .filter(level__subject=Subject.UNIT)
        .values_list("year", "organization_id", "level__is_top", "level__is_good_or_better")
        .order_by()
    )
    for y, org_id, is_top, is_good in unit_rows:
        child = children.get(org_id)
        if child is None or not exists_in_year(child["valid_from"], child["valid_to"], y):
            continue
        unit_years.add(y)
        unit_top[y] += is_top
        unit_good[y] += is_good
    member_rated: Counter = Counter()
    member_top: Counter = Counter()
    member_good: Counter = Counter()
    member_rows = (
        MemberAssessment.objects.yearly()
        .filter(organization__path__startswith=organization.path, year__gte=first, year__lte=year, level__isnull=False)
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
    schemes = list(RatingScheme.objects.order_by("-first_year"))

    def scheme_of(y: int) -> str:
        return next((scheme.code for scheme in schemes if scheme.covers(y)), "")

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


def _scheme_of(year: int) -> RatingScheme | None:
    """The scheme in force, with the rating word of the guidance period covering the year read in the same query."""
    word = GuidancePeriod.objects.for_year(year).values("rating_word")[:1]
    return (
        RatingScheme.objects.for_year(year).annotate(period_rating_word=Subquery(word)).order_by("-first_year").first()
    )


def report_build(*, organization: Organization, year: int) -> Report:
    """The yearly results report of an organization (its direct units, cells and members) on that year's tree."""
    scheme = _scheme_of(year)
    if scheme is None:
        raise ReportError(no_scheme_message(year))
    if not organization.exists_in(year):
        raise ReportError(
            _("%(name)s không tồn tại vào cuối năm %(year)s.") % {"name": organization.name, "year": year}
        )
    levels = levels_of(scheme)
    units_by_kind, units_by_sector, units_total = _unit_rows(
        _children(organization).for_year(year), year=year, levels=levels, by_kind=True
    )
    _none, cells_by_sector, cells_total = _unit_rows(
        _cells(organization).for_year(year), year=year, levels=levels, by_kind=False
    )
    members_by_sector, members_total, members_by_unit = _member_rows(
        organization=organization, year=year, levels=levels
    )
    # The lowest unit level is "weak" (yếu kém before 2018, không hoàn thành nhiệm vụ after).
    weak_pks = [lv.pk for lv in levels.lowest(Subject.UNIT)]
    labels = not_rated_reason_labels(year)
    weak_units, not_rated_units = _unit_lists(
        organization=organization, year=year, weak_level_pks=weak_pks, labels=labels
    )
    return Report(
        organization=organization,
        year=year,
        scheme=scheme,
        rating_word_code=scheme.period_rating_word or RatingWord.RANKING,
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
        unit_annex=unit_annex(
            organization=organization, year=year, levels=levels, members=members_by_unit, labels=labels
        ),
        reason_labels=labels,
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
        score_bands=score_bands(organization=organization, year=year, scheme=scheme),
        # The stored row only (one query): a year never summarized has no table rather than a costlier fallback.
        leadership=leadership_table(
            summary=summaries_read(organizations=[organization], year=year).get(organization.code), levels=levels
        ),
    )


def report_years() -> list[int]:
    """Years that have a rating scheme and some unit assessments, newest first (two queries)."""
    years = set(UnitAssessment.objects.yearly().order_by().values_list("year", flat=True).distinct())
    schemes = list(RatingScheme.objects.all())
    return sorted((y for y in years if any(scheme.covers(y) for scheme in schemes)), reverse=True)


def report_organizations(*, user):
    """Organizations in the user's scope that have units under them, the report's possible subjects."""
    from assessments.permissions import organizations_visible_to

    return (
        organizations_visible_to(user)
        .filter(Q(kind__in=[Kind.PROVINCE, Kind.DISTRICT, Kind.GRASSROOTS_COMMITTEE, Kind.SUBCOMMITTEE]))
        .order_by("path")
    )
