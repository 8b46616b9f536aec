"""Where a full recompute's time goes, on the bench database: `python -m bench.profile_full [--repeat N]`.

Prints the median time of each statement of `summaries_recompute_year` (run in its own transaction, as the task
does), the counting statement cut after each of its CTEs (`SELECT COUNT(*)` of that CTE, in a rolled-back
transaction), and the floor query in the same loop. Needs DATABASE_URL of a database that `bench.run` loaded.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

FLOOR = (
    "SELECT organization_id, level_id, COUNT(*) FROM assessments_memberassessment WHERE year = %s AND period = '' "
    "GROUP BY organization_id, level_id"
)


def _median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection, transaction

    from assessments.summaries import recompute as summaries
    from bench.generate import YEAR

    statements: dict[int, tuple[str, list[float]]] = {}
    counting: list[tuple[str, list]] = []
    current: list[tuple[float, str, list]] = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            current.append(((time.perf_counter() - started) * 1000, sql, params))

    summaries.summaries_recompute_year(year=YEAR)
    totals = []
    for _ in range(args.repeat):
        current.clear()
        with connection.execute_wrapper(timed):
            started = time.perf_counter()
            summaries.summaries_recompute_year(year=YEAR)
            totals.append((time.perf_counter() - started) * 1000)
        for index, (ms, sql, params) in enumerate(current):
            statements.setdefault(index, (" ".join(sql.split())[:90], []))[1].append(ms)
            if "own AS MATERIALIZED" in sql and not counting:
                counting.append((sql, params))

    def floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(FLOOR, [YEAR])
            cursor.fetchall()

    print(f"full recompute {statistics.median(totals):.2f} ms, floor {_median_ms(floor, args.repeat):.2f} ms")
    for text, times in statements.values():
        print(f"  {statistics.median(times):9.2f} ms  {text}")

    sql, params = counting[0]
    body = sql[sql.index("WITH ") + len("WITH ") :]
    body = body[: body.rindex("\nSELECT")]
    ctes = body.split(",\n")
    print("counting statement cut after each CTE (rolled back), and the floor in the same loop:")

    def prefix(k: int):
        name = ctes[k - 1].split(" ", 1)[0]
        text = "WITH " + ",\n".join(ctes[:k]) + f"\nSELECT COUNT(*) FROM {name}"

        def run() -> None:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
                cursor.execute(text, params[: text.count("%s")])
                cursor.fetchall()
                transaction.set_rollback(True)

        return name, run

    for k in range(1, len(ctes) + 1):
        name, run = prefix(k)
        print(f"  {_median_ms(run, args.repeat):9.2f} ms  up to {name}")

    def floor_in_transaction() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(FLOOR, [YEAR])
            cursor.fetchall()
            transaction.set_rollback(True)

    print(f"  {_median_ms(floor_in_transaction, args.repeat):9.2f} ms  floor")


if __name__ == "__main__":
    main()
