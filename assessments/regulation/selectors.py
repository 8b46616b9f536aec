"""Reads of the regulation's records used by the pages: discipline decisions and overrides within a subtree."""

from django.db.models import Q, QuerySet

from assessments.models import Discipline, Organization, RuleOverride

UNIT_DISCIPLINES_SHOWN = 20


def disciplines_in_subtree(*, organization: Organization, limit: int = UNIT_DISCIPLINES_SHOWN) -> QuerySet:
    """The latest decisions against the unit, the units under it and their members (one query)."""
    return (
        Discipline.objects.filter(
            Q(organization__path__startswith=organization.path)
            | Q(member__organization__path__startswith=organization.path)
        )
        .select_related("member", "organization")
        .order_by("-decided_on", "-pk")[:limit]
    )


def overrides_in_subtree(*, organization: Organization, year: int) -> QuerySet:
    """The overrides of a year recorded in a subtree, with who decided (one query): listed in the results report."""
    return (
        RuleOverride.objects.filter(year=year, organization__path__startswith=organization.path)
        .select_related("organization", "decided_by")
        .order_by("organization__path", "rule")
    )
