"""The demo's 2026 quarters (issue 15): Q1–Q3 results of the six merged communes, their village cells and the members
rated there for 2025, scored under qd366-2025, every level from its score and tasks (rules.scores).

Quarters are recorded beside the year and never decided by the yearly cycle, so nothing here is finalized. The same
pattern as demo_2025: deterministic (its own seed), idempotent, through the rule checks every write path uses."""

import random

from assessments.demo_2025 import _score, _scored, _tasks
from assessments.models import (
    QUARTERS,
    MemberAssessment,
    NotRatedReason,
    RatingScheme,
    Subject,
    UnitAssessment,
)
from assessments.rules.scores import scored_levels

YEAR, SEED = 2026, 2026
PERIODS = QUARTERS[:3]  # the demo's "today" is in the fourth quarter of 2026
# Each quarter's mean score: a slow start after the merger, then the communes settle.
MEANS = {"Q1": 76, "Q2": 79, "Q3": 82}


def _quarter(rng: random.Random, period: str, units: list, members: list) -> tuple[list, list]:
    """One quarter's ratings of the units and members rated in 2025."""
    scheme = RatingScheme.for_year(YEAR)
    unit_levels, member_levels = scored_levels(scheme, Subject.UNIT), scored_levels(scheme, Subject.MEMBER)
    unit_rows = []
    for org in units:
        rating = UnitAssessment(organization=org, year=YEAR, period=period, **_tasks(rng))
        rating.score = _score(rng, MEANS[period] + 2)
        _scored(rating, unit_levels, rng)
        rating.self_level = rating.level
        unit_rows.append(rating)
    member_rows = []
    for member, cell, exempt in members:
        rating = MemberAssessment(member=member, year=YEAR, period=period, organization=cell)
        if exempt:
            rating.not_rated_reason = NotRatedReason.EXEMPT
        else:
            rating.score = _score(rng, MEANS[period])
            _scored(rating, member_levels, rng)
        member_rows.append(rating)
    return unit_rows, member_rows


def demo_2026_load() -> list[str]:
    """Q1–Q3 of 2026 for the units and members demo_2025 rated (the merged communes, their cells, their members);
    returns the periods loaded."""
    from assessments.demo import _upsert, ratings_check

    rng = random.Random(SEED)
    # What demo_2025 rated: everything below the province's new communes (paths LS/LS-…/).
    rated = {"organization__path__startswith": "LS/LS-"}
    units = [
        a.organization
        for a in UnitAssessment.objects.for_year(YEAR - 1)
        .filter(**rated)
        .select_related("organization")
        .order_by("organization__code")
    ]
    members = [
        (a.member, a.organization, a.not_rated_reason == NotRatedReason.EXEMPT)
        for a in MemberAssessment.objects.for_year(YEAR - 1)
        .filter(**rated)
        .select_related("member", "organization")
        .order_by("member__card_number")
    ]
    scores = ["score", "self_score", "tasks_assigned", "tasks_on_time", "tasks_exceeded", "tasks_late"]
    for period in PERIODS:
        unit_rows, member_rows = _quarter(rng, period, units, members)
        ratings_check([*unit_rows, *member_rows])
        _upsert(UnitAssessment, unit_rows, ["organization", "year", "period"], ["level", "self_level", *scores])
        _upsert(
            MemberAssessment,
            member_rows,
            ["member", "year", "period"],
            ["organization", "level", "not_rated_reason", "score", "self_score"],
        )
    return [str(p) for p in PERIODS]
