"""The year's facts of one or more subtrees that the unit rules judge, loaded set-based (a fixed number of queries
whatever the number of units): the units that existed on 31 December, their stored ratings, their members' levels,
the discipline records of the year, and who sat on the units' party leadership collectives with the decisions of the
year against them (each read only when a rule asks for it)."""

import datetime
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, Q

from assessments.common.vocabulary import year_end
from assessments.models import (
    Collective,
    CollectiveKind,
    Discipline,
    MemberAssessment,
    Organization,
    UnitAssessment,
    held,
)

# The party's own leadership collectives of a unit (HD 21's "tập thể lãnh đạo"); the government and mass
# organizations' collectives are judged by their own rules (leadership_disciplined).
PARTY_COLLECTIVES = (CollectiveKind.STANDING_BOARD, CollectiveKind.PARTY_COMMITTEE, CollectiveKind.CELL_COMMITTEE)


@dataclass(frozen=True)
class UnitRecord:
    """A discipline decision against a unit: which one, where it sits, its form and whether it was a corruption case."""

    organization_id: int
    path: str
    form: str
    corruption: bool


@dataclass(frozen=True)
class MemberRecord:
    """A discipline decision of the year against a member, at a unit the member belonged to during the year."""

    organization_id: int
    path: str
    member_id: int
    record_id: int
    form: str
    corruption: bool


@dataclass(frozen=True)
class CollectiveMemberRecord:
    """A discipline decision of the year against a member who held a post in the year in one of a unit's party
    leadership collectives."""

    record_id: int
    form: str


def _under(roots: list[Organization], prefix: str = "") -> Q:
    condition = Q(pk__in=[])
    for root in roots:
        condition |= Q(**{f"{prefix}path__startswith": root.path})
    return condition


def _member_there(path, start, end, roots: list[str], first, last) -> bool:
    """A membership under one of the roots during the year (the query's join already says so; kept exact here)."""
    return (
        path is not None
        and any(path.startswith(root) for root in roots)
        and start <= last
        and (end is None or end >= first)
    )


@dataclass
class SubtreeFacts:
    """What the unit rules of a year read, for every unit under the roots (see the module docstring); each kind of
    fact is read in one query on first use, so a rule with nothing to say costs nothing."""

    roots: list[Organization]
    year: int

    @cached_property
    def units(self) -> dict[int, Organization]:
        """The units under the roots that existed on 31 December, by id (one query)."""
        if not self.roots:
            return {}
        units = Organization.objects.filter(_under(self.roots)).for_year(self.year).order_by("path")
        return {unit.pk: unit for unit in units}

    @cached_property
    def successors(self) -> set[int]:
        """The units under the roots that took over from others (a merger, a split), by id (one query)."""
        if not self.roots:
            return set()
        return set(
            Organization.objects.filter(_under(self.roots), predecessors__isnull=False).values_list("pk", flat=True)
        )

    @cached_property
    def children(self) -> dict[int, list[Organization]]:
        found: dict[int, list[Organization]] = {}
        for unit in self.units.values():
            if unit.parent_id in self.units:
                found.setdefault(unit.parent_id, []).append(unit)
        return found

    @cached_property
    def ratings(self) -> dict[int, UnitAssessment]:
        """The year's unit ratings under the roots, with their levels, by unit id (one query)."""
        rated = UnitAssessment.objects.yearly().filter(_under(self.roots, "organization__"), year=self.year)
        return {row.organization_id: row for row in rated.select_related("level")}

    @cached_property
    def member_levels(self) -> dict[int, Counter]:
        """How many members each unit rated at each level that year (None: not rated), by unit id (one query)."""
        found: dict[int, Counter] = {}
        rows = (
            MemberAssessment.objects.yearly()
            .filter(_under(self.roots, "organization__"), year=self.year)
            .values_list("organization_id", "level_id")
            .annotate(n=Count("id"))
        )
        for organization_id, level_id, n in rows:
            found.setdefault(organization_id, Counter())[level_id] += n
        return found

    def children_of(self, organization: Organization) -> list[Organization]:
        return self.children.get(organization.pk, [])

    def level_of(self, organization: Organization):
        rating = self.ratings.get(organization.pk)
        return rating.level if rating is not None else None

    def mass_organizations_good(self, organization: Organization) -> bool | None:
        rating = self.ratings.get(organization.pk)
        return rating.mass_organizations_good if rating is not None else None

    @cached_property
    def _records(self) -> tuple[list[UnitRecord], list[MemberRecord]]:
        """The year's decisions against the units under the roots, and against members at each unit under the roots
        they belonged to during the year (one query, on first use)."""
        first, last = datetime.date(self.year, 1, 1), year_end(self.year)
        at_unit = held(first, last, "member__memberships__start", "member__memberships__end")
        rows = (
            Discipline.objects.filter(decided_on__gte=first, decided_on__lte=last)
            .filter(
                _under(self.roots, "organization__")
                | (_under(self.roots, "member__memberships__organization__") & at_unit)
            )
            .values_list(
                "pk",
                "organization_id",
                "organization__path",
                "member_id",
                "member__memberships__organization_id",
                "member__memberships__organization__path",
                "member__memberships__start",
                "member__memberships__end",
                "form",
                "corruption",
            )
            .distinct()
        )
        units, members = [], []
        roots = [root.path for root in self.roots]
        for (
            pk,
            organization_id,
            path,
            member_id,
            membership_unit,
            membership_path,
            start,
            end,
            form,
            corruption,
        ) in rows:
            if organization_id is not None:
                units.append(UnitRecord(organization_id, path, form, corruption))
            elif _member_there(membership_path, start, end, roots, first, last):
                members.append(MemberRecord(membership_unit, membership_path, member_id, pk, form, corruption))
        return units, members

    @property
    def unit_records(self) -> list[UnitRecord]:
        return self._records[0]

    @property
    def member_records(self) -> list[MemberRecord]:
        return self._records[1]

    @cached_property
    def _collective_members(self) -> dict[int, set[int]]:
        """The members holding a post at some time in the year in each unit's party leadership collectives, by unit
        id; a unit with such a collective in the year but nobody recorded in it maps to an empty set (one query)."""
        if not self.roots:
            return {}
        first, last = datetime.date(self.year, 1, 1), year_end(self.year)
        in_year = (Q(valid_from__isnull=True) | Q(valid_from__lte=last)) & (
            Q(valid_to__isnull=True) | Q(valid_to__gte=first)
        )
        rows = Collective.objects.filter(
            _under(self.roots, "organization__"), in_year, kind__in=PARTY_COLLECTIVES
        ).values_list("organization_id", "positions__member_id", "positions__start", "positions__end")
        found: dict[int, set[int]] = {}
        for organization_id, member_id, start, end in rows:
            members = found.setdefault(organization_id, set())
            if member_id is not None and start <= last and (end is None or end >= first):
                members.add(member_id)
        return found

    @cached_property
    def _collective_member_records(self) -> dict[int, list[CollectiveMemberRecord]]:
        """The year's decisions against the members of the units' party leadership collectives, by member (one
        query, none when no unit has such a collective)."""
        members = set().union(*self._collective_members.values()) if self._collective_members else set()
        if not members:
            return {}
        first, last = datetime.date(self.year, 1, 1), year_end(self.year)
        rows = Discipline.objects.filter(member_id__in=members, decided_on__gte=first, decided_on__lte=last)
        found: dict[int, list[CollectiveMemberRecord]] = {}
        for pk, member_id, form in rows.values_list("pk", "member_id", "form"):
            found.setdefault(member_id, []).append(CollectiveMemberRecord(pk, form))
        return found

    def has_leadership_collective(self, organization: Organization) -> bool:
        """Whether a party leadership collective of the unit is recorded for the year."""
        return organization.pk in self._collective_members

    def collective_member_records(self, organization: Organization) -> list[CollectiveMemberRecord]:
        """The year's decisions against the members of the unit's party leadership collectives."""
        members = self._collective_members.get(organization.pk, set())
        records = self._collective_member_records
        return [record for member in sorted(members) for record in records.get(member, ())]


def facts_load(*, roots: list[Organization], year: int) -> SubtreeFacts:
    """The facts of the roots' subtrees for a year, each read on first use."""
    return SubtreeFacts(roots=list(roots), year=year)
