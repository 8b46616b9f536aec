"""Counting a period's leadership collectives and leaders for the summaries in Python (issue 16): the collectives of
each subtree existing on 31 December, left-joined to their rating of the period, and their leaders (the member and
collective of each position held on 31 December) left-joined to theirs, rolled up the materialized path."""

from collections import Counter
from dataclasses import dataclass, field, fields
from functools import reduce
from operator import or_

from django.db.models import Count, Q

from assessments.common.vocabulary import Levels
from assessments.models import Collective, LeaderRating, Organization, Position, rating_of
from assessments.summaries.counting import fresh_children_add, path_prefixes, recounted_units, roll_up


@dataclass
class LeadershipCounts:
    """The collectives and leaders of one organization's subtree for one period, before they are stored."""

    collectives_total: int = 0
    collectives_rated: int = 0
    collective_levels: Counter = field(default_factory=Counter)
    leaders_total: int = 0
    leaders_rated: int = 0
    leader_levels: Counter = field(default_factory=Counter)

    def add(self, other: "LeadershipCounts") -> None:
        """Add another organization's counts (a child's, or its stored summary's)."""
        self.collectives_total += other.collectives_total
        self.collectives_rated += other.collectives_rated
        self.collective_levels.update(other.collective_levels)
        self.leaders_total += other.leaders_total
        self.leaders_rated += other.leaders_rated
        self.leader_levels.update(other.leader_levels)

    def add_stored(self, row: dict) -> None:
        """Add a child's counts as its stored summary row holds them (the levels turned into a dict first)."""
        self.add(
            LeadershipCounts(
                **{
                    name: Counter(dict(row[name])) if name.endswith("_levels") else row[name]
                    for name in LEADERSHIP_FIELDS
                }
            )
        )


# The summary's columns of the leadership counts: the same names.
LEADERSHIP_FIELDS = tuple(f.name for f in fields(LeadershipCounts))


def _tops(targets: dict[str, int]) -> list[str]:
    """The topmost target paths: every other target lies in one of their subtrees."""
    return [p for p in targets if not any(prefix in targets for prefix in path_prefixes(p) if prefix != p)]


def leadership_counts(
    *, year: int, period: str = "", vocabulary: Levels, targets: dict[str, int], full: bool = True
) -> dict[int, LeadershipCounts]:
    """Collectives and leaders of the targets' subtrees (path -> id). A full count reads every collective below the
    topmost targets; a partial one (an import's cells, unit and ancestors) adds the fresh children's stored counts
    and reads only the targets' own collectives and those below a stale child, as the members' count does."""
    counts = {pk: LeadershipCounts() for pk in targets.values()}
    if not targets:
        return counts
    if full:
        tops = _tops(targets)
        _count(
            year=year,
            period=period,
            vocabulary=vocabulary,
            units=reduce(or_, (Q(path__startswith=p) for p in tops)),
            owners=lambda _pk, path: [targets.get(prefix) for prefix in path_prefixes(path)],
            counts=counts,
        )
        return counts

    # Counting every collective below the country for one commune's import read 2 M national leadership ratings.
    ids = set(targets.values())
    recount = fresh_children_add(
        year=year, period=period, ids=ids, fields=LEADERSHIP_FIELDS, counts=counts, add=LeadershipCounts.add_stored
    )
    _count(
        year=year,
        period=period,
        vocabulary=vocabulary,
        units=recounted_units(ids, recount),
        owners=lambda pk, path: [pk if pk in ids else None, *(recount.get(prefix) for prefix in path_prefixes(path))],
        counts=counts,
    )
    roll_up(targets, counts, LeadershipCounts.add)
    return counts


def _count(*, year: int, period: str, vocabulary: Levels, units: Q, owners, counts: dict) -> None:
    """Add the collectives and leaders of the units matching `units` (a filter on organizations) to the counts of
    `owners(organization id, path)`: one grouped query for collectives, two for leaders (positions and ratings)."""
    unit_codes = {lv.pk: lv.code for lv in vocabulary.units}
    member_codes = {lv.pk: lv.code for lv in vocabulary.members}
    collectives = Collective.objects.for_year(year).filter(organization__in=Organization.objects.filter(units))
    rows = (
        collectives.annotate(rating=rating_of("ratings", year, period))
        .values("organization_id", "organization__path", "rating__level_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        code = unit_codes.get(row["rating__level_id"])
        for owner in owners(row["organization_id"], row["organization__path"]):
            summary = counts.get(owner)
            if summary is not None:
                summary.collectives_total += row["n"]
                if row["rating__level_id"] is not None:
                    summary.collectives_rated += row["n"]
                if code is not None:
                    summary.collective_levels[code] += row["n"]

    # A leader is a member heading or sitting in a collective on 31 December: one per member and collective, even
    # with two positions there that day; the rating is the leader's in that collective for the period.
    leaders = set(
        Position.objects.for_year(year)
        .filter(collective__in=collectives)
        .values_list("member_id", "collective_id", "collective__organization_id", "collective__organization__path")
        .distinct()
        .order_by()
    )
    ratings = dict(
        ((member, collective), level)
        for member, collective, level in LeaderRating.objects.filter(
            year=year, period=period, collective__in=collectives
        ).values_list("member_id", "collective_id", "level_id")
    )
    for member, collective, organization, path in leaders:
        level = ratings.get((member, collective))
        for owner in owners(organization, path):
            summary = counts.get(owner)
            if summary is not None:
                summary.leaders_total += 1
                if level is not None:
                    summary.leaders_rated += 1
                if level in member_codes:
                    summary.leader_levels[member_codes[level]] += 1
