"""Benchmark runner: `python -m bench.run --scale district|province|national` (DATABASE_URL must be PostgreSQL).

Generates the scale's synthetic data into the DATABASE_URL database (its name must contain "bench": it is
dropped and re-created), measures every figure of docs/benchmarks.md `--runs` times (3 by default: each key is
the median), each timing with its floor measured in the same run, prints a table and writes
bench/results/latest.json (and bench/results/<scale>.json, bench/results/<scale>-detail.json with every run's
figures).
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import traceback
from pathlib import Path
from urllib.parse import urlparse

from bench.stats import median_of_runs
from bench.steps import DETAIL

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
KEYS = [
    "scale",
    "machine",
    "commit",
    "date",
    "runs",
    "full_recompute_s",
    "floor_groupby_s",
    "full_ratio",
    "full_recompute_all_stale_s",
    "full_ratio_all_stale",
    "incremental_ms",
    "incremental_ms_district",
    "api_p50_ms",
    "api_p95_ms",
    "api_rps",
    "floor_api_p95_ms",
    "api_ratio",
    "dashboard_p50_ms",
    "dashboard_p95_ms",
    "floor_dashboard_p95_ms",
    "dashboard_ratio",
    "import_rows_per_s",
    "floor_import_rows_per_s",
    "import_ratio",
    "import_peak_mb_small",
    "import_peak_mb_large",
    "deadline_files_per_s",
    "deadline_confirm_p95_ms",
    "freshness_p95_s",
    "deadline_dashboard_p95_ms",
    "lost_updates",
    "deadline_files_per_s_1worker",
    "deadline_confirm_p95_ms_1worker",
    "freshness_p95_s_1worker",
    "deadline_dashboard_p95_ms_1worker",
    "lost_updates_1worker",
]
FIRST_FIGURE = KEYS.index("full_recompute_s")
# Ratios travel between machines; of the absolute times only the dashboard's (a person waits for it) and the
# incremental recompute's are held to a number. full_ratio: at most 1.5 at national scale (2 below it).
TARGETS = {
    "full_ratio": ("<=", 2.0),
    "full_ratio_all_stale": ("<=", 2.5),
    "incremental_ms": ("<=", 50.0),
    "api_ratio": ("<=", 2.0),
    "dashboard_p95_ms": ("<=", 150.0),
    "import_ratio": ("<=", 10.0),
    "deadline_files_per_s": (">=", 10.0),
    "freshness_p95_s": ("<=", 2.0),
    "lost_updates": ("<=", 0),
    "lost_updates_1worker": ("<=", 0),
}


STEPS = ["full", "incremental", "api", "dashboard", "import", "deadline", "deadline_1worker"]


def log(message: str) -> None:
    print(message, flush=True)


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
        f"{loaded.members:,} members, {loaded.member_assessments:,} member ratings (and "
        f"{loaded.member_quarter_assessments:,} of quarters), {loaded.collectives:,} collectives, "
        f"{loaded.positions:,} posts, {loaded.collective_ratings + loaded.leader_ratings:,} leadership ratings, "
        f"{loaded.criteria_sets:,} criteria sets in {loaded.seconds:.1f} s"
    )


def counts() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT detail FROM bench_meta LIMIT 1")
        return cursor.fetchone()[0]


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


def commit() -> str:
    """The commit measured, with "+changes" when the working tree differs from it; BENCH_COMMIT names it when
    the bench runs from an exported tree without .git (`git archive COMMIT`, docs/benchmarks.md)."""
    if os.environ.get("BENCH_COMMIT"):
        return os.environ["BENCH_COMMIT"]
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode != 0:
        return "unknown (not a git checkout; set BENCH_COMMIT)"
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True)
    return head.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def verdict(key: str, value, scale: str) -> str:
    if key not in TARGETS or value is None:
        return ""
    op, limit = TARGETS[key]
    if key == "full_ratio" and scale == "national":
        limit = 1.5
    ok = value <= limit if op == "<=" else value >= limit
    return f"{'ok' if ok else 'MISSED'} ({op} {limit:g})"


def table(result: dict) -> str:
    lines = [f"| {'figure':<34} | {'value':>12} | target |", f"|{'-' * 36}|{'-' * 14}|--------|"]
    for key in KEYS[FIRST_FIGURE:]:
        value = result.get(key)
        shown = "n/a" if value is None else f"{value:,}" if isinstance(value, int) else f"{value:,.3f}".rstrip("0")
        lines.append(f"| {key:<34} | {shown.rstrip('.'):>12} | {verdict(key, value, result['scale'])} |")
    district = result.get("incremental_ms_district")
    if result["scale"] != "district" and district and result.get("incremental_ms"):
        lines.append(f"| {'incremental / district':<34} | {result['incremental_ms'] / district:>12.2f} | (<= 1.5) |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=["district", "province", "national"], default="district")
    parser.add_argument("--reuse", action="store_true", help="keep the loaded data if the database holds this scale")
    parser.add_argument("--runs", type=int, default=3, help="every key is the median of this many runs")
    parser.add_argument("--skip", default="", help="comma-separated: " + ",".join(STEPS))
    parser.add_argument("--only", default="", help="comma-separated steps to run, the others skipped")
    parser.add_argument("--deadline", action="store_true", help="run only the deadline-day step (and the load)")
    parser.add_argument("--deadline-seconds", type=float, default=120.0)
    parser.add_argument("--deadline-secretaries", type=int, default=16)
    parser.add_argument("--deadline-readers", type=int, default=4)
    parser.add_argument("--api-requests", type=int, default=1500, help="summary requests, each with a floor request")
    parser.add_argument("--api-seconds", type=float, default=30.0)
    parser.add_argument("--api-clients", type=int, default=8)
    parser.add_argument("--api-workers", type=int, default=int(os.environ.get("BENCH_API_WORKERS", "3")))
    parser.add_argument("--import-small", type=int, default=20_000)
    parser.add_argument("--import-large", type=int, default=200_000)
    args = parser.parse_args(argv)
    skip = {s for s in args.skip.split(",") if s}
    if args.only or args.deadline:
        wanted = {s for s in args.only.split(",") if s} | ({"deadline", "deadline_1worker"} if args.deadline else set())
        skip |= set(STEPS) - wanted
    unknown = skip - set(STEPS)
    if unknown:
        parser.error(f"unknown steps {sorted(unknown)}: the steps are {', '.join(STEPS)}")

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
        from django.core.management import call_command

        log(f"== reusing the {args.scale} data already in {name} (migrating to the code's schema)")
        call_command("migrate", verbosity=0, interactive=False)
    DETAIL["loaded"] = counts()

    from bench import api, deadline, steps

    result: dict = {key: None for key in KEYS}
    previous = RESULTS / f"{args.scale}.json"
    if skip and previous.exists():
        # A partial run (--skip, --only, --deadline) keeps the earlier figures of the steps it skips.
        result.update({k: v for k, v in json.loads(previous.read_text()).items() if k in KEYS})
    dsn = url.replace("postgresql://", "postgres://", 1).replace("pgsql://", "postgres://", 1)
    plan: dict = {}

    def deadline_step(workers: int, suffix: str):
        def measure() -> dict:
            if not plan:
                plan.update(
                    deadline.prepare(
                        secretaries=args.deadline_secretaries, readers=args.deadline_readers, scale=args.scale
                    )
                )
            salt = deadline.shuffle_salt()
            seconds = args.deadline_seconds
            figures = deadline.run(plan=plan, workers=workers, seconds=seconds, dsn=dsn, log=log, salt=salt)
            steps.note(f"deadline{suffix}", figures.pop("_extra"))
            if suffix:
                return {f"{k}{suffix}": v for k, v in figures.items() if f"{k}{suffix}" in KEYS}
            for key in ("freshness_p50_s", "deadline_upload_p95_ms", "deadline_preview_p95_ms"):
                steps.note(key, figures.pop(key))
            return figures

        return measure

    measures = {
        # The full step itself takes the median of 3 recomputes and 3 floors in each run.
        "full": lambda: steps.measure_full(3),
        "incremental": lambda: steps.measure_incremental(7),
        "api": lambda: api.measure_api(
            requests=args.api_requests,
            seconds=args.api_seconds,
            clients=args.api_clients,
            workers=args.api_workers,
            log=log,
            detail=DETAIL,
        ),
        "dashboard": lambda: steps.measure_dashboard(
            code="P01-D01" if args.scale == "district" else "P01", requests=40
        ),
        "import": lambda: steps.measure_import(small=args.import_small, large=args.import_large),
        "deadline": deadline_step(2, ""),
        "deadline_1worker": deadline_step(1, "_1worker"),
    }
    runs: list[dict] = []
    for number in range(1, args.runs + 1):
        log(f"==== run {number} of {args.runs}")
        figures: dict = {}
        for step, measure in measures.items():
            if step in skip:
                continue
            try:
                figures.update(measure())
            except Exception as error:  # one broken figure must not hide the others; the table shows n/a
                DETAIL.setdefault("errors", {}).setdefault(step, []).append(f"{type(error).__name__}: {error}")
                log(f"   {step} FAILED: {type(error).__name__}: {error}")
                traceback.print_exc()
        runs.append(figures)
    DETAIL["runs"] = runs
    result.update(median_of_runs(runs))
    if "incremental" not in skip:
        if args.scale == "district":
            result["incremental_ms_district"] = result["incremental_ms"]
        elif (RESULTS / "district.json").exists():
            result["incremental_ms_district"] = json.loads((RESULTS / "district.json").read_text())["incremental_ms"]
    result.update(
        scale=args.scale,
        machine=machine(),
        commit=commit(),
        date=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        runs=args.runs,
    )

    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps({key: result[key] for key in KEYS}, indent=2, ensure_ascii=False) + "\n"
    (RESULTS / "latest.json").write_text(text)
    (RESULTS / f"{args.scale}.json").write_text(text)
    (RESULTS / f"{args.scale}-detail.json").write_text(json.dumps(DETAIL, indent=2, ensure_ascii=False) + "\n")
    log("")
    log(f"scale {args.scale} — {result['machine']} — commit {result['commit']} — {result['date']}")
    log(f"loaded: {DETAIL['loaded']}")
    log(f"every figure is the median of {args.runs} runs")
    log(table(result))
    log(f"details in {RESULTS / (args.scale + '-detail.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
