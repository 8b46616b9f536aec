"""Reads of collectives, positions and their ratings within a user's scope, with their joins chosen."""

from django.db.models import QuerySet

from assessments.models import Collective, CollectiveRating, LeaderRating, Position, User
from assessments.permissions import organizations_visible_to


def collectives_visible_to(user: User) -> QuerySet[Collective]:
    """The collectives of the organizations the user may see (a secretary: his or her commune's)."""
    return Collective.objects.filter(organization__in=organizations_visible_to(user)).select_related("organization")


def positions_visible_to(user: User) -> QuerySet[Position]:
    """The posts in the collectives the user may see."""
    return Position.objects.filter(collective__organization__in=organizations_visible_to(user)).select_related(
        "member", "collective", "managed_by"
    )


def collective_ratings_visible_to(user: User) -> QuerySet[CollectiveRating]:
    """The ratings of the collectives the user may see."""
    return CollectiveRating.objects.filter(collective__organization__in=organizations_visible_to(user)).select_related(
        "collective__organization", "level", "self_level", "appraisal_level"
    )


def leader_ratings_visible_to(user: User) -> QuerySet[LeaderRating]:
    """The ratings of the leaders of the collectives the user may see."""
    return LeaderRating.objects.filter(collective__organization__in=organizations_visible_to(user)).select_related(
        "member", "collective__organization", "level", "self_level", "appraisal_level"
    )


def unit_leadership(*, organization) -> dict:
    """The unit page's leadership tables: the yearly ratings of the organization's own collectives in the latest year
    that has one, and its leaders' ratings of that year (two queries; one when there is none)."""
    ratings = list(
        CollectiveRating.objects.filter(collective__organization=organization, period="")
        .select_related("collective", "level", "self_level", "appraisal_level")
        .order_by("-year", "collective__kind", "collective__code")
    )
    if not ratings:
        return {"year": None, "collectives": [], "leaders": []}
    year = ratings[0].year
    leaders = (
        LeaderRating.objects.filter(collective__organization=organization, year=year, period="")
        .select_related("member", "collective", "level", "self_level")
        .order_by("collective__kind", "collective__code", "member__name_folded")
    )
    return {"year": year, "collectives": [r for r in ratings if r.year == year], "leaders": list(leaders)}
