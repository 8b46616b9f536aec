"""The in-process measurements of bench.run, each with its floor measured in the same process right beside it.

full recompute (floor: one GROUP BY of the same rating rows), incremental recompute after one commune's import,
dashboard (floor: reading the organization's stored summary row through the ORM), import (floor: PostgreSQL COPY
of the same file's rows into a scratch table). Each returns the keys of one run; bench.run takes medians.
"""

import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.stats import percentile

ROOT = Path(__file__).resolve().parent.parent


DETAIL: dict = {}  # figures behind the keys, one value per run: written to bench/results/<scale>-detail.json


def log(message: str) -> None:
    print(message, flush=True)


def note(key: str, value) -> None:
    DETAIL.setdefault(key, []).append(value)


def measure_full(reps: int) -> dict:
    """A year's full recompute against one raw GROUP BY over the same member rating rows, same process."""
    from django.db import connection, transaction

    from assessments.models import Summary
    from assessments.summaries import recompute as summaries
    from bench.generate import YEAR

    log("== full recompute")
    started = time.perf_counter()
    summaries.summaries_recompute_year(year=YEAR)  # first run also creates the summary rows
    note("full_recompute_first_s", round(time.perf_counter() - started, 3))
    # What autovacuum does on a production server (this machine's PostgreSQL runs with autovacuum off): without it
    # the summary table keeps every dead row version of earlier runs' rewrites and each bench run reads more.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) assessments_summary")
    times, floors = [], []
    for _ in range(reps):
        started = time.perf_counter()
        summaries.summaries_recompute_year(year=YEAR)
        times.append(time.perf_counter() - started)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            # The floor: the member rating rows of the year grouped by cell and level, fetched into Python.
            cursor.execute(
                "SELECT organization_id, level_id, COUNT(*) FROM assessments_memberassessment "
                "WHERE year = %s AND period = '' GROUP BY organization_id, level_id",
                [YEAR],
            )
            cursor.fetchall()
        floors.append(time.perf_counter() - started)
    full, floor = statistics.median(times), statistics.median(floors)
    log(f"   full {full:.3f} s, floor {floor:.3f} s")
    # The repeated runs above find every row fresh and unchanged, and PostgreSQL writes only changed rows; after a
    # tree or scheme change every row is stale and rewritten: held against the same floor.
    with transaction.atomic():
        summaries.summaries_mark_all_stale()
    started = time.perf_counter()
    summaries.summaries_recompute_year(year=YEAR)
    all_stale = time.perf_counter() - started
    log(f"   full, every row stale {all_stale:.3f} s")
    # The all-stale run rewrote every row: vacuum as autovacuum would before the next run reads the table.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) assessments_summary")
    summary_check()
    # A quarter (issue 14), in the detail file: its first recompute creates the quarter's rows, the next finds
    # them. Before the leadership statement carried its counts with its locks, the first ran over 6 minutes.
    Summary.objects.filter(year=YEAR, period="Q1").delete()
    for key in ("full_recompute_quarter_first_s", "full_recompute_quarter_s"):
        started = time.perf_counter()
        summaries.summaries_recompute_year(year=YEAR, period="Q1")
        note(key, round(time.perf_counter() - started, 3))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) assessments_summary")
    return {
        "full_recompute_s": round(full, 3),
        "floor_groupby_s": round(floor, 3),
        "full_ratio": round(full / floor, 2),
        "full_recompute_all_stale_s": round(all_stale, 3),
        "full_ratio_all_stale": round(all_stale / floor, 2),
    }


def summary_check(code: str = "P01") -> None:
    """The top organization's summary JSON counts what the data holds: collectives and leaders (issue 16) and the
    members' and units' scores (issue 15), against direct counts of the rows; kept in the detail file."""
    from django.db import connection

    from assessments.models import Organization
    from assessments.selectors import summary_read
    from bench.generate import YEAR

    top = Organization.objects.get(code=code)
    data = summary_read(organization=top, year=YEAR)
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT (SELECT COUNT(*) FROM assessments_collective c JOIN assessments_organization o
                       ON o.id = c.organization_id WHERE o.path LIKE %s),
                      (SELECT COUNT(DISTINCT (p.member_id, p.collective_id)) FROM assessments_position p
                       JOIN assessments_collective c ON c.id = p.collective_id
                       JOIN assessments_organization o ON o.id = c.organization_id WHERE o.path LIKE %s),
                      (SELECT COUNT(*) FROM assessments_memberassessment a JOIN assessments_organization o
                       ON o.id = a.organization_id WHERE o.path LIKE %s AND a.year = %s AND a.period = ''
                       AND a.level_id IS NOT NULL AND a.score IS NOT NULL)""",
            [top.path + "%", top.path + "%", top.path + "%", YEAR],
        )
        collectives, leaders, members_scored = cursor.fetchone()
    found = {
        "collectives": data["collectives"]["total"],
        "leaders": data["leaders"]["total"],
        "members_scored": (data.get("scores") or {}).get("members", {}).get("count"),
    }
    expected = {"collectives": collectives, "leaders": leaders, "members_scored": members_scored}
    DETAIL["summary_check"] = {"organization": code, "summary": found, "rows": expected}
    log(f"   summary of {code}: {found} (rows: {expected})")
    if found != expected:
        raise AssertionError(f"the summary of {code} does not count the rows: {found} against {expected}")


def _communes(limit: int) -> list[tuple[int, int]]:
    from django.db import connection

    from bench.generate import YEAR

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT g.id, COUNT(*) FROM assessments_organization g
               JOIN assessments_organization c ON c.parent_id = g.id
               JOIN assessments_memberassessment a ON a.organization_id = c.id AND a.year = %s AND a.period = ''
               WHERE g.kind = 'grassroots_committee' AND g.path LIKE 'P01/%%'
               GROUP BY g.id ORDER BY ABS(COUNT(*) - 150), g.id LIMIT %s""",
            [YEAR, limit],
        )
        return cursor.fetchall()


def _commune_import(commune_id: int, round_: int, workdir: Path) -> tuple[list[int], str]:
    """Re-rate every member of the commune through import_data (a file of its ~150 ratings); returns its cells."""
    from django.core.management import call_command

    from assessments.models import MemberAssessment, Organization
    from bench.generate import SCORE_HEADER, YEAR, file_scores

    commune = Organization.objects.get(pk=commune_id)
    rows = list(
        MemberAssessment.objects.filter(year=YEAR, period="", organization__parent=commune)
        .order_by("member__card_number")
        .values_list("member__card_number", "organization__code", "organization_id")
    )
    levels = ["excellent", "good", "good", "good", "good", "good", "good", "good", "completed", "completed"]
    # A different pattern on every run, so that a re-run with --reuse changes ratings too.
    shift = round_ + 1 + int(time.time()) % 9
    path = workdir / f"commune-{commune_id}-{round_}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["card_number", "year", "organization_code", "level", "not_rated_reason", *SCORE_HEADER])
        for i, (card, cell, _id) in enumerate(rows):
            level = levels[(i + shift) % 10]
            writer.writerow([card, YEAR, cell, level, "", *file_scores(level)])
    try:
        call_command("import_data", "member_ratings", str(path), verbosity=0)
        how = "import_data"
    except (SystemExit, Exception) as error:  # importer missing or refusing: write the same change directly
        log(f"   import_data failed ({type(error).__name__}: {error}); writing the ratings with SQL instead")
        how = _commune_write_sql(commune, rows, levels, shift)
    return sorted({cell_id for _c, _o, cell_id in rows}), how


def _commune_write_sql(commune, rows, levels, shift) -> str:
    from django.db import transaction

    from assessments.models import MemberAssessment, RatingLevel, RatingScheme
    from assessments.summaries import recompute as summaries
    from bench.generate import YEAR

    scheme = RatingScheme.for_year(YEAR)
    ids = dict(RatingLevel.objects.filter(scheme=scheme, subject="member").values_list("code", "pk"))
    with transaction.atomic():
        for i, (card, _cell, _id) in enumerate(rows):
            MemberAssessment.objects.filter(year=YEAR, period="", member__card_number=card).update(
                level_id=ids[levels[(i + shift) % 10]], not_rated_reason=""
            )
        summaries.summaries_mark_stale(organization_ids=[c for _a, _b, c in rows], years=[YEAR])
    return "sql"


def _summaries_ready(year: int) -> None:
    """Every organization's summary of the year stored and fresh, as on a server that has run (a step run alone,
    `--only incremental`, would otherwise find no stored rows and time a recount of the whole country)."""
    from django.db import connection
    from django.db.models import F

    from assessments.models import Organization, Summary
    from assessments.summaries import recompute as summaries

    fresh = Summary.objects.filter(year=year, period="", version=F("computed_version")).count()
    if fresh < Organization.objects.count():
        log("   storing the year's summaries first")
        summaries.summaries_recompute_year(year=year)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) assessments_summary")


def measure_incremental(reps: int) -> dict:
    """Work of the recompute task that one commune's import of ~150 member ratings queues (task body timed)."""
    from django.db import connection

    from assessments.models import Summary
    from assessments.summaries import recompute as summaries
    from assessments.summaries import tasks
    from bench.generate import YEAR

    log("== incremental recompute after one commune's import")
    _summaries_ready(YEAR)
    times, sizes, how = [], [], ""
    with tempfile.TemporaryDirectory() as tmp:
        for round_, (commune_id, size) in enumerate(_communes(reps)):
            cells, how = _commune_import(commune_id, round_, Path(tmp))
            targets = summaries.organizations_with_ancestors(cells)
            started = time.perf_counter()
            tasks.summaries_recompute_task.run(targets, YEAR)
            times.append((time.perf_counter() - started) * 1000)
            sizes.append(size)
            # Exact: the commune's stored member counts equal a direct count of its rows.
            row = Summary.objects.get(organization_id=commune_id, year=YEAR, period="")
            with connection.cursor() as cursor:
                cursor.execute(
                    """SELECT COUNT(*), COUNT(a.level_id) FROM assessments_memberassessment a
                       JOIN assessments_organization c ON c.id = a.organization_id
                       WHERE a.year = %s AND a.period = '' AND c.parent_id = %s""",
                    [YEAR, commune_id],
                )
                total, rated = cursor.fetchone()
            assert (row.members_total, row.members_rated, row.stale) == (total, rated, False), (row, total, rated)
    DETAIL["incremental_ratings_per_commune"] = sizes
    DETAIL["incremental_write_path"] = how
    note("incremental_runs_ms", [round(t, 1) for t in times])
    result = statistics.median(times)
    log(f"   {result:.1f} ms (median of {len(times)} communes of {sizes} ratings, written by {how})")
    return {"incremental_ms": round(result, 1)}


def scope_user(code: str, username: str):
    from assessments.models import Organization, Role, User

    user, _ = User.objects.get_or_create(
        username=username, defaults={"role": Role.OFFICER, "organization": Organization.objects.get(code=code)}
    )
    return user


def measure_dashboard(*, code: str, requests: int) -> dict:
    """The dashboard (/) for a user scoped to the scale's top organization, in-process through the test client;
    each request is followed by the floor: reading that organization's stored summary row through the ORM."""
    from django.test import Client

    from assessments.models import Organization, Summary
    from bench.generate import YEAR

    log(f"== dashboard for a user of {code}, and its floor")
    client = Client()
    client.force_login(scope_user(code, f"bench_{code.lower()}"))
    organization_id = Organization.objects.get(code=code).pk
    url = f"/?year={YEAR}"
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        Summary.objects.get(organization_id=organization_id, year=YEAR, period="")
    times, floors = [], []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        started = time.perf_counter()
        Summary.objects.get(organization_id=organization_id, year=YEAR, period="")
        floors.append((time.perf_counter() - started) * 1000)
    result = {
        "dashboard_p50_ms": round(percentile(times, 50), 1),
        "dashboard_p95_ms": round(percentile(times, 95), 1),
        "floor_dashboard_p95_ms": round(percentile(floors, 95), 2),
    }
    result["dashboard_ratio"] = round(result["dashboard_p95_ms"] / result["floor_dashboard_p95_ms"], 1)
    log(f"   {result} over {requests} requests")
    return result


def _copy_floor(path: Path) -> float:
    """Seconds to COPY the file's rows into a scratch table of text columns, committed, on a new connection."""
    from django.db import connections

    connection = connections.create_connection("default")
    try:
        connection.ensure_connection()
        raw = connection.connection
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_copy_floor")
            cursor.execute(
                "CREATE TABLE bench_copy_floor (card_number text, year int, organization_code text, level text, "
                "not_rated_reason text, full_name text, note text)"
            )
            raw.commit()
            started = time.perf_counter()
            with path.open(encoding="utf-8") as handle:
                cursor.copy_expert("COPY bench_copy_floor FROM STDIN WITH (FORMAT csv, HEADER true)", handle)
            raw.commit()
            seconds = time.perf_counter() - started
            cursor.execute("DROP TABLE bench_copy_floor")
            raw.commit()
        return seconds
    finally:
        connection.close()


def _probe(path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.import_probe", "member_ratings", str(path)],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["code"] != 0:
        raise RuntimeError(f"import of {path.name} failed: {result['stderr']}")
    return result


def measure_import(*, small: int, large: int) -> dict:
    """member_ratings files of `small` and `large` rows through import_data, each in its own process."""
    from django.db import connection

    from bench import generate

    log(f"== import of {small:,} and {large:,} member ratings")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM assessments_organization WHERE code = 'IMPORT'")
        pooled = cursor.fetchone() is not None
    if pooled:
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT m.card_number, o.code FROM assessments_member m
                   JOIN assessments_organization o ON o.id = m.organization_id
                   WHERE o.path LIKE 'IMPORT/%%' ORDER BY m.id"""
            )
            pairs = cursor.fetchall()
            # Both files create ratings on every run: clear what a previous run imported.
            cursor.execute(
                """DELETE FROM assessments_memberassessment a USING assessments_organization o
                   WHERE o.id = a.organization_id AND o.path LIKE 'IMPORT/%%'"""
            )
    else:
        connection.ensure_connection()
        _code, pairs = generate.import_pool(connection.connection, members=large)
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, rows, year in (("small", small, generate.IMPORT_YEAR), ("large", large, generate.IMPORT_YEAR - 1)):
            path = Path(tmp) / f"member_ratings_{rows}.csv"
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(
                    ["card_number", "year", "organization_code", "level", "not_rated_reason", "full_name", "note"]
                )
                writer.writerows(generate.member_rating_rows(pairs[:rows], year=year))
            result = _probe(path)
            figures[label] = result
            if label == "large":
                floor_seconds = _copy_floor(path)
            log(
                f"   {rows:,} rows: {result['seconds']:.1f} s, {rows / result['seconds']:,.0f} rows/s, "
                f"peak {result['peak_mb']:.0f} MB"
            )
    note("import_seconds", {k: round(v["seconds"], 2) for k, v in figures.items()})
    note("import_rows_per_s_small", round(small / figures["small"]["seconds"]))
    note("import_peak_ratio", round(figures["large"]["peak_mb"] / figures["small"]["peak_mb"], 2))
    rate, floor = large / figures["large"]["seconds"], large / floor_seconds
    log(f"   floor: COPY of the {large:,} rows into a scratch table {floor_seconds:.2f} s, {floor:,.0f} rows/s")
    return {
        "import_rows_per_s": round(rate),
        "floor_import_rows_per_s": round(floor),
        "import_ratio": round(floor / rate, 1),
        "import_peak_mb_small": round(figures["small"]["peak_mb"], 1),
        "import_peak_mb_large": round(figures["large"]["peak_mb"], 1),
    }


# --- output ----------------------------------------------------------------------------------------------------
