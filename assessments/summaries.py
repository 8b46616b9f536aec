"""Stored summaries: exact staleness marks and set-based recomputes of the yearly counts from source rows."""

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import connection, transaction
from django.db.models import Count, F, FilteredRelation, Q
from django.utils import timezone

from .models import MemberAssessment, Organization, RatingLevel, RatingScheme, Subject, Summary

COUNT_FIELDS = [
    "scheme_code",
    "units_total",
    "units_rated",
    "units_exemplary",
    "unit_levels",
    "members_total",
    "members_rated",
    "members_good_or_better",
    "member_levels",
    "computed_at",
    "computed_version",
]


@dataclass
class Counts:
    """The counts of one organization for one year, before they are stored."""

    units_total: int = 0
    units_rated: int = 0
    units_exemplary: int = 0
    unit_levels: Counter = field(default_factory=Counter)
    members_total: int = 0
    members_rated: int = 0
    members_good_or_better: int = 0
    member_levels: Counter = field(default_factory=Counter)


# --- staleness ---------------------------------------------------------------------------------------------------


def organizations_with_ancestors(organization_ids: Iterable[int]) -> list[int]:
    """The given organizations and every organization above them, by materialized path (two indexed queries)."""
    ids = set(organization_ids)
    if not ids:
        return []
    # Every prefix of a path is an ancestor's path. The former EXISTS(... LIKE OuterRef) tested every organization
    # against every id: minutes for an import touching 1,335 cells among 272,000 organizations (bench/, national).
    prefixes = set()
    for path in Organization.objects.filter(pk__in=ids).values_list("path", flat=True):
        end = path.find("/")
        while end != -1:
            prefixes.add(path[: end + 1])
            end = path.find("/", end + 1)
    return sorted(Organization.objects.filter(path__in=prefixes).values_list("pk", flat=True))


def _ensure_rows(keys: list[tuple[int, int]]) -> None:
    """Create the missing rows for these (year, organization id) keys, in key order, before any row lock."""
    if keys:
        Summary.objects.bulk_create(
            [Summary(organization_id=org, year=year) for year, org in sorted(keys)], batch_size=1000,
            ignore_conflicts=True,
        )  # fmt: skip


def _bump(organization_ids: list[int], years: list[int]) -> None:
    """Increase the version of these summaries, creating missing rows first; row locks are taken in id order."""
    rows = Summary.objects.filter(organization_id__in=organization_ids, year__in=years)
    present = set(rows.values_list("year", "organization_id"))
    # Writers and recomputes all insert missing rows first (ordered by year and id), then lock rows ordered by
    # id: one order everywhere keeps a writer and a concurrent recompute from deadlocking. A row that another
    # transaction inserted meanwhile is waited for, then locked and bumped like the others.
    _ensure_rows([(y, o) for y in years for o in organization_ids if (y, o) not in present])
    pks = list(rows.select_for_update().order_by("pk").values_list("pk", flat=True))
    Summary.objects.filter(pk__in=pks).update(version=F("version") + 1)


def summaries_mark_stale(*, organization_ids: Iterable[int], years: Iterable[int]) -> list[int]:
    """Mark stale, in the caller's transaction, the summaries of these organizations and all their ancestors."""
    years = sorted({int(y) for y in years})
    targets = organizations_with_ancestors(organization_ids)
    if targets and years:
        _bump(targets, years)
    return targets


def summary_years() -> list[int]:
    """Years that have stored summaries."""
    return sorted(Summary.objects.order_by().values_list("year", flat=True).distinct())


def summaries_mark_all_stale() -> list[int]:
    """Mark every stored summary stale (after a tree or scheme change); returns the years concerned."""
    pks = list(Summary.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    if pks:
        Summary.objects.filter(pk__in=pks).update(version=F("version") + 1)
    return summary_years()


# --- counting ----------------------------------------------------------------------------------------------------


def _count(*, year: int, scheme: RatingScheme, targets: dict[str, int], full: bool) -> dict[int, Counts]:
    """Counts for the target organizations (path -> id): one query for units, one for members, then one pass."""
    counts = {pk: Counts() for pk in targets.values()}
    levels = {
        level["pk"]: level
        for level in RatingLevel.objects.filter(scheme=scheme).values("pk", "subject", "code", "is_good_or_better")
    }

    # Units: the directly subordinate organizations existing on 31 December, each left-joined to its rating.
    children = Organization.objects.for_year(year).filter(parent__isnull=False)
    if not full:
        children = children.filter(parent_id__in=list(targets.values()))
    unit_rows = (
        children.annotate(rating=FilteredRelation("assessments", condition=Q(assessments__year=year)))
        .values("parent_id", "rating__level_id", "rating__exemplary")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in unit_rows:
        summary = counts.get(row["parent_id"])
        if summary is None:
            continue
        n = row["n"]
        summary.units_total += n
        level = levels.get(row["rating__level_id"])
        if row["rating__level_id"] is not None:
            summary.units_rated += n
            if row["rating__exemplary"]:
                summary.units_exemplary += n
        if level is not None and level["subject"] == Subject.UNIT:
            summary.unit_levels[level["code"]] += n

    if not full:
        _count_members_from_children(year=year, levels=levels, targets=targets, counts=counts)
        return counts

    # Members: that year's assessments grouped by the organization that recorded them, rolled up its path.
    assessments = MemberAssessment.objects.filter(year=year)
    if not full:
        # Only the topmost targets' subtrees: a path is covered when one of its proper prefixes is a target.
        tops = [p for p in targets if not any(p[: i + 1] in targets for i in range(len(p) - 1) if p[i] == "/")]
        assessments = assessments.filter(reduce(or_, (Q(organization__path__startswith=p) for p in tops)))
    member_rows = assessments.values("organization__path", "level_id").annotate(n=Count("pk")).order_by()
    for row in member_rows:
        path, n = row["organization__path"], row["n"]
        level = levels.get(row["level_id"])
        good = level is not None and level["subject"] == Subject.MEMBER
        end = path.find("/")
        while end != -1:
            target = targets.get(path[: end + 1])
            if target is not None:
                summary = counts[target]
                summary.members_total += n
                if row["level_id"] is not None:
                    summary.members_rated += n
                if good:
                    summary.member_levels[level["code"]] += n
                    if level["is_good_or_better"]:
                        summary.members_good_or_better += n
            end = path.find("/", end + 1)
    return counts


def _add_members(summary: Counts, level: dict | None, rated: bool, n: int) -> None:
    summary.members_total += n
    if rated:
        summary.members_rated += n
    if level is not None and level["subject"] == Subject.MEMBER:
        summary.member_levels[level["code"]] += n
        if level["is_good_or_better"]:
            summary.members_good_or_better += n


def _count_members_from_children(*, year: int, levels: dict, targets: dict[str, int], counts: dict) -> None:
    """Members of the targets from the rows recorded at them plus each child's members: a child being recomputed
    brings its new counts, any other child its stored counts when fresh, and only a stale child is recounted."""
    # Counting rows under every target would recount a whole province for one commune's import (146 ms on the
    # province bench, growing with the province); fresh children's stored counts are exact by the version marks.
    ids = set(targets.values())
    children = list(
        Organization.objects.filter(parent_id__in=ids).exclude(pk__in=ids).values_list("pk", "parent_id", "path")
    )
    stored = {
        row["organization_id"]: row
        for row in Summary.objects.filter(
            year=year, organization_id__in=[pk for pk, _parent, _path in children], version=F("computed_version")
        ).values("organization_id", "members_total", "members_rated", "members_good_or_better", "member_levels")
    }
    recount = {path: parent for pk, parent, path in children if pk not in stored}
    for pk, parent, _path in children:
        row = stored.get(pk)
        if row is not None:
            summary = counts[parent]
            summary.members_total += row["members_total"]
            summary.members_rated += row["members_rated"]
            summary.members_good_or_better += row["members_good_or_better"]
            summary.member_levels.update(dict(row["member_levels"]))
    wanted = reduce(or_, (Q(organization__path__startswith=path) for path in recount), Q(organization_id__in=ids))
    rows = (
        MemberAssessment.objects.filter(year=year)
        .filter(wanted)
        .values("organization_id", "organization__path", "level_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        level, rated, n = levels.get(row["level_id"]), row["level_id"] is not None, row["n"]
        if row["organization_id"] in ids:
            _add_members(counts[row["organization_id"]], level, rated, n)
        path = row["organization__path"]
        end = path.find("/")
        while end != -1:
            parent = recount.get(path[: end + 1])
            if parent is not None:
                _add_members(counts[parent], level, rated, n)
            end = path.find("/", end + 1)
    # Deepest first, so that each target's counts are complete before they are added to its parent's.
    for path, pk in sorted(targets.items(), key=lambda item: -item[0].count("/")):
        parent = targets.get(path[: path.rstrip("/").rfind("/") + 1])
        if parent is not None:
            child, summary = counts[pk], counts[parent]
            summary.members_total += child.members_total
            summary.members_rated += child.members_rated
            summary.members_good_or_better += child.members_good_or_better
            summary.member_levels.update(child.member_levels)


def _level_codes(scheme: RatingScheme) -> tuple[list[str], list[str]]:
    rows = RatingLevel.objects.filter(scheme=scheme).order_by("rank").values_list("subject", "code")
    return [c for s, c in rows if s == Subject.UNIT], [c for s, c in rows if s == Subject.MEMBER]


@transaction.atomic
def _recompute(*, year: int, organization_ids: list[int] | None) -> int:
    """Recompute from source rows the summaries of the given organizations (all when None) for one year."""
    scheme = RatingScheme.for_year(year)
    rows = Summary.objects.filter(year=year)
    if organization_ids is not None:
        rows = rows.filter(organization_id__in=organization_ids)
    if scheme is None:
        # A year without a scheme has no summaries: the API answers 404 for it.
        rows.delete()
        return 0

    organizations = Organization.objects.all()
    if organization_ids is not None:
        organizations = organizations.filter(pk__in=organization_ids)
    targets = dict(organizations.order_by().values_list("path", "pk"))
    if not targets:
        return 0
    present = set(rows.values_list("organization_id", flat=True))
    _ensure_rows([(year, pk) for pk in targets.values() if pk not in present])

    locked = list(rows.select_for_update().order_by("pk").only("pk", "organization_id", "version"))
    # From here on a committed change is either visible to the counting queries below, or it bumps a version
    # after this transaction commits and so leaves the summary stale until the next run.
    counts = _count(year=year, scheme=scheme, targets=targets, full=organization_ids is None)
    unit_codes, member_codes = _level_codes(scheme)
    now = timezone.now()
    for row in locked:
        c = counts.get(row.organization_id, Counts())
        row.scheme_code = scheme.code
        row.units_total, row.units_rated, row.units_exemplary = c.units_total, c.units_rated, c.units_exemplary
        row.unit_levels = [[code, c.unit_levels[code]] for code in unit_codes]
        row.members_total, row.members_rated = c.members_total, c.members_rated
        row.members_good_or_better = c.members_good_or_better
        row.member_levels = [[code, c.member_levels[code]] for code in member_codes]
        row.computed_at = now
        row.computed_version = row.version
    _store(locked)
    return len(locked)


def _store(rows: list[Summary]) -> None:
    """Write recomputed counts; on PostgreSQL one UPDATE ... FROM (VALUES ...) per 5,000 rows."""
    # bulk_update builds a CASE WHEN per row and field: 9 s of Python for 270,000 national rows (bench/).
    if connection.vendor != "postgresql":
        # Elsewhere (SQLite) one prepared UPDATE run by executemany: the loop stays in the driver's C code.
        fields = [Summary._meta.get_field(name) for name in COUNT_FIELDS]
        sql = (
            f"UPDATE {Summary._meta.db_table} SET "  # noqa: S608 — names from COUNT_FIELDS, values as parameters
            + ", ".join(f"{f.column} = %s" for f in fields)
            + " WHERE id = %s"
        )
        values = [[*(f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields), row.pk] for row in rows]
        with connection.cursor() as cursor:
            cursor.executemany(sql, values)
        return
    from psycopg2.extras import execute_values

    json_fields = {"unit_levels", "member_levels"}
    sets = ", ".join(
        f"{name} = v.{name}{'::jsonb' if name in json_fields else '::timestamptz' if name == 'computed_at' else ''}"
        for name in COUNT_FIELDS
    )
    # Column names come from COUNT_FIELDS, values travel as parameters.
    sql = (
        f"UPDATE {Summary._meta.db_table} AS s SET {sets} "  # noqa: S608
        f"FROM (VALUES %s) AS v(id, {', '.join(COUNT_FIELDS)}) WHERE s.id = v.id"
    )
    values = [
        (row.pk, *(json.dumps(getattr(row, f)) if f in json_fields else getattr(row, f) for f in COUNT_FIELDS))
        for row in rows
    ]
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, sql, values, page_size=5000)


def summaries_recompute(*, organization_ids: Iterable[int], year: int, with_ancestors: bool = True) -> int:
    """Recompute the summaries of these organizations (and by default all their ancestors) for one year."""
    ids = organizations_with_ancestors(organization_ids) if with_ancestors else sorted(set(organization_ids))
    if not ids:
        return 0
    return _recompute(year=year, organization_ids=ids)


def summaries_recompute_year(*, year: int) -> int:
    """Recompute every organization's summary for a year with a fixed number of set-based queries."""
    return _recompute(year=year, organization_ids=None)


def years_to_summarize() -> list[int]:
    """Years that have assessments or stored summaries (those with no scheme are cleared by a recompute)."""
    from .models import UnitAssessment

    years = set(UnitAssessment.objects.order_by().values_list("year", flat=True).distinct())
    years |= set(MemberAssessment.objects.order_by().values_list("year", flat=True).distinct())
    return sorted(years | set(summary_years()))


def summaries_reconcile() -> dict[int, int]:
    """Repair what a lost task missed: recompute stale summaries and years with data but no summaries."""
    done: dict[int, int] = {}
    stale = Summary.objects.exclude(version=F("computed_version")).order_by().values_list("year", "organization_id")
    by_year: dict[int, set[int]] = {}
    for year, org in stale:
        by_year.setdefault(year, set()).add(org)
    stored = set(summary_years())
    for year in years_to_summarize():
        if year not in stored:
            done[year] = summaries_recompute_year(year=year)
    for year, orgs in sorted(by_year.items()):
        if year in done:
            continue
        if 2 * len(orgs) > Summary.objects.filter(year=year).count():
            done[year] = summaries_recompute_year(year=year)  # most rows stale: the set-based pass is cheaper
        else:
            done[year] = summaries_recompute(organization_ids=orgs, year=year, with_ancestors=False)
    return done
