"""Reads behind the cycle pages: a cycle's units with their submission's state, counts by state, the year's levels, a
unit's own rating."""

from collections import defaultdict

from django.db.models import Count, FilteredRelation, Q

from assessments.common.vocabulary import level_label
from assessments.models import RatingLevel, ReviewDocument, Subject, SubmissionStatus, UnitAssessment, rating_of
from assessments.selectors import levels_for


def cycle_units(cycle) -> list[dict]:
    """The units of a cycle with their submission's state, levels and document count, in a fixed number of queries."""
    units = list(
        cycle.units()
        .annotate(
            sub=FilteredRelation("submissions", condition=Q(submissions__cycle=cycle)),
            rating=rating_of("assessments", cycle.year),
        )
        .values(
            "pk",
            "code",
            "name",
            "kind",
            "sub__status",
            "sub__submitted_at",
            "sub__pk",
            "sub__proposed_level__label_vi",
            "sub__proposed_level__label_en",
            "rating__self_level__label_vi",
            "rating__self_level__label_en",
            "rating__level__label_vi",
            "rating__level__label_en",
        )
        .order_by("name_folded")
    )
    docs = dict(
        ReviewDocument.objects.filter(submission__cycle=cycle)
        .values("submission_id")
        .annotate(n=Count("id"))
        .values_list("submission_id", "n")
    )
    labels = dict(SubmissionStatus.choices)
    for unit in units:
        for name in ("self_level", "level"):
            unit[name] = level_label(unit[f"rating__{name}__label_vi"], unit[f"rating__{name}__label_en"])
        unit["proposed"] = level_label(unit["sub__proposed_level__label_vi"], unit["sub__proposed_level__label_en"])
        unit["status"] = unit["sub__status"] or SubmissionStatus.DRAFT
        unit["status_label"] = labels[unit["status"]]
        unit["documents"] = docs.get(unit["sub__pk"], 0)
        unit["submitted"] = unit["status"] in (SubmissionStatus.SUBMITTED, SubmissionStatus.FINALIZED)
    return units


def status_counts(units: list[dict]) -> dict[str, int]:
    """Units of a cycle counted by the state of their submission."""
    counts: dict[str, int] = defaultdict(int)
    for unit in units:
        counts[unit["status"]] += 1
    return {value: counts[value] for value in SubmissionStatus.values}


def unit_levels(year: int) -> list[RatingLevel]:
    """The unit levels of the year's scheme, best first."""
    return list(levels_for(year=year, subject=Subject.UNIT))


def own_rating(organization, year: int) -> UnitAssessment | None:
    """The unit's own yearly rating with the level it proposed and the level decided (one query), or None."""
    return (
        UnitAssessment.objects.yearly()
        .filter(organization=organization, year=year)
        .select_related("self_level", "level")
        .first()
    )
