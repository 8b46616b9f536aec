"""Stored summaries: exact staleness marks and set-based recomputes of the counts of a year or a quarter (a period)
from source rows. A (year, period) pair is a summary's key; the year's period is "" (models.Period.YEAR)."""

import json
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from assessments.common.vocabulary import levels_of
from assessments.models import (
    MemberAssessment,
    Membership,
    Organization,
    Period,
    RatingScheme,
    Subject,
    Summary,
    UnitAssessment,
    year_end,
)
from assessments.summaries.counting import (
    MEMBER_FIELDS,
    UNIT_FIELDS,
    Counts,
    ScoreStats,
    score_fields,
    summary_counts,
)
from assessments.summaries.leadership import LEADERSHIP_FIELDS, LeadershipCounts, leadership_counts
from assessments.summaries.statements import leadership_statement, recompute_statement, write_statement

# Issue 15: the score stats, NULL for a scheme without scores (summaries.counting.ScoreStats).
SCORE_COUNT_FIELDS = [*score_fields("units"), *score_fields("members")]
COUNT_FIELDS = [
    "scheme_code",
    *UNIT_FIELDS,
    *MEMBER_FIELDS,
    *SCORE_COUNT_FIELDS,
    # Issue 16: the leadership collectives and leaders of the subtree (summaries.leadership).
    *LEADERSHIP_FIELDS,
    "computed_at",
    "computed_version",
]


# The full recompute of a large tree counts into this temporary table with parallel workers (from this many
# organizations: a province has about 4,400, the country 273,000), then writes from it. The planner's default
# costs assume passing rows between processes is dear and never choose workers for the grouping of the year's
# ratings; with these it does, and the national recompute takes 1.7 s instead of 2.1 s (bench/, 2 cores).
_CHANGED = "summaries_changed"
_PARALLEL_FROM = 20_000
_PARALLEL_SETUP_COST = "100"
_PARALLEL_TUPLE_COST = "0.001"


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


# A new row: its key, zero counts, never computed. Written as literals so that only the key travels as parameters:
# bulk_create sent every column as a parameter, and SQLite's limit of 999 split the insert of 70 rows in two.
_NEW_ROW_COLUMNS = (
    "organization_id, year, period, scheme_code, units_total, units_rated, units_exemplary, unit_levels, "
    "members_total, members_rated, members_good_or_better, member_levels, members_not_assessed, members_not_yet_rated, "
    "members_no_result, collectives_total, collectives_rated, collective_levels, leaders_total, leaders_rated, "
    "leader_levels, computed_at, version, computed_version"
)
_NEW_ROW_VALUES = "(%s, %s, %s, '', 0, 0, 0, '[]', 0, 0, 0, '[]', 0, 0, 0, 0, 0, '[]', 0, 0, '[]', NULL, 1, 0)"
_NEW_ROWS_PER_STATEMENT = 400


def _ensure_rows(keys: list[tuple[int, str, int]]) -> None:
    """Create the missing rows for these (year, period, organization id) keys, in key order, before any row lock."""
    keys = sorted(keys)
    table = Summary._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(keys), _NEW_ROWS_PER_STATEMENT):
            batch = keys[start : start + _NEW_ROWS_PER_STATEMENT]
            cursor.execute(
                f"INSERT INTO {table} ({_NEW_ROW_COLUMNS}) VALUES "  # noqa: S608 — names and literals, keys as parameters
                + ", ".join([_NEW_ROW_VALUES] * len(batch))
                + " ON CONFLICT DO NOTHING",
                [value for year, period, org in batch for value in (org, year, period)],
            )


def _bump(organization_ids: list[int], years: list[int], period: str) -> None:
    """Increase the version of these summaries, creating missing rows first; row locks are taken in id order."""
    rows = Summary.objects.filter(organization_id__in=organization_ids, year__in=years, period=period)
    present = set(rows.values_list("year", "organization_id"))
    # Writers and recomputes all insert missing rows first (ordered by year and id), then lock rows ordered by
    # id: one order everywhere keeps a writer and a concurrent recompute from deadlocking. A row that another
    # transaction inserted meanwhile is waited for, then locked and bumped like the others.
    _ensure_rows([(y, period, o) for y in years for o in organization_ids if (y, o) not in present])
    pks = list(rows.select_for_update().order_by("pk").values_list("pk", flat=True))
    Summary.objects.filter(pk__in=pks).update(version=F("version") + 1)


def summaries_mark_stale(
    *, organization_ids: Iterable[int], years: Iterable[int], periods: Iterable[str] = (Period.YEAR,)
) -> list[int]:
    """Mark stale, in the caller's transaction, the summaries of these organizations and all their ancestors for
    these years in each of these periods (by default the year's)."""
    years = sorted({int(y) for y in years})
    targets = organizations_with_ancestors(organization_ids)
    if targets and years:
        for period in sorted(set(periods)):
            _bump(targets, years, period)
    return targets


def summary_keys() -> list[tuple[int, str]]:
    """The (year, period) pairs that have stored summaries."""
    return sorted(Summary.objects.order_by().values_list("year", "period").distinct())


def summary_years() -> list[int]:
    """Years that have stored summaries (of any period)."""
    return sorted({year for year, _period in summary_keys()})


def summaries_mark_all_stale() -> list[tuple[int, str]]:
    """Mark every stored summary stale (after a tree or scheme change); returns the (year, period) pairs concerned."""
    pks = list(Summary.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    if pks:
        Summary.objects.filter(pk__in=pks).update(version=F("version") + 1)
    return summary_keys()


@transaction.atomic
def _recompute(*, year: int, period: str, organization_ids: list[int] | None) -> int:
    """Recompute from source rows the summaries of the given organizations (all when None) for one period."""
    scheme = RatingScheme.for_year(year)
    rows = Summary.objects.filter(year=year, period=period)
    if organization_ids is not None:
        rows = rows.filter(organization_id__in=organization_ids)
    if scheme is None:
        # A year without a scheme has no summaries: the API answers 404 for it.
        rows.delete()
        return 0

    if organization_ids is None and connection.vendor == "postgresql":
        return _recompute_year_in_database(year=year, period=period, scheme=scheme)

    organizations = Organization.objects.all()
    if organization_ids is not None:
        organizations = organizations.filter(pk__in=organization_ids)
    targets = dict(organizations.order_by().values_list("path", "pk"))
    if not targets:
        return 0
    present = set(rows.values_list("organization_id", flat=True))
    _ensure_rows([(year, period, pk) for pk in targets.values() if pk not in present])

    locked = list(rows.select_for_update().order_by("pk").only("pk", "organization_id", "version"))
    # From here on a committed change is either visible to the counting queries below, or it bumps a version
    # after this transaction commits and so leaves the summary stale until the next run.
    vocabulary = levels_of(scheme)
    counts = summary_counts(
        year=year, period=period, vocabulary=vocabulary, targets=targets, full=organization_ids is None
    )
    leadership = leadership_counts(
        year=year, period=period, vocabulary=vocabulary, targets=targets, full=organization_ids is None
    )
    unit_codes, member_codes = vocabulary.codes(Subject.UNIT), vocabulary.codes(Subject.MEMBER)
    now = timezone.now()
    for row in locked:
        c = counts.get(row.organization_id, Counts())
        lc = leadership.get(row.organization_id, LeadershipCounts())
        row.collectives_total, row.collectives_rated = lc.collectives_total, lc.collectives_rated
        row.collective_levels = [[code, lc.collective_levels[code]] for code in unit_codes]
        row.leaders_total, row.leaders_rated = lc.leaders_total, lc.leaders_rated
        row.leader_levels = [[code, lc.leader_levels[code]] for code in member_codes]
        row.scheme_code = scheme.code
        row.units_total, row.units_rated, row.units_exemplary = c.units_total, c.units_rated, c.units_exemplary
        row.unit_levels = [[code, c.unit_levels[code]] for code in unit_codes]
        row.members_total, row.members_rated = c.members_total, c.members_rated
        row.members_good_or_better = c.members_good_or_better
        row.member_levels = [[code, c.member_levels[code]] for code in member_codes]
        row.members_not_assessed, row.members_not_yet_rated = c.members_not_assessed, c.members_not_yet_rated
        row.members_no_result = c.members_no_result
        for subject, stats in (("units", c.unit_scores), ("members", c.member_scores)):
            stats = stats.scored() if scheme.is_scored else ScoreStats()
            row.__dict__.update(
                {
                    f"{subject}_scored": stats.count,
                    f"{subject}_score_sum": stats.total,
                    f"{subject}_score_min": stats.low,
                    f"{subject}_score_max": stats.high,
                }
            )
        row.computed_at = now
        row.computed_version = row.version
    _store(locked)
    return len(locked)


def _recompute_year_in_database(*, year: int, period: str, scheme: RatingScheme) -> int:
    """A period's full recompute on PostgreSQL: counting, roll-up and write are set operations inside the database."""
    # Fetching the grouped rows, rolling them up in Python and sending 273,000 rows back took 40 s at national
    # scale (bench/). Here a fixed number of statements does it whatever the size of the tree: one (two for a large
    # tree) to count and write, an INSERT before them when rows are missing.
    summary, organization = Summary._meta.db_table, Organization._meta.db_table
    member, unit = MemberAssessment._meta.db_table, UnitAssessment._meta.db_table
    vocabulary = levels_of(scheme)
    unit_levels = [(lv.pk, lv.code) for lv in vocabulary.units]
    member_levels = [(lv.pk, lv.code) for lv in vocabulary.members]
    good_ids = [lv.pk for lv in vocabulary.good_or_better(Subject.MEMBER)]
    day = year_end(year)
    own_transaction = len(connection.atomic_blocks) == 1
    with connection.cursor() as cursor:
        # One round trip: the caller's planner settings (given back at the end for an enclosing transaction), JIT
        # off (the planner cannot estimate the roll-up's row counts and JIT-compiles the statement, which costs more
        # than running it below national scale), parallel workers made cheaper (see below), whether rows are missing
        # for the year (one row per organization and year, so two counts tell) and the tree's depth. In a
        # transaction of its own the commit does not wait for the WAL flush: if the server crashed right after it,
        # the rows would come back as they were, stale ones still stale, for the reconciliation to redo; a caller's
        # enclosing transaction keeps its own durability.
        cursor.execute(
            "SELECT current_setting('jit'), current_setting('parallel_setup_cost'), "  # noqa: S608
            "current_setting('parallel_tuple_cost'), set_config('jit', 'off', true), "
            f"set_config('parallel_setup_cost', '{_PARALLEL_SETUP_COST}', true), "
            f"set_config('parallel_tuple_cost', '{_PARALLEL_TUPLE_COST}', true), "
            f"(SELECT COUNT(*) FROM {organization}), (SELECT COUNT(*) FROM {summary} WHERE year = %s AND period = %s), "
            f"(SELECT COALESCE(MAX(depth), 0) FROM {organization})"
            + (", set_config('synchronous_commit', 'off', true)" if own_transaction else ""),
            [year, period],
        )
        row = cursor.fetchone()
        previous, (organizations, rows, deepest) = row[:3], row[6:9]
        if rows < organizations:
            # Missing rows first, in organization id order like _ensure_rows, before the statement locks any row.
            cursor.execute(
                f"INSERT INTO {summary} (organization_id, year, period, scheme_code, units_total, "  # noqa: S608
                "units_rated, units_exemplary, unit_levels, members_total, members_rated, members_good_or_better, "
                "member_levels, collective_levels, leader_levels, computed_at, version, computed_version) "
                "SELECT o.id, %s, %s, '', 0, 0, 0, '[]'::jsonb, 0, 0, 0, '[]'::jsonb, '[]'::jsonb, '[]'::jsonb, NULL, "
                "1, 0 "
                f"FROM {organization} o "
                f"WHERE NOT EXISTS (SELECT 1 FROM {summary} s WHERE s.organization_id = o.id AND s.year = %s "
                "AND s.period = %s) ORDER BY o.id ON CONFLICT DO NOTHING",
                [year, period, year, period],
            )
            # The planner has not seen the new rows yet (autovacuum analyzes later, if it runs): it would plan the
            # statements below for a period without summaries.
            cursor.execute(f"ANALYZE {summary}")  # noqa: S608
        # Large trees are counted by a statement that only reads, into a temporary table, so that PostgreSQL may
        # run its grouping with parallel workers (a statement that writes or locks never does), then the differing
        # rows are locked and written from that table. Below, one statement does both: creating a table costs more
        # than parallel workers save there.
        into = _CHANGED if organizations >= _PARALLEL_FROM else None
        while True:
            cursor.execute(
                *recompute_statement(
                    year=year,
                    period=period,
                    deepest=deepest,
                    scheme_code=scheme.code,
                    tables=(summary, organization, member, unit),
                    unit_levels=unit_levels,
                    member_levels=member_levels,
                    good_ids=good_ids,
                    day=day,
                    into=into,
                    membership=Membership._meta.db_table,
                    scored=scheme.is_scored,
                )
            )
            if into is not None:
                cursor.execute(*write_statement(summary=summary, source=into))
            _written, deepest_now = cursor.fetchone()
            if deepest_now <= deepest:
                break
            # A deeper unit with members was committed between the depth read and the counting: its members were
            # not rolled up. Count again with the new depth; the next run sees (and corrects) what this one wrote.
            deepest = deepest_now
        # Issue 16: the collectives and leaders, set-based too, in a later statement; a row it finds different is
        # locked in id order like every writer's. Its versions are the counting statement's business.
        cursor.execute(
            *leadership_statement(
                year=year, period=period, day=day, unit_levels=unit_levels, member_levels=member_levels
            )
        )
        if not own_transaction:
            cursor.execute(
                "SELECT set_config('jit', %s, true), set_config('parallel_setup_cost', %s, true), "
                "set_config('parallel_tuple_cost', %s, true)",
                list(previous),
            )
        return organizations  # every organization's row of the year is now exact or, if changed since, stale


# A VALUES column of NULLs only would be text: every column that may be NULL is cast to the stored type.
_VALUES_CASTS = {
    "unit_levels": "::jsonb",
    "member_levels": "::jsonb",
    "collective_levels": "::jsonb",
    "leader_levels": "::jsonb",
    "computed_at": "::timestamptz",
    **{name: "::int" if name.endswith("_scored") else "::numeric" for name in SCORE_COUNT_FIELDS},
}


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

    json_fields = {"unit_levels", "member_levels", "collective_levels", "leader_levels"}
    sets = ", ".join(f"{name} = v.{name}{_VALUES_CASTS.get(name, '')}" for name in COUNT_FIELDS)
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


def summaries_recompute(
    *, organization_ids: Iterable[int], year: int, with_ancestors: bool = True, period: str = Period.YEAR
) -> int:
    """Recompute the summaries of these organizations (and by default all their ancestors) for one period of a
    year (by default the year itself)."""
    ids = organizations_with_ancestors(organization_ids) if with_ancestors else sorted(set(organization_ids))
    if not ids:
        return 0
    return _recompute(year=year, period=period, organization_ids=ids)


def summaries_recompute_year(*, year: int, period: str = Period.YEAR) -> int:
    """Recompute every organization's summary for a period (by default the year) with a fixed number of set-based
    queries."""
    return _recompute(year=year, period=period, organization_ids=None)


def keys_to_summarize() -> list[tuple[int, str]]:
    """The (year, period) pairs that have ratings or stored summaries (those with no scheme are cleared by a
    recompute)."""
    keys = set(UnitAssessment.objects.order_by().values_list("year", "period").distinct())
    keys |= set(MemberAssessment.objects.order_by().values_list("year", "period").distinct())
    return sorted(keys | set(summary_keys()))


def years_to_summarize() -> list[int]:
    """Years that have assessments or stored summaries (those with no scheme are cleared by a recompute)."""
    return sorted({year for year, _period in keys_to_summarize()})


def summaries_reconcile() -> dict[tuple[int, str], int]:
    """Repair what a lost task missed: recompute stale summaries and periods with data but no summaries; returns
    the rows recomputed by (year, period)."""
    done: dict[tuple[int, str], int] = {}
    stale = Summary.objects.exclude(version=F("computed_version")).order_by()
    by_key: dict[tuple[int, str], set[int]] = {}
    for year, period, org in stale.values_list("year", "period", "organization_id"):
        by_key.setdefault((year, period), set()).add(org)
    stored = set(summary_keys())
    for year, period in sorted(stored):
        # An organization existing that year with no row at all (created without a signal) reads as "not computed
        # yet", stale, and no stale row would ever bring it back: it is counted here.
        have = Summary.objects.filter(year=year, period=period).values("organization_id")
        missing = Organization.objects.for_year(year).exclude(pk__in=have).values_list("pk", flat=True)
        by_key.setdefault((year, period), set()).update(missing)
        if not by_key[(year, period)]:
            del by_key[(year, period)]
    for year, period in keys_to_summarize():
        if (year, period) not in stored:
            done[(year, period)] = summaries_recompute_year(year=year, period=period)
    for (year, period), orgs in sorted(by_key.items()):
        if (year, period) in done:
            continue
        if 2 * len(orgs) > Summary.objects.filter(year=year, period=period).count():
            # Most rows stale: the set-based pass is cheaper.
            done[(year, period)] = summaries_recompute_year(year=year, period=period)
        else:
            done[(year, period)] = summaries_recompute(
                organization_ids=orgs, year=year, with_ancestors=False, period=period
            )
    return done
