"""Benchmark runner: `python -m bench.run --scale district|province|national` (DATABASE_URL must be PostgreSQL).

Generates the scale's synthetic data into the DATABASE_URL database (its name must contain "bench": it is
dropped and re-created), measures every figure of docs/benchmarks.md, prints a table and writes
bench/results/latest.json (and bench/results/<scale>.json).
"""

import argparse
import csv
import datetime
import http.client
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
KEYS = [
    "scale",
    "machine",
    "date",
    "full_recompute_s",
    "floor_groupby_s",
    "full_ratio",
    "incremental_ms",
    "incremental_ms_district",
    "api_p50_ms",
    "api_p95_ms",
    "api_rps",
    "dashboard_p50_ms",
    "dashboard_p95_ms",
    "import_rows_per_s",
    "import_peak_mb_small",
    "import_peak_mb_large",
]
TARGETS = {
    "full_ratio": ("<=", 2.0),
    "incremental_ms": ("<=", 50.0),
    "api_p95_ms": ("<=", 20.0),
    "dashboard_p95_ms": ("<=", 150.0),
    "import_rows_per_s": (">=", 5000.0),
}
DETAIL: dict = {}  # figures behind the headline keys, printed and written to <scale>-detail.json


def log(message: str) -> None:
    print(message, flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


# --- database --------------------------------------------------------------------------------------------------


def database_check() -> tuple[str, str] | None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        log(
            "bench needs PostgreSQL: set DATABASE_URL=postgres://USER@HOST:PORT/bacson_bench "
            f"(got {url or 'nothing'}; SQLite is not measured)."
        )
        return None
    name = urlparse(url).path.lstrip("/")
    if "bench" not in name and not os.environ.get("BENCH_ALLOW_ANY_DATABASE"):
        log(f"Refusing to use database {name!r}: the bench drops and re-creates it, so its name must contain 'bench'.")
        return None
    return url, name


def _admin_connection(url: str):
    import psycopg2

    parts = urlparse(url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=parts.username or "postgres",
        password=parts.password,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
    )
    connection.autocommit = True
    return connection


def database_marker(url: str, name: str) -> str | None:
    """The scale already loaded in the bench database, if any."""
    import psycopg2

    admin = _admin_connection(url)
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
    admin.close()
    if not exists:
        return None
    parts = urlparse(url)
    connection = psycopg2.connect(
        dbname=name,
        user=parts.username or "postgres",
        password=parts.password,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('bench_meta')")
            if cursor.fetchone()[0] is None:
                return None
            cursor.execute("SELECT scale FROM bench_meta LIMIT 1")
            row = cursor.fetchone()
            return row[0] if row else None
    finally:
        connection.close()


def database_recreate(url: str, name: str) -> None:
    admin = _admin_connection(url)
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


# --- steps -----------------------------------------------------------------------------------------------------


def load(scale_name: str) -> None:
    from django.core.management import call_command
    from django.db import connection

    from bench import generate

    log("== migrate")
    call_command("migrate", verbosity=0, interactive=False)
    log(f"== generate and COPY the {scale_name} scale")
    connection.ensure_connection()
    loaded = generate.load_scale(connection.connection, generate.scale_for(scale_name), progress=log)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_meta (scale text, loaded_at timestamptz DEFAULT now(), detail jsonb)")
        cursor.execute(
            "INSERT INTO bench_meta (scale, detail) VALUES (%s, %s)", [scale_name, json.dumps(loaded.__dict__)]
        )
    log(
        f"   loaded {loaded.organizations:,} organizations ({loaded.grassroots:,} grassroots), "
        f"{loaded.members:,} members, {loaded.member_assessments:,} member ratings in {loaded.seconds:.1f} s"
    )


def counts() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT detail FROM bench_meta LIMIT 1")
        return cursor.fetchone()[0]


def measure_full(reps: int) -> dict:
    """A year's full recompute against one raw GROUP BY over the same member rating rows, same process."""
    from django.db import connection, transaction

    from assessments.summaries import recompute as summaries
    from bench.generate import YEAR

    log("== full recompute")
    started = time.perf_counter()
    summaries.summaries_recompute_year(year=YEAR)  # first run also creates the summary rows
    DETAIL["full_recompute_first_s"] = round(time.perf_counter() - started, 3)
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
                "WHERE year = %s GROUP BY organization_id, level_id",
                [YEAR],
            )
            cursor.fetchall()
        floors.append(time.perf_counter() - started)
    full, floor = statistics.median(times), statistics.median(floors)
    log(f"   full {full:.3f} s, floor {floor:.3f} s")
    # The repeated runs above find every row fresh and unchanged, and PostgreSQL writes only changed rows; after a
    # tree or scheme change every row is stale and rewritten: that case is timed too (a detail, not the key).
    with transaction.atomic():
        summaries.summaries_mark_all_stale()
    started = time.perf_counter()
    summaries.summaries_recompute_year(year=YEAR)
    DETAIL["full_recompute_all_stale_s"] = round(time.perf_counter() - started, 3)
    log(f"   full, every row stale {DETAIL['full_recompute_all_stale_s']:.3f} s")
    return {
        "full_recompute_s": round(full, 3),
        "floor_groupby_s": round(floor, 3),
        "full_ratio": round(full / floor, 2),
    }


def _communes(limit: int) -> list[tuple[int, int]]:
    from django.db import connection

    from bench.generate import YEAR

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT g.id, COUNT(*) FROM assessments_organization g
               JOIN assessments_organization c ON c.parent_id = g.id
               JOIN assessments_memberassessment a ON a.organization_id = c.id AND a.year = %s
               WHERE g.kind = 'grassroots_committee' AND g.path LIKE 'P01/%%'
               GROUP BY g.id ORDER BY ABS(COUNT(*) - 150), g.id LIMIT %s""",
            [YEAR, limit],
        )
        return cursor.fetchall()


def _commune_import(commune_id: int, round_: int, workdir: Path) -> tuple[list[int], str]:
    """Re-rate every member of the commune through import_data (a file of its ~150 ratings); returns its cells."""
    from django.core.management import call_command

    from assessments.models import MemberAssessment, Organization
    from bench.generate import YEAR

    commune = Organization.objects.get(pk=commune_id)
    rows = list(
        MemberAssessment.objects.filter(year=YEAR, organization__parent=commune)
        .order_by("member__card_number")
        .values_list("member__card_number", "organization__code", "organization_id")
    )
    levels = ["excellent", "good", "good", "good", "good", "good", "good", "good", "completed", "completed"]
    # A different pattern on every run, so that a re-run with --reuse changes ratings too.
    shift = round_ + 1 + int(time.time()) % 9
    path = workdir / f"commune-{commune_id}-{round_}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["card_number", "year", "organization_code", "level", "not_rated_reason"])
        for i, (card, cell, _id) in enumerate(rows):
            writer.writerow([card, YEAR, cell, levels[(i + shift) % 10], ""])
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
            MemberAssessment.objects.filter(year=YEAR, member__card_number=card).update(
                level_id=ids[levels[(i + shift) % 10]], not_rated_reason=""
            )
        summaries.summaries_mark_stale(organization_ids=[c for _a, _b, c in rows], years=[YEAR])
    return "sql"


def measure_incremental(reps: int) -> dict:
    """Work of the recompute task that one commune's import of ~150 member ratings queues (task body timed)."""
    from django.db import connection

    from assessments.models import Summary
    from assessments.summaries import recompute as summaries
    from assessments.summaries import tasks
    from bench.generate import YEAR

    log("== incremental recompute after one commune's import")
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
            row = Summary.objects.get(organization_id=commune_id, year=YEAR)
            with connection.cursor() as cursor:
                cursor.execute(
                    """SELECT COUNT(*), COUNT(a.level_id) FROM assessments_memberassessment a
                       JOIN assessments_organization c ON c.id = a.organization_id
                       WHERE a.year = %s AND c.parent_id = %s""",
                    [YEAR, commune_id],
                )
                total, rated = cursor.fetchone()
            assert (row.members_total, row.members_rated, row.stale) == (total, rated, False), (row, total, rated)
    DETAIL["incremental_ratings_per_commune"] = sizes
    DETAIL["incremental_write_path"] = how
    DETAIL["incremental_runs_ms"] = [round(t, 1) for t in times]
    result = statistics.median(times)
    log(f"   {result:.1f} ms (median of {len(times)} communes of {sizes} ratings, written by {how})")
    return {"incremental_ms": round(result, 1)}


def _scope_user(code: str, username: str):
    from assessments.models import Organization, Role, User

    user, _ = User.objects.get_or_create(
        username=username, defaults={"role": Role.OFFICER, "organization": Organization.objects.get(code=code)}
    )
    return user


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def measure_api(*, requests: int, seconds: float, clients: int, workers: int) -> dict:
    """The summary API under concurrent clients through gunicorn on 127.0.0.1 (sync workers)."""
    from rest_framework.authtoken.models import Token

    from assessments.models import Organization
    from bench.generate import YEAR

    log(f"== summary API: {clients} clients, gunicorn with {workers} workers, at most {requests} requests")
    user = _scope_user("P01", "bench_p01")
    token = Token.objects.get_or_create(user=user)[0].key
    scope = Organization.objects.filter(path__startswith="P01/", depth__lte=2)
    codes = list(scope.order_by("path").values_list("code", flat=True))
    rng = random.Random(7)
    paths = [f"/api/v1/organizations/{rng.choice(codes)}/summary/{YEAR}/" for _ in range(requests)]
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bacson.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    headers = {"Authorization": f"Token {token}", "Host": "127.0.0.1"}

    def get(path: str) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()

    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if get(paths[0]) == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("gunicorn did not answer 200 within 30 s")
            time.sleep(0.2)
        for path in paths[: workers * 20]:  # every worker connects and loads its code once
            get(path)
        latencies: list[float] = []
        errors: list[int] = []
        lock = threading.Lock()
        position = [0]
        stop_at = time.monotonic() + seconds

        def client() -> None:
            while time.monotonic() < stop_at:
                with lock:
                    if position[0] >= len(paths):
                        return
                    path = paths[position[0]]
                    position[0] += 1
                started = time.perf_counter()
                status = get(path)
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    if status != 200:
                        errors.append(status)

        threads = [threading.Thread(target=client) for _ in range(clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    if errors:
        raise RuntimeError(f"{len(errors)} API requests failed: {sorted(set(errors))}")
    DETAIL["api_requests"] = len(latencies)
    DETAIL["api_wall_s"] = round(wall, 2)
    result = {
        "api_p50_ms": round(percentile(latencies, 50), 1),
        "api_p95_ms": round(percentile(latencies, 95), 1),
        "api_rps": round(len(latencies) / wall, 1),
    }
    log(f"   {result} over {len(latencies)} requests in {wall:.1f} s")
    return result


def measure_dashboard(*, code: str, requests: int) -> dict:
    """The dashboard (/) for a user scoped to the scale's top organization, in-process through the test client."""
    from django.test import Client

    from bench.generate import YEAR

    log(f"== dashboard for a user of {code}")
    client = Client()
    client.force_login(_scope_user(code, f"bench_{code.lower()}"))
    url = f"/?year={YEAR}"
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    result = {"dashboard_p50_ms": round(percentile(times, 50), 1), "dashboard_p95_ms": round(percentile(times, 95), 1)}
    log(f"   {result} over {requests} requests")
    return result


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
            log(
                f"   {rows:,} rows: {result['seconds']:.1f} s, {rows / result['seconds']:,.0f} rows/s, "
                f"peak {result['peak_mb']:.0f} MB"
            )
    DETAIL["import_seconds"] = {k: round(v["seconds"], 2) for k, v in figures.items()}
    DETAIL["import_rows_per_s_small"] = round(small / figures["small"]["seconds"])
    DETAIL["import_peak_ratio"] = round(figures["large"]["peak_mb"] / figures["small"]["peak_mb"], 2)
    return {
        "import_rows_per_s": round(large / figures["large"]["seconds"]),
        "import_peak_mb_small": round(figures["small"]["peak_mb"], 1),
        "import_peak_mb_large": round(figures["large"]["peak_mb"], 1),
    }


# --- output ----------------------------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        mem_kb = 0
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return (
        f"{os.cpu_count()} cores {cpu}, {mem_kb / 1024 / 1024:.0f} GB RAM, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, PostgreSQL {pg}"
    )


def verdict(key: str, value) -> str:
    if key not in TARGETS or value is None:
        return ""
    op, limit = TARGETS[key]
    ok = value <= limit if op == "<=" else value >= limit
    return f"{'ok' if ok else 'MISSED'} ({op} {limit:g})"


def table(result: dict) -> str:
    lines = [f"| {'figure':<24} | {'value':>12} | target |", f"|{'-' * 26}|{'-' * 14}|--------|"]
    for key in KEYS[3:]:
        value = result.get(key)
        shown = "n/a" if value is None else f"{value:,}" if isinstance(value, int) else f"{value:,.3f}".rstrip("0")
        lines.append(f"| {key:<24} | {shown.rstrip('.'):>12} | {verdict(key, value)} |")
    national = result.get("incremental_ms_district")
    if result["scale"] != "district" and national and result.get("incremental_ms"):
        lines.append(f"| incremental / district   | {result['incremental_ms'] / national:>12.2f} | (<= 1.5) |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=["district", "province", "national"], default="district")
    parser.add_argument("--reuse", action="store_true", help="keep the loaded data if the database holds this scale")
    parser.add_argument("--skip", default="", help="comma-separated: full,incremental,api,dashboard,import")
    parser.add_argument("--api-requests", type=int, default=3000)
    parser.add_argument("--api-seconds", type=float, default=60.0)
    parser.add_argument("--api-clients", type=int, default=8)
    parser.add_argument("--api-workers", type=int, default=int(os.environ.get("BENCH_API_WORKERS", "3")))
    parser.add_argument("--import-small", type=int, default=20_000)
    parser.add_argument("--import-large", type=int, default=200_000)
    args = parser.parse_args(argv)
    skip = {s for s in args.skip.split(",") if s}

    checked = database_check()
    if checked is None:
        return 2
    url, name = checked
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("CONN_MAX_AGE", "60")
    sys.path.insert(0, str(ROOT))
    fresh = not (args.reuse and database_marker(url, name) == args.scale)
    if fresh:
        log(f"== (re)creating database {name}")
        database_recreate(url, name)

    import django

    django.setup()
    if fresh:
        load(args.scale)
    else:
        log(f"== reusing the {args.scale} data already in {name}")
    DETAIL["loaded"] = counts()

    result: dict = {key: None for key in KEYS}
    previous = RESULTS / f"{args.scale}.json"
    if skip and previous.exists():
        # A partial run (--skip) keeps the earlier figures of the steps it skips; docs/benchmarks.md says which.
        result.update(json.loads(previous.read_text()))
    result.update(
        scale=args.scale, machine=machine(), date=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    )
    steps = {
        # Medians of 3 at every scale: the national floor alone varies by a third from run to run (docs/benchmarks.md).
        "full": lambda: measure_full(3),
        "incremental": lambda: measure_incremental(7),
        "api": lambda: measure_api(
            requests=args.api_requests, seconds=args.api_seconds, clients=args.api_clients, workers=args.api_workers
        ),
        "dashboard": lambda: measure_dashboard(code="P01-D01" if args.scale == "district" else "P01", requests=40),
        "import": lambda: measure_import(small=args.import_small, large=args.import_large),
    }
    for step, measure in steps.items():
        if step in skip:
            continue
        try:
            result.update(measure())
        except Exception as error:  # one broken figure must not hide the others; the table shows n/a
            DETAIL.setdefault("errors", {})[step] = f"{type(error).__name__}: {error}"
            log(f"   {step} FAILED: {type(error).__name__}: {error}")
        if step == "incremental":
            if args.scale == "district":
                result["incremental_ms_district"] = result["incremental_ms"]
            elif (RESULTS / "district.json").exists():
                district = json.loads((RESULTS / "district.json").read_text())
                result["incremental_ms_district"] = district["incremental_ms"]

    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps({key: result[key] for key in KEYS}, indent=2, ensure_ascii=False) + "\n"
    (RESULTS / "latest.json").write_text(text)
    (RESULTS / f"{args.scale}.json").write_text(text)
    (RESULTS / f"{args.scale}-detail.json").write_text(json.dumps(DETAIL, indent=2, ensure_ascii=False) + "\n")
    log("")
    log(f"scale {args.scale} — {result['machine']} — {result['date']}")
    log(f"loaded: {DETAIL['loaded']}")
    log(table(result))
    log(f"details: {json.dumps({k: v for k, v in DETAIL.items() if k != 'loaded'}, ensure_ascii=False)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
