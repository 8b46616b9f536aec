"""Counting a period's leadership collectives and leaders for the summaries in Python (issue 16): the collectives of
each subtree existing on 31 December, left-joined to their rating of the period, and their leaders (the member and
collective of each position held on 31 December) left-joined to theirs, rolled up the materialized path."""

from collections import Counter
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Count, Q

from assessments.common.vocabulary import Levels
from assessments.models import Collective, LeaderRating, Position, rating_of


@dataclass
class LeadershipCounts:
    """The collectives and leaders of one organization's subtree for one period, before they are stored."""

    collectives_total: int = 0
    collectives_rated: int = 0
    collective_levels: Counter = field(default_factory=Counter)
    leaders_total: int = 0
    leaders_rated: int = 0
    leader_levels: Counter = field(default_factory=Counter)


def _prefixes(path: str):
    """The paths of an organization and of every organization above it."""
    end = path.find("/")
    while end != -1:
        yield path[: end + 1]
        end = path.find("/", end + 1)


def _tops(targets: dict[str, int]) -> list[str]:
    """The topmost target paths: every other target lies in one of their subtrees."""
    return [p for p in targets if not any(prefix in targets for prefix in _prefixes(p) if prefix != p)]


def leadership_counts(
    *, year: int, period: str = "", vocabulary: Levels, targets: dict[str, int]
) -> dict[int, LeadershipCounts]:
    """Collectives and leaders of the targets' subtrees (path -> id): one grouped query for collectives, two for
    leaders (positions and ratings), then one pass up each path."""
    counts = {pk: LeadershipCounts() for pk in targets.values()}
    if not targets:
        return counts
    unit_codes = {lv.pk: lv.code for lv in vocabulary.units}
    member_codes = {lv.pk: lv.code for lv in vocabulary.members}
    within = reduce(or_, (Q(organization__path__startswith=p) for p in _tops(targets)))
    collectives = Collective.objects.for_year(year).filter(within)
    rows = (
        collectives.annotate(rating=rating_of("ratings", year, period))
        .values("organization__path", "rating__level_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        code = unit_codes.get(row["rating__level_id"])
        for prefix in _prefixes(row["organization__path"]):
            summary = counts.get(targets.get(prefix))
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
        .values_list("member_id", "collective_id", "collective__organization__path")
        .distinct()
        .order_by()
    )
    ratings = dict(
        ((member, collective), level)
        for member, collective, level in LeaderRating.objects.filter(
            year=year, period=period, collective__in=collectives
        ).values_list("member_id", "collective_id", "level_id")
    )
    for member, collective, path in leaders:
        level = ratings.get((member, collective))
        for prefix in _prefixes(path):
            summary = counts.get(targets.get(prefix))
            if summary is not None:
                summary.leaders_total += 1
                if level is not None:
                    summary.leaders_rated += 1
                if level in member_codes:
                    summary.leader_levels[member_codes[level]] += 1
    return counts
