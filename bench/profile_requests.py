"""Where a read request's time goes against its floor: the summary API, the dashboard and /bench/floor/, in-process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bacson_bench .venv/bin/python -m bench.profile_requests \\
        [--requests N] [--code P01] [--profile api|dashboard|floor]

Needs a database loaded by `bench.run`. Through Django's test client (the same middleware, views and queries as
under gunicorn, without the network and the WSGI server) it prints, for each kind, the median time, the number of
statements and their time, and the ORM floor (the stored summary row read by primary key); with --profile, the
functions that take the most time for that kind under cProfile.
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
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--code", default="P01")
    parser.add_argument("--profile", choices=["api", "dashboard", "floor"])
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from assessments.api.tokens import token_create
    from assessments.models import Organization, Summary
    from bench.generate import YEAR
    from bench.steps import scope_user

    user = scope_user(args.code, f"bench_{args.code.lower()}")
    token = token_create(actor=user, replace=True)[1]
    organization_id = Organization.objects.get(code=args.code).pk
    api, browser = Client(HTTP_AUTHORIZATION=f"Token {token}"), Client()
    browser.force_login(user)
    kinds = {
        "floor": lambda: api.get("/bench/floor/"),
        "api": lambda: api.get(f"/api/v1/organizations/{args.code}/summary/{YEAR}/"),
        "dashboard": lambda: browser.get(f"/?year={YEAR}"),
        "orm floor": lambda: Summary.objects.get(organization_id=organization_id, year=YEAR, period=""),
    }
    print(f"{'request':12} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'SQL ms':>8}")
    for name, call in kinds.items():
        for _ in range(5):
            call()
        profiler = cProfile.Profile()
        times, sql = [], []
        statements: dict[str, list[float]] = {}
        for _ in range(args.requests):
            with CaptureQueriesContext(connection) as captured:
                if args.profile == name:
                    profiler.enable()
                started = time.perf_counter()
                response = call()
                times.append((time.perf_counter() - started) * 1000)
                profiler.disable()
            if hasattr(response, "status_code") and response.status_code != 200:
                raise RuntimeError(f"{name} answered {response.status_code}")
            sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
            if args.profile == name:
                for query in captured.captured_queries:
                    key = re.sub(r"\d+", "N", query["sql"])[:110]
                    statements.setdefault(key, []).append(float(query["time"]) * 1000)
        p95 = sorted(times)[int(0.95 * (len(times) - 1))]
        print(
            f"{name:12} {statistics.median(times):10.2f} {p95:8.2f} {len(captured.captured_queries):8} "
            f"{statistics.median(sql):8.2f}"
        )
        if args.profile == name:
            for key, values in sorted(statements.items(), key=lambda item: -sum(item[1])):
                print(f"   {statistics.median(values):7.2f} ms median  {key}")
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.top)
            print(re.sub(r"/work/main/\.venv/lib/python3\.\d+/site-packages/", "", out.getvalue()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
