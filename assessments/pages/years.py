"""Provisional years: a year whose cycle (opened at the organization or above) has units not yet finalized, its
progress, and the decided year a page opens on."""

from dataclasses import dataclass

from django.db.models import Count, Q

from assessments.common.vocabulary import Share
from assessments.models import Organization, YearCycle


@dataclass(frozen=True)
class OpenYear:
    """A year whose yearly cycle (opened at the organization or above it) has units not yet finalized: its figures
    are provisional."""

    year: int
    decided: int
    total: int

    @property
    def share(self) -> Share:
        return Share(self.decided, self.total)


def open_years(*, organization: Organization) -> dict[int, OpenYear]:
    """The organization's provisional years, by year, with their progress (decided units of the cycle's total).
    One query for the cycles and one count per open cycle (a handful of years)."""
    parts = organization.path.strip("/").split("/")
    paths = ["".join(part + "/" for part in parts[: i + 1]) for i in range(len(parts))]
    cycles = YearCycle.objects.filter(organization__path__in=paths).annotate(
        decided=Count("submissions", filter=Q(submissions__status="finalized"))
    )
    found = {}
    for cycle in cycles:
        total = cycle.units().count()
        if cycle.decided < total:
            found[cycle.year] = OpenYear(year=cycle.year, decided=cycle.decided, total=total)
    return found


def decided_year_default(*, years: list[int], open_: dict[int, "OpenYear"]) -> int | None:
    """The year a page opens on: the latest with results, unless still provisional; then the latest decided one."""
    return next((year for year in years if year not in open_), years[0] if years else None)


def open_years_for_user(user) -> dict[int, OpenYear]:
    """The open years of the user's own organization (administrators: the top of their dashboard's choices). The
    organization is the one permissions.organizations_visible_to loads: no query of its own when already loaded."""
    from assessments.pages.selectors import dashboard_organization_default

    organization = user.organization if user.organization_id else dashboard_organization_default(user)
    return open_years(organization=organization) if organization is not None else {}


def decided_year_latest(*, user) -> int | None:
    """The latest year with unit results in the user's scope that is not provisional."""
    from assessments.pages.selectors import latest_unit_year

    return latest_unit_year(user=user, exclude=open_years_for_user(user))
