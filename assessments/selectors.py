"""Reads shared by views, the API, exports and commands; the one place that decides a user's scope."""

from django.db.models import QuerySet

from .models import Organization, RatingLevel, RatingScheme, Role, UnitAssessment


def organizations_visible_to(user) -> QuerySet[Organization]:
    """The organizations a user may see: their own and everything below it; all for administrators."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organization.objects.none()
    if user.is_superuser or (user.role == Role.ADMIN and user.organization_id is None):
        return Organization.objects.all()
    if user.organization_id is None:
        return Organization.objects.none()
    return Organization.objects.filter(path__startswith=user.organization.path)


def organization_get_for_user(*, user, code: str) -> Organization:
    """Fetch an organization by code within the user's scope; 404 outside it, whether it exists or not."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(organizations_visible_to(user), code=code)


def scheme_for_year(year: int) -> RatingScheme | None:
    """The rating scheme in force for a year, looked up from the data."""
    return RatingScheme.for_year(year)


def levels_for(*, year: int, subject: str) -> QuerySet[RatingLevel]:
    """The levels of the year's scheme for units or members, best first."""
    scheme = scheme_for_year(year)
    if scheme is None:
        return RatingLevel.objects.none()
    return RatingLevel.objects.filter(scheme=scheme, subject=subject).order_by("rank")


def units_with_ratings(*, user, year: int):
    """Grassroots units in scope existing at the end of the year, each with that year's rating in one query."""
    from django.db.models import FilteredRelation, Q

    return (
        organizations_visible_to(user).grassroots().for_year(year)
        .annotate(rating=FilteredRelation("assessments", condition=Q(assessments__year=year)))
        .select_related("parent")
        .values("code", "name", "kind", "sector", "parent__name", "rating__level__label_vi", "rating__level__rank",
                "rating__exemplary", "rating__self_level__label_vi")
        .order_by("name_folded")
    )


def unit_level_counts(*, organization, year: int) -> dict:
    """Direct subordinate units of an organization in a year, counted by final level (one aggregate query)."""
    from django.db.models import Count

    units = Organization.objects.filter(parent=organization).for_year(year)
    rows = (UnitAssessment.objects.filter(year=year, organization__in=units, level__isnull=False)
            .values("level__code", "level__label_vi", "level__rank", "level__is_top")
            .annotate(n=Count("id")).order_by("level__rank"))
    return {"total": units.count(), "by_level": list(rows)}


def members_search(*, user, query: str = ""):
    """Members of the cells in scope, matching a folded name or a card number."""
    from django.db.models import Q

    from .models import Member
    from .text import fold

    members = Member.objects.filter(organization__in=organizations_visible_to(user)).select_related("organization")
    if query:
        members = members.filter(Q(name_folded__contains=fold(query)) | Q(card_number=query.strip()))
    return members.order_by("name_folded", "card_number")
