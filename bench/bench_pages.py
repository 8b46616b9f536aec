"""Benchmark of the main pages on the Bắc Sơn demo district: server time and query count per page.

    .venv/bin/python bench/bench_pages.py [--repeat R]

Works on SQLite (default) and on PostgreSQL (DATABASE_URL=postgres://...): it creates a throw-away test database,
loads the demo district (55 units, 2,824 members rated 2016-2018), then requests each page R times as the district
officer through Django's test client (no network, no browser) and prints the median and worst time and the number
of SQL queries. The database is dropped afterwards.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bacson.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

PAGES = [
    ("dashboard", "/?year=2017"),
    ("dashboard, a commune", "/?org=BS-NHAT-TIEN&year=2017"),
    ("unit list, filtered", "/units/?parent=BS&year=2017&level=clean_strong"),
    ("unit list, all grassroots", "/units/?year=2017"),
    ("unit page", "/units/BS-NHAT-TIEN/"),
    ("member list", "/members/?year=2017"),
    ("member list, search", "/members/?q=nguyen&year=2017"),
    ("member list, last page", "/members/?year=2017&page=last"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment

    from assessments.demo import demo_load
    from assessments.models import User

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        started = time.perf_counter()
        demo_load()
        print(f"demo loaded in {time.perf_counter() - started:.1f} s on {connection.vendor}")
        client = Client()
        client.force_login(User.objects.get(username="binh"))
        print(f"{'page':28} {'median ms':>10} {'max ms':>8} {'queries':>8} {'KiB':>6}")
        for name, url in PAGES:
            response = client.get(url)  # warm caches (templates, translations) once
            assert response.status_code == 200, (url, response.status_code)
            timings = []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as queries:
                    t0 = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - t0) * 1000)
            size = len(response.content) / 1024
            print(
                f"{name:28} {statistics.median(timings):10.1f} {max(timings):8.1f} "
                f"{len(queries.captured_queries):8d} {size:6.0f}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
