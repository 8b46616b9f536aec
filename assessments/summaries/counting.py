"""Counting a period's summaries (a year or a quarter) in Python (SQLite, and partial recomputes everywhere): units
left-joined to their rating, members' rating rows rolled up the materialized path, members on the rolls with no row
(issue 17), and the incremental count from fresh children's stored counts. assessments.summaries.recompute stores
what this counts."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Sum

from assessments.common.vocabulary import Levels
from assessments.models import MemberAssessment, Membership, Organization, Subject, Summary, rating_of, year_end


@dataclass
class ScoreStats:
    """Count, sum, lowest and highest of the scores of rated rows (issue 15); `count` None: scheme not scored."""

    count: int | None = None
    total: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None

    def add(self, count: int, total, low, high) -> None:
        """Add a group (or another organization's stats): sums add, the extremes widen."""
        self.count = (self.count or 0) + (count or 0)
        if count:
            self.total = (self.total or Decimal(0)) + total
            self.low = low if self.low is None else min(self.low, low)
            self.high = high if self.high is None else max(self.high, high)

    def add_stats(self, other: "ScoreStats") -> None:
        if other.count is not None:
            self.add(other.count, other.total, other.low, other.high)

    def scored(self) -> "ScoreStats":
        """The stats of a scored scheme: a count of 0 rather than None when nothing is scored yet."""
        if self.count is None:
            self.count = 0
        return self


def _score_aggregates(field: str, rated: Q) -> dict:
    """The score columns of a grouped query: over the rated rows with a score."""
    return {
        "s_n": Count(field, filter=rated),
        "s_sum": Sum(field, filter=rated),
        "s_min": Min(field, filter=rated),
        "s_max": Max(field, filter=rated),
    }


def _stats_add(stats: "ScoreStats", row: dict) -> None:
    if row["s_n"]:
        stats.add(row["s_n"], row["s_sum"], row["s_min"], row["s_max"])


@dataclass
class Counts:
    """The counts of one organization for one year, before they are stored."""

    units_total: int = 0
    units_rated: int = 0
    units_exemplary: int = 0
    unit_levels: Counter = field(default_factory=Counter)
    members_total: int = 0
    members_rated: int = 0
    members_good_or_better: int = 0
    member_levels: Counter = field(default_factory=Counter)
    members_not_assessed: int = 0
    members_not_yet_rated: int = 0
    members_no_result: int = 0
    unit_scores: ScoreStats = field(default_factory=ScoreStats)
    member_scores: ScoreStats = field(default_factory=ScoreStats)

    def add_split(self, other: "Counts") -> None:
        """Add another organization's split of the members not rated (issue 17)."""
        self.members_not_assessed += other.members_not_assessed
        self.members_not_yet_rated += other.members_not_yet_rated
        self.members_no_result += other.members_no_result

    def add_members(self, other: "Counts") -> None:
        """Add another organization's members (a child target's, into its parent's)."""
        self.members_total += other.members_total
        self.members_rated += other.members_rated
        self.members_good_or_better += other.members_good_or_better
        self.member_levels.update(other.member_levels)
        self.member_scores.add_stats(other.member_scores)
        self.add_split(other)


def path_prefixes(path: str):
    """The paths of an organization and of every organization above it."""
    end = path.find("/")
    while end != -1:
        yield path[: end + 1]
        end = path.find("/", end + 1)


def roll_up(targets: dict[str, int], counts: dict, add) -> None:
    """Add each target's counts (by id) to its parent target's with `add(parent's, child's)`, deepest first, so that
    each target's counts are complete before they are added to its parent's."""
    for path, pk in sorted(targets.items(), key=lambda item: -item[0].count("/")):
        parent = targets.get(path[: path.rstrip("/").rfind("/") + 1])
        if parent is not None:
            add(counts[parent], counts[pk])


# Rating rows without a level for these reasons are "not assessed" (không đánh giá); any other reason is "not yet
# rated" (chưa xếp loại). The values of models.NotRatedReason.
NOT_ASSESSED_REASONS = ("exempt", "suspended")


def _split_add(summary: Counts, *, rated: bool, reason: str | None, n: int) -> None:
    if not rated:
        if reason in NOT_ASSESSED_REASONS:
            summary.members_not_assessed += n
        else:
            summary.members_not_yet_rated += n


def _without_row(year: int, period: str, within: Q | None = None):
    """Members on the rolls on 31 December with no rating row for the period, by the cell's path (one grouped query);
    `within` (a filter on organizations) limits it to those units' memberships."""
    day = year_end(year)
    # NOT EXISTS on the one-rating-per-period index, not NOT IN over the period's ratings: PostgreSQL hashes a NOT IN
    # subquery whole (5.6 M national member ids for one commune's count), while an anti-join probes the index.
    rated = MemberAssessment.objects.for_year(year, period).filter(member_id=OuterRef("member_id"))
    rolls = Membership.objects.on(day).filter(~Exists(rated))
    if within is not None:
        # The units' ids as a subquery, so that only their memberships are read by index: the same filter written
        # across the join (`organization_id IN … OR path LIKE …`) scanned all 5.4 M national memberships (13.8 s).
        rolls = rolls.filter(organization_id__in=Organization.objects.filter(within).values("pk"))
    return (
        rolls.values("organization_id", "organization__path").annotate(n=Count("member_id", distinct=True)).order_by()
    )


# --- counting ----------------------------------------------------------------------------------------------------


def summary_counts(
    *, year: int, period: str = "", vocabulary: Levels, targets: dict[str, int], full: bool
) -> dict[int, Counts]:
    """Counts for the target organizations (path -> id): one query for units, one for members, then one pass."""
    counts = {pk: Counts() for pk in targets.values()}
    levels = {
        lv.pk: {"subject": lv.subject, "code": lv.code, "is_good_or_better": lv.is_good_or_better}
        for lv in (*vocabulary.units, *vocabulary.members)
    }

    # Units: the directly subordinate organizations existing on 31 December, each left-joined to its rating.
    children = Organization.objects.for_year(year).filter(parent__isnull=False)
    if not full:
        children = children.filter(parent_id__in=list(targets.values()))
    unit_rows = (
        children.annotate(rating=rating_of("assessments", year, period))
        .values("parent_id", "rating__level_id", "rating__exemplary")
        .annotate(n=Count("pk"), **_score_aggregates("rating__score", Q(rating__level_id__isnull=False)))
        .order_by()
    )
    for row in unit_rows:
        summary = counts.get(row["parent_id"])
        if summary is None:
            continue
        n = row["n"]
        summary.units_total += n
        level = levels.get(row["rating__level_id"])
        if row["rating__level_id"] is not None:
            summary.units_rated += n
            if row["rating__exemplary"]:
                summary.units_exemplary += n
        if level is not None and level["subject"] == Subject.UNIT:
            summary.unit_levels[level["code"]] += n
        _stats_add(summary.unit_scores, row)

    if not full:
        _count_members_from_children(year=year, period=period, levels=levels, targets=targets, counts=counts)
        return counts

    # Members: that year's assessments grouped by the organization that recorded them, rolled up its path.
    member_rows = (
        MemberAssessment.objects.for_year(year, period)
        .values("organization__path", "level_id", "not_rated_reason")
        .annotate(n=Count("pk"), **_score_aggregates("score", Q(level_id__isnull=False)))
        .order_by()
    )
    for row in member_rows:
        level, rated = levels.get(row["level_id"]), row["level_id"] is not None
        for prefix in path_prefixes(row["organization__path"]):
            target = targets.get(prefix)
            if target is not None:
                _add_members(counts[target], level, rated, row["n"], row["not_rated_reason"], row)
    for row in _without_row(year, period):
        for prefix in path_prefixes(row["organization__path"]):
            target = targets.get(prefix)
            if target is not None:
                counts[target].members_no_result += row["n"]
    return counts


def _add_members(summary: Counts, level: dict | None, rated: bool, n: int, reason: str | None = None, row=None) -> None:
    summary.members_total += n
    if row is not None:
        _stats_add(summary.member_scores, row)
    if rated:
        summary.members_rated += n
    _split_add(summary, rated=rated, reason=reason, n=n)
    if level is not None and level["subject"] == Subject.MEMBER:
        summary.member_levels[level["code"]] += n
        if level["is_good_or_better"]:
            summary.members_good_or_better += n


# The summary's columns of the units' and the members' counts, and of the score stats of a subject ("units",
# "members").
UNIT_FIELDS = ("units_total", "units_rated", "units_exemplary", "unit_levels")
MEMBER_FIELDS = (
    "members_total",
    "members_rated",
    "members_good_or_better",
    "member_levels",
    "members_not_assessed",
    "members_not_yet_rated",
    "members_no_result",
)


def score_fields(subject: str) -> tuple[str, ...]:
    return tuple(f"{subject}_{name}" for name in ("scored", "score_sum", "score_min", "score_max"))


def fresh_children_add(*, year: int, period: str, ids: set[int], fields: tuple[str, ...], counts: dict, add):
    """Add to each target (by id) the stored summary `fields` of its children that are not targets and whose summary
    for the period is fresh, with `add(target's counts, stored row)`: what an incremental count adds as is rather
    than recounting their subtrees. Returns the other children, to recount (path -> parent id)."""
    children = list(
        Organization.objects.filter(parent_id__in=ids).exclude(pk__in=ids).values_list("pk", "parent_id", "path")
    )
    stored = {
        row["organization_id"]: row
        for row in Summary.objects.filter(
            year=year,
            period=period,
            organization_id__in=[pk for pk, _parent, _path in children],
            version=F("computed_version"),
        ).values("organization_id", *fields)
    }
    recount = {}
    for pk, parent, path in children:
        if pk in stored:
            add(counts[parent], stored[pk])
        else:
            recount[path] = parent
    return recount


def _stored_members_add(summary: Counts, row: dict) -> None:
    """Add a child's members as its stored summary counts them."""
    summary.members_total += row["members_total"]
    summary.members_rated += row["members_rated"]
    summary.members_good_or_better += row["members_good_or_better"]
    summary.member_levels.update(dict(row["member_levels"]))
    if row["members_scored"]:
        summary.member_scores.add(
            row["members_scored"], row["members_score_sum"], row["members_score_min"], row["members_score_max"]
        )
    summary.add_split(
        Counts(
            members_not_assessed=row["members_not_assessed"],
            members_not_yet_rated=row["members_not_yet_rated"],
            members_no_result=row["members_no_result"],
        )
    )


def _count_members_from_children(
    *, year: int, period: str, levels: dict, targets: dict[str, int], counts: dict
) -> None:
    """Members of the targets from the rows recorded at them plus each child's members: a child being recomputed
    brings its new counts, any other child its stored counts when fresh, and only a stale child is recounted."""
    # Counting rows under every target would recount a whole province for one commune's import (146 ms on the
    # province bench, growing with the province); fresh children's stored counts are exact by the version marks.
    ids = set(targets.values())
    recount = fresh_children_add(
        year=year,
        period=period,
        ids=ids,
        fields=(*MEMBER_FIELDS, *score_fields("members")),
        counts=counts,
        add=_stored_members_add,
    )
    wanted = Organization.objects.filter(recounted_units(ids, recount)).values("pk")
    rows = (
        MemberAssessment.objects.for_year(year, period)
        .filter(organization_id__in=wanted)
        .values("organization_id", "organization__path", "level_id", "not_rated_reason")
        .annotate(n=Count("pk"), **_score_aggregates("score", Q(level_id__isnull=False)))
        .order_by()
    )
    for row in rows:
        level, rated, n = levels.get(row["level_id"]), row["level_id"] is not None, row["n"]
        reason = row["not_rated_reason"]
        if row["organization_id"] in ids:
            _add_members(counts[row["organization_id"]], level, rated, n, reason, row)
        for prefix in path_prefixes(row["organization__path"]):
            parent = recount.get(prefix)
            if parent is not None:
                _add_members(counts[parent], level, rated, n, reason, row)
    # Members on the rolls with no row: at a target itself, or below a child being recounted.
    rolls = _without_row(year, period, recounted_units(ids, recount))
    for row in rolls:
        if row["organization_id"] in ids:
            counts[row["organization_id"]].members_no_result += row["n"]
        for prefix in path_prefixes(row["organization__path"]):
            parent = recount.get(prefix)
            if parent is not None:
                counts[parent].members_no_result += row["n"]
    roll_up(targets, counts, Counts.add_members)


def recounted_units(ids: set[int], recount: dict[str, int]) -> Q:
    """The targets themselves and the subtrees of the children being recounted (a filter on organizations)."""
    return reduce(or_, (Q(path__startswith=path) for path in recount), Q(pk__in=ids))
