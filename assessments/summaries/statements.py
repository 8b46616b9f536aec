"""The SQL text of the PostgreSQL full recompute: the counting statement, the lock-and-write CTEs and the level lists
built as jsonb prints them. assessments.summaries.recompute runs them."""

import json

from django.utils import timezone

from assessments.summaries.counting import MEMBER_FIELDS, UNIT_FIELDS, score_fields

# The stored counts a full recompute compares and writes (PostgreSQL path); the level lists are jsonb.
_FIELDS = [
    "scheme_code",
    *UNIT_FIELDS,
    *MEMBER_FIELDS,
    # Issue 15: the score stats (NULL for a scheme without scores).
    *score_fields("units"),
    *score_fields("members"),
]
# How each member column rolls up: the score extremes by MIN / MAX, the score sum as numeric, the rest as int sums.
_ROLL_UP = {"smin": "MIN({})", "smax": "MAX({})", "ss": "SUM({})"}
_JSON_FIELDS = {"unit_levels", "member_levels"}
# The reasons of a rating row without a level that mean "not assessed" (models.NotRatedReason), as SQL literals.
_NOT_ASSESSED = "('exempt', 'suspended')"
# Issue 15: the score stats of rated rows (with a level) that have a score, as columns sc, ss, smin, smax.
_SCORES = (
    "COUNT({prefix}score) FILTER (WHERE {prefix}level_id IS NOT NULL)::int AS sc, "
    "SUM({prefix}score) FILTER (WHERE {prefix}level_id IS NOT NULL) AS ss, "
    "MIN({prefix}score) FILTER (WHERE {prefix}level_id IS NOT NULL) AS smin, "
    "MAX({prefix}score) FILTER (WHERE {prefix}level_id IS NOT NULL) AS smax"
)


def recompute_statement(
    *,
    year: int,
    period: str = "",
    deepest: int,
    scheme_code: str,
    tables: tuple[str, str, str, str],
    unit_levels: list[tuple[int, str]],
    member_levels: list[tuple[int, str]],
    good_ids: list[int],
    day,
    into: str | None = None,
    membership: str = "assessments_membership",
    scored: bool = False,
) -> tuple[str, list]:
    """The counting statement of a full recompute (SQL text and parameters): with `into`, it only reads and fills
    that temporary table with the rows that differ (for write_statement); without, it also writes them."""
    summary, organization, member, unit = tables
    ml = [f"l{i}" for i in range(len(member_levels))]
    ul = [f"l{i}" for i in range(len(unit_levels))]
    member_columns = ["total", "rated", "good", "na", "ny", "nr", "sc", "ss", "smin", "smax", *ml]

    def sums(alias: str) -> str:
        return ", ".join(f"{_ROLL_UP.get(c, 'SUM({})::int').format(f'{alias}.{c}')} AS {c}" for c in member_columns)

    def plain(alias: str) -> str:
        return ", ".join(f"{alias}.{c}" for c in member_columns)

    # Every rating row read is of the recomputed period: the year's rows for the year, a quarter's for a quarter.
    params: list = [good_ids, *(pk for pk, _code in member_levels), year, period, day, day, year, period]
    ctes = [
        # Member ratings grouped by the organization that recorded them, one column per level of the scheme.
        "own AS MATERIALIZED (SELECT o.id, o.parent_id, o.depth, p.total, p.rated, p.good, p.na, p.ny, p.nr, "  # noqa: S608
        "p.sc, p.ss, p.smin, p.smax"
        + "".join(f", p.{c}" for c in ml)
        + " FROM (SELECT g.organization_id, COALESCE(SUM(g.n) FILTER (WHERE g.k = 0), 0)::int AS total, "
        "COALESCE(SUM(g.n) FILTER (WHERE g.k = 0 AND g.level_id IS NOT NULL), 0)::int AS rated, "
        "COALESCE(SUM(g.n) FILTER (WHERE g.level_id = ANY(%s)), 0)::int AS good, "
        # Issue 17: rows without a level, not assessed (exempt, suspended) or not yet rated (any other reason), and
        # members on the rolls on 31 December with no row that year (k = 1).
        f"COALESCE(SUM(g.n) FILTER (WHERE g.k = 0 AND g.level_id IS NULL AND g.reason IN {_NOT_ASSESSED}), 0)::int "
        "AS na, "
        f"COALESCE(SUM(g.n) FILTER (WHERE g.k = 0 AND g.level_id IS NULL AND g.reason NOT IN {_NOT_ASSESSED}), 0)"
        "::int AS ny, COALESCE(SUM(g.n) FILTER (WHERE g.k = 1), 0)::int AS nr, "
        # Issue 15: the scores of the rated rows with one (k = 1 rows carry none).
        "COALESCE(SUM(g.sc), 0)::int AS sc, SUM(g.ss) AS ss, MIN(g.smin) AS smin, MAX(g.smax) AS smax"
        + "".join(f", COALESCE(SUM(g.n) FILTER (WHERE g.level_id = %s), 0)::int AS {c}" for c in ml)
        # Grouped by organization and level first, as plainly as the floor: the pivot then runs on the groups,
        # and only the pivoted rows (one per organization) are joined to the tree.
        # Counts are int: SUM(bigint) accumulates in numeric, several times slower (a member count fits an int).
        + " FROM (SELECT organization_id, level_id, not_rated_reason AS reason, COUNT(*)::int AS n, 0 AS k, "  # noqa: S608
        f"{_SCORES.format(prefix='')} "
        f"FROM {member} WHERE year = %s AND period = %s GROUP BY organization_id, level_id, not_rated_reason "
        f"UNION ALL SELECT ms.organization_id, NULL, NULL, COUNT(DISTINCT ms.member_id)::int, 1, "
        f"0, NULL::numeric, NULL::numeric, NULL::numeric FROM {membership} ms "
        'WHERE ms.start <= %s AND (ms."end" IS NULL OR ms."end" >= %s) AND NOT EXISTS (SELECT 1 FROM '
        f"{member} a WHERE a.member_id = ms.member_id AND a.year = %s AND a.period = %s) GROUP BY ms.organization_id"
        f") g GROUP BY g.organization_id) p "
        f"JOIN {organization} o ON o.id = p.organization_id)",
        # Roll-up, deepest level first: an organization's members are those recorded at it plus its children's.
        f"r{deepest} AS MATERIALIZED (SELECT id, parent_id, {plain('own')} FROM own "  # noqa: S608
        f"WHERE depth = {int(deepest)})",
    ]
    for depth in range(deepest - 1, -1, -1):
        ctes.append(
            # Summed per organization first, then joined to the tree for the next level's parent.
            f"r{depth} AS MATERIALIZED (SELECT y.id, o.parent_id, {plain('y')} FROM (SELECT x.id, {sums('x')} "  # noqa: S608
            f"FROM (SELECT id, {plain('own')} FROM own WHERE depth = {depth} UNION ALL "
            f"SELECT parent_id, {plain('c')} FROM r{depth + 1} c WHERE parent_id IS NOT NULL"
            f") x GROUP BY x.id) y JOIN {organization} o ON o.id = y.id)"
        )
    ctes.append(
        "members AS ("  # noqa: S608
        + " UNION ALL ".join(f"SELECT id, {plain(f'r{d}')} FROM r{d}" for d in range(deepest + 1))  # noqa: S608
        + ")"
    )
    # Units: the organizations directly under each one existing on 31 December, left-joined to their rating.
    ctes.append(
        "units AS (SELECT c.parent_id AS id, COUNT(*) AS total, COUNT(a.level_id) AS rated, "  # noqa: S608
        "COUNT(*) FILTER (WHERE a.level_id IS NOT NULL AND a.exemplary) AS exemplary, "
        + _SCORES.format(prefix="a.")
        + "".join(f", COUNT(*) FILTER (WHERE a.level_id = %s) AS {c}" for c in ul)
        + f" FROM {organization} c LEFT JOIN {unit} a ON a.organization_id = c.id AND a.year = %s AND a.period = %s "
        "WHERE c.parent_id IS NOT NULL AND (c.valid_from IS NULL OR c.valid_from <= %s) "
        "AND (c.valid_to IS NULL OR c.valid_to >= %s) GROUP BY c.parent_id)"
    )
    params += [*(pk for pk, _code in unit_levels), year, period, day, day]
    # The level lists are built as JSON text in jsonb's own output format: building jsonb for every row cost more
    # than the rest of the roll-up (province bench). A code that jsonb would print differently only makes its rows
    # look changed; what is written is always parsed jsonb.
    unit_json, unit_parts = levels_json("u", unit_levels)
    member_json, member_parts = levels_json("m", member_levels)
    # Every row of the year as read by this statement's snapshot, with its new counts and whether it differs from
    # what is stored: stale (`computed_version <> version`) or counts changed. A row already fresh with the same
    # counts is not written and keeps its computed_at (its counts were exact then and still are).
    new = [
        "%s::varchar AS scheme_code",
        "COALESCE(u.total, 0) AS units_total",
        "COALESCE(u.rated, 0) AS units_rated",
        "COALESCE(u.exemplary, 0) AS units_exemplary",
        f"{unit_json} AS unit_levels",
        "COALESCE(m.total, 0) AS members_total",
        "COALESCE(m.rated, 0) AS members_rated",
        "COALESCE(m.good, 0) AS members_good_or_better",
        f"{member_json} AS member_levels",
        "COALESCE(m.na, 0) AS members_not_assessed",
        "COALESCE(m.ny, 0) AS members_not_yet_rated",
        "COALESCE(m.nr, 0) AS members_no_result",
        *_score_columns(scored),
    ]
    # The level lists are compared as text: `levels_text`, the stored lists as jsonb prints them (a generated
    # column, printed when a row is written), against the new lists built as text in that format. Printing the
    # stored jsonb of every row here took a third of the comparison at national scale.
    plain_fields = [f for f in _FIELDS if f not in _JSON_FIELDS]
    ctes.append(
        f"fresh AS (SELECT n.id, n.version, {', '.join(f'n.{f}' for f in _FIELDS)}, "  # noqa: S608
        f"(n.old_version, n.old_levels_text, {', '.join(f'n.old_{f}' for f in plain_fields)}) IS DISTINCT FROM "
        f"(n.version, n.unit_levels || n.member_levels, {', '.join(f'n.{f}' for f in plain_fields)}) AS differs "
        "FROM (SELECT s.id, s.version, s.computed_version AS old_version, s.levels_text AS old_levels_text, "
        f"{', '.join(f's.{f} AS old_{f}' for f in plain_fields)}, {', '.join(new)} "
        f"FROM {summary} s LEFT JOIN units u ON u.id = s.organization_id "
        "LEFT JOIN members m ON m.id = s.organization_id WHERE s.year = %s AND s.period = %s) n)"
    )
    params += [scheme_code, *unit_parts, *member_parts, year, period]
    if into is not None:
        # The differing rows, plus one row (id NULL) carrying the depth of the deepest organization with members
        # in this snapshot, which the caller compares with the depth the roll-up was built for.
        columns = ["id", "version", *_FIELDS]
        sql = (
            f"DROP TABLE IF EXISTS {into}; CREATE TEMPORARY TABLE {into} ON COMMIT DROP AS WITH "  # noqa: S608
            + ",\n".join(ctes)
            + f"\nSELECT {', '.join(columns)}, NULL::int AS deepest FROM fresh WHERE differs UNION ALL "  # noqa: S608
            f"SELECT {', '.join(['NULL'] * len(columns))}, (SELECT COALESCE(MAX(depth), 0) FROM own)"
        )
        return sql, params
    ctes.append("changed AS MATERIALIZED (SELECT * FROM fresh WHERE differs)")
    ctes += lock_and_write(summary=summary, source="changed")
    params.append(timezone.now())
    tail = "SELECT (SELECT COUNT(*) FROM written), (SELECT COALESCE(MAX(depth), 0) FROM own)"
    return "WITH " + ",\n".join(ctes) + "\n" + tail, params


def _score_columns(scored: bool) -> list[str]:
    """The new score stats of a row: NULL for a scheme without scores, else the count (0 when none) and the rest."""
    flag = "TRUE" if scored else "FALSE"
    return [
        f"CASE WHEN {flag} THEN {value} END AS {subject}_{name}"
        for alias, subject in (("u", "units"), ("m", "members"))
        for value, name in (
            (f"COALESCE({alias}.sc, 0)::int", "scored"),
            (f"{alias}.ss", "score_sum"),
            (f"{alias}.smin", "score_min"),
            (f"{alias}.smax", "score_max"),
        )
    ]


def lock_and_write(*, summary: str, source: str) -> list[str]:
    """CTEs `locked` and `written` that lock the rows of `source` (id, version and the counts) and write them."""
    # Only the differing rows, set aside first so that the lock joins only them, are locked, in id order like
    # every writer (so that none can deadlock with this statement), and written. `version` is the counting
    # snapshot's: a writer that commits after it and before the lock has bumped the row past it, so the row stays
    # stale and its change is counted by the next run. The lock's recheck re-reads only the locked row; the
    # snapshot's version and counts travel with it.
    return [
        f"locked AS MATERIALIZED (SELECT s.id, c.version, {', '.join(f'c.{f}' for f in _FIELDS)} "  # noqa: S608
        f"FROM {summary} s JOIN {source} c ON c.id = s.id ORDER BY s.id FOR UPDATE OF s)",
        f"written AS (UPDATE {summary} AS s SET "  # noqa: S608
        + ", ".join(f"{f} = l.{f}::jsonb" if f in _JSON_FIELDS else f"{f} = l.{f}" for f in _FIELDS)
        + ", computed_at = %s, computed_version = l.version FROM locked l "
        # A recompute that counted a later version and committed meanwhile is not overwritten with older counts.
        "WHERE s.id = l.id AND s.computed_version <= l.version RETURNING 1)",
    ]


def write_statement(*, summary: str, source: str) -> tuple[str, list]:
    """Lock and write the differing rows that a counting statement put into the temporary table `source`; returns
    the written count and the depth recorded there."""
    tail = f"SELECT (SELECT COUNT(*) FROM written), (SELECT deepest FROM {source} WHERE id IS NULL)"  # noqa: S608
    return "WITH " + ",\n".join(lock_and_write(summary=summary, source=source)) + "\n" + tail, [timezone.now()]


def levels_json(alias: str, levels: list[tuple[int, str]]) -> tuple[str, list[str]]:
    """SQL text building `[["code", n], ...]` as jsonb prints it, from the columns l0, l1... of `alias`."""
    if not levels:
        return "'[]'::text", []
    parts = [f"[{json.dumps(code, ensure_ascii=False)}, " for _pk, code in levels]
    texts = ["[" + parts[0], *("], " + part for part in parts[1:]), "]]"]
    sql = " || ".join(f"%s || COALESCE({alias}.l{i}, 0)::text" for i in range(len(levels))) + " || %s"
    return f"({sql})", texts


def _level_list(kind: int, levels: list[tuple[int, str]]) -> tuple[str, list]:
    """SQL building the `[["code", n], ...]` list of one kind (0 collectives, 1 leaders) from the columns of `c`."""
    items = [f"jsonb_build_array(%s::text, COALESCE(c.k{kind}_{i}, 0))" for i in range(len(levels))]
    return f"jsonb_build_array({', '.join(items)})", [code for _pk, code in levels]


def leadership_statement(
    *, year: int, period: str, day, unit_levels: list[tuple[int, str]], member_levels: list[tuple[int, str]]
) -> tuple[str, list]:
    """Issue 16: one statement counting every organization's collectives and leaders of a period (summaries.leadership
    in SQL) and writing the rows whose counts differ, locked in id order."""
    from assessments.models import Collective, CollectiveRating, LeaderRating, Organization, Position, Summary

    summary, organization = Summary._meta.db_table, Organization._meta.db_table
    collective, collective_rating = Collective._meta.db_table, CollectiveRating._meta.db_table
    position, leader_rating = Position._meta.db_table, LeaderRating._meta.db_table
    pivots, pivot_params = [], []
    for kind, levels in ((0, unit_levels), (1, member_levels)):
        for i, (pk, _code) in enumerate(levels):
            pivots.append(f", COALESCE(SUM(n) FILTER (WHERE kind = {kind} AND level_id = %s), 0)::int AS k{kind}_{i}")
            pivot_params.append(pk)
    collective_json, collective_codes = _level_list(0, unit_levels)
    leader_json, leader_codes = _level_list(1, member_levels)
    columns = [
        "collectives_total",
        "collectives_rated",
        "collective_levels",
        "leaders_total",
        "leaders_rated",
        "leader_levels",
    ]
    sql = (
        # The collectives existing on 31 December with their rating of the period.
        f"WITH coll AS MATERIALIZED (SELECT c.id, o.path, r.level_id FROM {collective} c "  # noqa: S608
        f"JOIN {organization} o ON o.id = c.organization_id LEFT JOIN {collective_rating} r "
        "ON r.collective_id = c.id AND r.year = %s AND r.period = %s "
        "WHERE (c.valid_from IS NULL OR c.valid_from <= %s) AND (c.valid_to IS NULL OR c.valid_to >= %s)), "
        # One leader per member and collective holding a position there on 31 December, with the rating.
        f"lead AS (SELECT k.path, lr.level_id FROM (SELECT DISTINCT p.member_id, p.collective_id FROM {position} p "
        'WHERE p.start <= %s AND (p."end" IS NULL OR p."end" >= %s)) q JOIN coll k ON k.id = q.collective_id '
        f"LEFT JOIN {leader_rating} lr ON lr.member_id = q.member_id AND lr.collective_id = q.collective_id "
        "AND lr.year = %s AND lr.period = %s), "
        "grouped AS (SELECT path, kind, level_id, COUNT(*)::int AS n FROM (SELECT path, level_id, 0 AS kind "
        "FROM coll UNION ALL SELECT path, level_id, 1 FROM lead) x GROUP BY path, kind, level_id), "
        # Each group counts at its organization and at every one above it: the prefixes of its path ending in "/".
        "up AS (SELECT a.id, g.kind, g.level_id, g.n FROM grouped g CROSS JOIN LATERAL "
        f"generate_series(1, length(g.path)) AS i(pos) JOIN {organization} a ON a.path = left(g.path, i.pos) "
        "WHERE substr(g.path, i.pos, 1) = '/'), "
        "counts AS (SELECT id, COALESCE(SUM(n) FILTER (WHERE kind = 0), 0)::int AS ct, "
        "COALESCE(SUM(n) FILTER (WHERE kind = 0 AND level_id IS NOT NULL), 0)::int AS cr, "
        "COALESCE(SUM(n) FILTER (WHERE kind = 1), 0)::int AS lt, "
        "COALESCE(SUM(n) FILTER (WHERE kind = 1 AND level_id IS NOT NULL), 0)::int AS lr"
        + "".join(pivots)
        + " FROM up GROUP BY id), "  # noqa: S608 — table and column names, values as parameters
        # Each row's new counts are built once (OFFSET 0 keeps the planner from copying the expressions into both
        # the value and the comparison), and the level lists only where there is something to count: most
        # organizations (the cells) have no collective and get the list of zeros, a constant. Building the jsonb
        # lists for every row, twice, was 12 s of a national recompute.
        f"new AS (SELECT v.id, {', '.join(f'v.{f}' for f in columns)}, "
        f"({', '.join(f'v.old_{f}' for f in columns)}) IS DISTINCT FROM ({', '.join(f'v.{f}' for f in columns)}) "
        f"AS differs FROM (SELECT s.id, {', '.join(f's.{f} AS old_{f}' for f in columns)}, "
        "COALESCE(c.ct, 0) AS collectives_total, COALESCE(c.cr, 0) AS collectives_rated, "
        f"CASE WHEN c.id IS NULL THEN %s::jsonb ELSE {collective_json} END AS collective_levels, "
        "COALESCE(c.lt, 0) AS leaders_total, COALESCE(c.lr, 0) AS leaders_rated, "
        f"CASE WHEN c.id IS NULL THEN %s::jsonb ELSE {leader_json} END AS leader_levels "
        f"FROM {summary} s LEFT JOIN counts c ON c.id = s.organization_id WHERE s.year = %s AND s.period = %s "
        "OFFSET 0) v), "
        # Only the differing rows are locked, in id order like every writer's, and written. The new counts travel
        # with the lock, so that the write joins the table once by id: joining `new` and `locked` again let the
        # planner, which had not seen a quarter's freshly inserted rows, nest a scan of one inside the other
        # (a national quarter's first recompute ran for more than 6 minutes).
        f"locked AS MATERIALIZED (SELECT s.id, {', '.join(f'n.{f}' for f in columns)} FROM {summary} s "
        "JOIN new n ON n.id = s.id AND n.differs ORDER BY s.id FOR UPDATE OF s) "
        f"UPDATE {summary} AS s SET {', '.join(f'{f} = l.{f}' for f in columns)} FROM locked l WHERE s.id = l.id"
    )
    zeros = [
        json.dumps([[code, 0] for _pk, code in levels], ensure_ascii=False) for levels in (unit_levels, member_levels)
    ]
    params = [
        year,
        period,
        day,
        day,
        day,
        day,
        year,
        period,
        *pivot_params,
        zeros[0],
        *collective_codes,
        zeros[1],
        *leader_codes,
        year,
        period,
    ]
    return sql, params
