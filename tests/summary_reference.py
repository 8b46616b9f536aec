"""A deliberately naive recount (one organization at a time, plain loops) that the stored summaries must equal."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from assessments.models import (
    Collective,
    CollectiveRating,
    LeaderRating,
    MemberAssessment,
    Membership,
    Organization,
    Position,
    RatingScheme,
    Subject,
    UnitAssessment,
)


def recount(organization: Organization, year: int, period: str = "") -> dict:
    """The contract's counts for one organization and year (or quarter), without computed_at and stale."""
    scheme = RatingScheme.for_year(year)
    unit_levels = {lv.code: 0 for lv in scheme.levels.filter(subject=Subject.UNIT).order_by("rank")}
    member_levels = {lv.code: 0 for lv in scheme.levels.filter(subject=Subject.MEMBER).order_by("rank")}
    units = [child for child in Organization.objects.filter(parent=organization) if child.exists_in(year)]
    ratings = {
        a.organization_id: a
        for a in UnitAssessment.objects.filter(year=year, period=period, organization__in=units).select_related("level")
    }
    rated = exemplary = 0
    unit_scores, member_scores = [], []
    for unit in units:
        rating = ratings.get(unit.pk)
        if rating is not None and rating.level is not None:
            rated += 1
            if rating.score is not None:
                unit_scores.append(rating.score)
            unit_levels[rating.level.code] += 1
            exemplary += rating.exemplary
    members = MemberAssessment.objects.filter(
        year=year, period=period, organization__path__startswith=organization.path
    )
    m_total = m_rated = good = not_assessed = not_yet_rated = 0
    for assessment in members.select_related("level"):
        m_total += 1
        if assessment.level is not None:
            m_rated += 1
            if assessment.score is not None:
                member_scores.append(assessment.score)
            member_levels[assessment.level.code] += 1
            good += assessment.level.is_good_or_better
        elif assessment.not_rated_reason in ("exempt", "suspended"):
            not_assessed += 1
        else:
            not_yet_rated += 1
    # On the rolls of the subtree on 31 December, with no rating row that year anywhere.
    day = datetime.date(year, 12, 31)
    with_row = set(MemberAssessment.objects.filter(year=year, period=period).values_list("member_id", flat=True))
    no_result = {
        m.member_id
        for m in Membership.objects.select_related("organization")
        if m.organization.path.startswith(organization.path)
        and m.start <= day
        and (m.end is None or m.end >= day)
        and m.member_id not in with_row
    }
    counted = {
        "organization": organization.code,
        "name": organization.name,
        "year": year,
        **({"period": period} if period else {}),
        "scheme": scheme.code,
        "units": {
            "total": len(units),
            "rated": rated,
            "not_rated": len(units) - rated,
            "by_level": unit_levels,
            "exemplary": exemplary,
        },
        "members": {
            "total": m_total,
            "rated": m_rated,
            "not_rated": m_total - m_rated,
            "by_level": member_levels,
            "good_or_better": good,
            "not_assessed": not_assessed,
            "not_yet_rated": not_yet_rated,
            "no_result": len(no_result),
        },
        **_leadership(organization, year, period, dict.fromkeys(unit_levels, 0), dict.fromkeys(member_levels, 0)),
    }
    if scheme.is_scored:
        counted["scores"] = {"units": _stats(unit_scores), "members": _stats(member_scores)}
    return counted


def _leadership(organization: Organization, year: int, period: str, collective_levels: dict, leader_levels: dict):
    """Issue 16: the subtree's collectives existing on 31 December and their leaders on that day, one at a time."""
    day = datetime.date(year, 12, 31)
    collectives = [
        c
        for c in Collective.objects.select_related("organization")
        if c.organization.path.startswith(organization.path)
        and (c.valid_from is None or c.valid_from <= day)
        and (c.valid_to is None or c.valid_to >= day)
    ]
    c_rated = 0
    for c in collectives:
        rating = CollectiveRating.objects.filter(collective=c, year=year, period=period).first()
        if rating is not None and rating.level is not None:
            c_rated += 1
            collective_levels[rating.level.code] += 1
    leaders = {
        (p.member_id, p.collective_id)
        for p in Position.objects.all()
        if p.collective in collectives and p.start <= day and (p.end is None or p.end >= day)
    }
    l_rated = 0
    for member_id, collective_id in leaders:
        rating = LeaderRating.objects.filter(
            member_id=member_id, collective_id=collective_id, year=year, period=period
        ).first()
        if rating is not None and rating.level is not None:
            l_rated += 1
            leader_levels[rating.level.code] += 1
    return {
        "collectives": {
            "total": len(collectives),
            "rated": c_rated,
            "not_rated": len(collectives) - c_rated,
            "by_level": collective_levels,
        },
        "leaders": {
            "total": len(leaders),
            "rated": l_rated,
            "not_rated": len(leaders) - l_rated,
            "by_level": leader_levels,
        },
    }


def _stats(scores: list) -> dict:
    """Count, mean (two decimals, half up), min and max of a list of scores, computed directly."""
    if not scores:
        return {"count": 0, "mean": None, "min": None, "max": None}
    mean = (sum(scores) / len(scores)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return {"count": len(scores), "mean": float(mean), "min": float(min(scores)), "max": float(max(scores))}


def without_freshness(data: dict) -> dict:
    """A summary dict without the fields that change on every recompute."""
    return {k: v for k, v in data.items() if k not in ("computed_at", "stale")}
