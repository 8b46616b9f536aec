"""Benchmark of member_ratings import: rows per second and peak memory for 20,000 and 200,000 rows.

    .venv/bin/python bench/bench_import.py [--sizes 20000,200000] [--format csv|xlsx]

SQLite by default (a throw-away file); PostgreSQL with DATABASE_URL=postgres://.../NAME (a throw-away database
NAME_bench is created and dropped). For each size, one process creates the members (bulk inserts) and writes the
file; a second, fresh process runs `import_data member_ratings FILE` and reports its wall time, its peak resident
memory (ru_maxrss: Django included) and the peak of Python allocations during the import (tracemalloc), so the
figures of different sizes are comparable: memory must not grow with the file.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEVELS = ["excellent", "good", "good", "good", "good", "good", "good", "completed", "completed", None]
CELLS_PER_COMMUNE = 10
COMMUNES = 50
YEAR = 2018


def _setup(db_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = db_url
    # As in production unless DEBUG=true is given (the importer then trims Django's log of query texts itself).
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bacson.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def populate(db_url: str, size: int, path: str, fmt: str) -> None:
    """Create the tree and `size` members with bulk inserts, then write the ratings file (not imported yet)."""
    _setup(db_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from assessments.common.text import fold
    from assessments.demo import _org
    from assessments.models import Kind, Member, Organization

    def org(code, name, kind, parent):
        return _org(code, name, kind, "commune" if parent and parent.parent else "", parent)

    ls = org("LS", "Đảng bộ tỉnh Lạng Sơn", Kind.PROVINCE, None)
    ls.save()
    bs = org("BS", "Đảng bộ huyện Bắc Sơn", Kind.DISTRICT, ls)
    bs.save()
    communes = Organization.objects.bulk_create(
        [org(f"BS-X{c:02d}", f"Đảng bộ xã Thử {c}", Kind.GRASSROOTS_COMMITTEE, bs) for c in range(COMMUNES)]
    )
    cells = Organization.objects.bulk_create(
        [
            org(f"{c.code}-{i:02d}", f"Chi bộ thôn {i} {c.name}", Kind.CELL, c)
            for c in communes
            for i in range(CELLS_PER_COMMUNE)
        ]
    )
    members = []
    for i in range(size):
        name = f"Hoàng Văn Thử {i}"
        members.append(
            Member(
                card_number=f"B{i:08d}",
                full_name=name,
                name_folded=fold(name),
                status="official",
                organization=cells[i % len(cells)],
            )
        )
        if len(members) == 5000:
            Member.objects.bulk_create(members)
            members = []
    Member.objects.bulk_create(members)

    header = ["card_number", "year", "organization_code", "level", "not_rated_reason", "full_name"]

    def rows():
        yield header
        for i in range(size):
            level = LEVELS[i % len(LEVELS)]
            yield [
                f"B{i:08d}",
                YEAR,
                cells[i % len(cells)].code,
                level or "",
                "" if level else "exempt",
                f"Hoàng Văn Thử {i}",
            ]

    if fmt == "csv":
        import csv

        with open(path, "w", encoding="utf-8", newline="") as out:
            csv.writer(out).writerows(rows())
    else:
        from assessments.importing.exporting import rows_write_xlsx

        rows_write_xlsx(rows(), path)


def measure(db_url: str, path: str, traced: bool) -> None:
    """Import the file in this fresh process; print wall time, peak RSS and the tracemalloc peak as JSON."""
    import resource
    import tracemalloc

    _setup(db_url)
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-media-")
    baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    if traced:
        tracemalloc.start()  # slows Python down: timings of a traced run are not comparable
    started = time.perf_counter()
    out = __import__("io").StringIO()
    call_command("import_data", "member_ratings", path, stdout=out, stderr=out)
    seconds = time.perf_counter() - started
    _current, traced_peak = tracemalloc.get_traced_memory() if traced else (0, 0)
    tracemalloc.stop()
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    # CPU time of this process: on a shared machine wall time also counts other people's work.
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "baseline_rss_mb": baseline_mb,
                "traced_peak_mb": traced_peak / 1024 / 1024,
                "output": out.getvalue().strip()[-300:],
            }
        )
    )


def _database(base_url: str, size: int, workdir: str) -> tuple[str, callable]:
    """A throw-away database for one size, and how to drop it."""
    if not base_url.startswith("postgres"):
        return f"sqlite:///{workdir}/bench-{size}.sqlite3", lambda: None
    import psycopg2

    stem, name = base_url.rsplit("/", 1)
    bench_name = f"{name}_bench_{size}"
    admin = psycopg2.connect(f"{stem}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{bench_name}"')
        cursor.execute(f'CREATE DATABASE "{bench_name}"')

    def drop():
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{bench_name}"')

    return f"{stem}/{bench_name}", drop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="20000,200000")
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--populate", nargs=4, metavar=("DB", "SIZE", "FILE", "FORMAT"), help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help="also report the tracemalloc peak (slower run)")
    parser.add_argument("--measure", nargs=2, metavar=("DB", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.populate:
        populate(args.populate[0], int(args.populate[1]), args.populate[2], args.populate[3])
        return 0
    if args.measure:
        measure(*args.measure, args.traced)
        return 0

    base_url = os.environ.get("DATABASE_URL", "")
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-import-") as workdir:
        for size in [int(s) for s in args.sizes.split(",")]:
            db_url, drop = _database(base_url, size, workdir)
            path = f"{workdir}/member_ratings_{size}.{args.format}"
            try:
                subprocess.run(
                    [sys.executable, __file__, "--populate", db_url, str(size), path, args.format], check=True
                )
                traced = ["--traced"] if args.traced else []
                # A 200,000-row file with full names is about 11 MB: above the 10 MB upload default.
                env = {**os.environ, "UPLOAD_MAX_BYTES": str(256 * 1024 * 1024)}
                done = subprocess.run(
                    [sys.executable, __file__, "--measure", db_url, path, *traced],
                    capture_output=True,
                    text=True,
                    env=env,
                )
                if done.returncode:
                    print(done.stdout[-2000:], done.stderr[-4000:], file=sys.stderr)
                    raise SystemExit(f"the import of {size} rows failed")
                figures = json.loads(done.stdout.strip().splitlines()[-1])
            finally:
                drop()
            figures.update(
                {
                    "rows": size,
                    "rows_per_s": size / figures["seconds"],
                    "rows_per_cpu_s": size / figures["cpu_seconds"],
                    "file_mb": os.path.getsize(path) / 1024 / 1024,
                }
            )
            results.append(figures)
    database = "PostgreSQL" if base_url.startswith("postgres") else "SQLite"
    print(f"member_ratings import ({args.format}, {database})")
    print(
        f"{'rows':>8} {'file MB':>8} {'wall s':>8} {'rows/s':>8} {'CPU s':>8} {'rows/CPU s':>10} "
        f"{'peak RSS MB':>12} {'base RSS MB':>12} {'traced peak MB':>15}"
    )
    for r in results:
        print(
            f"{r['rows']:>8} {r['file_mb']:>8.1f} {r['seconds']:>8.1f} {r['rows_per_s']:>8.0f} "
            f"{r['cpu_seconds']:>8.1f} {r['rows_per_cpu_s']:>10.0f} "
            f"{r['peak_rss_mb']:>12.1f} {r['baseline_rss_mb']:>12.1f} {r['traced_peak_mb']:>15.1f}"
        )
        print(f"         {r['output']}")
    if len(results) >= 2:
        print(f"peak RSS ratio largest/smallest: {results[-1]['peak_rss_mb'] / results[0]['peak_rss_mb']:.2f}")
        if args.traced:
            print(f"traced peak ratio: {results[-1]['traced_peak_mb'] / results[0]['traced_peak_mb']:.2f}")
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
