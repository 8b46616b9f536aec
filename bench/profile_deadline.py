"""Where a deadline-day file's time goes: one secretary's upload, preview and confirm, in-process, under cProfile.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bacson_bench .venv/bin/python -m bench.profile_deadline [--files N]

Needs a database loaded by `bench.run` (any scale). Runs N files of the deadline run's shape through Django's test
client (the same views, middleware and queries as under gunicorn, without the network), prints each page's median
time and query count, the recompute task that the confirm queues (run here, timed), and the functions that take
the most time over all files. The summary recompute is queued to an in-memory broker and timed separately.
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=30)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--no-profile", action="store_true", help="page times only, without cProfile's overhead")
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from assessments.models import User
    from assessments.summaries import tasks
    from bench import deadline
    from bench.generate import YEAR

    plan = deadline.prepare(secretaries=1, readers=1, scale="province")
    who = plan["secretaries"][0]
    client = Client()
    client.force_login(User.objects.get(username=who["username"]))
    reader = Client()
    reader.force_login(User.objects.get(username=plan["readers"][0]["username"]))
    pages: dict[str, list[float]] = {}
    queries: dict[str, int] = {}
    query_times: dict[tuple[str, str], list[float]] = {}

    def timed(name: str, call):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = call()
            pages.setdefault(name, []).append((time.perf_counter() - started) * 1000)
        queries[name] = len(captured.captured_queries)
        for query in captured.captured_queries:
            key = (name, re.sub(r"\d+", "N", query["sql"])[:90])
            query_times.setdefault(key, []).append(float(query["time"]) * 1000)
        return response

    def one_file(n: int) -> None:
        page = timed("GET /imports/", lambda: client.get("/imports/"))
        token = deadline.CSRF_INPUT.search(page.content.decode()).group(1)
        body = io.BytesIO(deadline._csv(who["rows"], shift=n))
        body.name = f"{who['commune']}-{n}.csv"
        form = {"data_type": "member_ratings", "file": body, "csrfmiddlewaretoken": token}
        response = timed("POST /imports/ (upload, check)", lambda: client.post("/imports/", form))
        preview = response["Location"]
        timed("GET preview", lambda: client.get(preview))
        timed("POST confirm (write)", lambda: client.post(f"{preview}confirm/", {"csrfmiddlewaretoken": token}))
        started = time.perf_counter()
        tasks.summaries_recompute_task.run(who["targets"], YEAR)
        pages.setdefault("recompute task (Celery)", []).append((time.perf_counter() - started) * 1000)
        timed("GET / (dashboard, province)", lambda: reader.get(f"/?year={YEAR}"))

    one_file(0)  # warm-up: templates, translations, connections
    pages.clear()
    query_times.clear()
    profiler = cProfile.Profile()
    if not args.no_profile:
        profiler.enable()
    for n in range(1, args.files + 1):
        one_file(n)
    profiler.disable()
    shown = "without profiler" if args.no_profile else "under cProfile: times inflated"
    print(f"{who['commune']}: {who['size']} ratings per file, {args.files} files ({shown})")
    print(f"{'step':34} {'median ms':>10} {'queries':>8}")
    for name, times in pages.items():
        print(f"{name:34} {statistics.median(times):10.1f} {queries.get(name, 0):8}")
    print("\nslowest statements (total ms per file; DEBUG is off, so Django's own timing of execute):")
    totals = sorted(query_times.items(), key=lambda item: -sum(item[1]))[:12]
    for (name, sql), times in totals:
        print(f"{sum(times) / args.files:8.1f}  {name:30} {sql}")
    if args.no_profile:
        return 0
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("tottime")
    stats.print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)
    print(re.sub(r"/work/main/\.venv/lib/python3\.\d+/site-packages/", "", out.getvalue()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
