"""The lists that go with a year's results: units proposed as exemplary ("trong sạch, vững mạnh tiêu biểu") this
year and five years running, members at the top level five years running, members at the lowest level two years
running (a case for the committee), and the results finalized past a failed regulation check with their reasons.
Counted apart from report_build (five queries), for the page, the files and the decision."""

from dataclasses import dataclass

from django.db.models import Count, Q

from assessments.common.text import sort_key
from assessments.common.vocabulary import level_label
from assessments.models import MemberAssessment, Organization, Period, Subject, Submission, UnitAssessment

EXEMPLARY_YEARS = 5
EXCELLENT_YEARS = 5
NOT_COMPLETED_YEARS = 2


@dataclass(frozen=True)
class ListedMember:
    card_number: str
    name: str
    unit_name: str
    level_label: str


@dataclass(frozen=True)
class ListedOverride:
    unit_name: str
    level_label: str
    reason: str
    finalized_by: str
    finalized_at: object


@dataclass(frozen=True)
class ResultLists:
    year: int
    exemplary: list[Organization]
    exemplary_running: list[Organization]
    excellent_running: list[ListedMember]
    not_completed_running: list[ListedMember]
    overrides: list[ListedOverride]


def _units_below(organization: Organization):
    return Organization.objects.filter(path__startswith=organization.path, depth__gt=organization.depth)


def _exemplary(organization: Organization, year: int, years: int) -> list[Organization]:
    """Units below the organization proposed exemplary in each of the `years` years ending with `year`."""
    first = year - years + 1
    units = (
        _units_below(organization)
        .for_year(year)
        .filter(
            assessments__year__gte=first,
            assessments__year__lte=year,
            assessments__period=Period.YEAR,
            assessments__exemplary=True,
            assessments__level__isnull=False,
        )
        .annotate(n=Count("assessments__year", distinct=True))
        .filter(n=years)
        .select_related("parent")
    )
    return sorted(units, key=lambda o: (o.depth, sort_key(o.name), o.code))


def _members_running(organization: Organization, year: int, years: int, level_filter: Q) -> list[ListedMember]:
    """Members recorded in the subtree this year whose level matched `level_filter` in each of the last years."""
    first = year - years + 1
    recorded = MemberAssessment.objects.yearly().filter(year=year, organization__path__startswith=organization.path)
    running = (
        MemberAssessment.objects.yearly()
        .filter(year__gte=first, year__lte=year, member_id__in=recorded.values("member_id"))
        .filter(level_filter, level__subject=Subject.MEMBER)
        .values("member_id")
        .annotate(n=Count("year", distinct=True))
        .filter(n=years)
        .values("member_id")
    )
    rows = recorded.filter(member_id__in=running).values(
        "member__card_number", "member__full_name", "organization__name", "level__label_vi", "level__label_en"
    )
    out = [
        ListedMember(
            card_number=row["member__card_number"],
            name=row["member__full_name"],
            unit_name=row["organization__name"],
            level_label=level_label(row["level__label_vi"], row["level__label_en"]),
        )
        for row in rows
    ]
    return sorted(out, key=lambda m: (sort_key(m.unit_name), sort_key(m.name), m.card_number))


def _overrides(organization: Organization, year: int) -> list[ListedOverride]:
    """Results finalized past a failed regulation check, with the reason the officer recorded."""
    rows = (
        Submission.objects.filter(cycle__organization=organization, cycle__year=year)
        .exclude(override_reason="")
        .select_related("organization", "finalized_by")
    )
    levels = {
        a.organization_id: a.level
        for a in UnitAssessment.objects.yearly()
        .filter(year=year, organization_id__in=[r.organization_id for r in rows])
        .select_related("level")
    }
    out = []
    for row in rows:
        level = levels.get(row.organization_id)
        out.append(
            ListedOverride(
                unit_name=row.organization.name,
                level_label=level_label(level.label_vi, level.label_en) if level is not None else "",
                reason=row.override_reason,
                finalized_by=row.finalized_by.get_full_name() or row.finalized_by.username if row.finalized_by else "",
                finalized_at=row.finalized_at,
            )
        )
    return sorted(out, key=lambda o: sort_key(o.unit_name))


def result_lists(*, organization: Organization, year: int) -> ResultLists:
    """The year's lists for an organization's subtree."""
    return ResultLists(
        year=year,
        exemplary=_exemplary(organization, year, 1),
        exemplary_running=_exemplary(organization, year, EXEMPLARY_YEARS),
        excellent_running=_members_running(organization, year, EXCELLENT_YEARS, Q(level__is_top=True)),
        not_completed_running=_members_running(organization, year, NOT_COMPLETED_YEARS, Q(level__is_lowest=True)),
        overrides=_overrides(organization, year),
    )
