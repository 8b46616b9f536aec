"""Benchmark of the yearly results report on the demo district: build, XLSX, PDF, HTML; the API list pages.

    .venv/bin/python bench/bench_report.py [--repeat R]

SQLite by default; PostgreSQL with DATABASE_URL=postgres://.../NAME. A throw-away test database (test_<NAME>) is
created, the Bắc Sơn demo (55 units, 177 cells, 2,824 members, three years) is loaded, each step is timed R times
(median and max reported) with its query count, and the database is dropped again.
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


def _timed(step, repeat: int) -> tuple[float, float, int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, result = [], None
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            result = step()
            times.append(time.perf_counter() - start)
        queries = len(captured)
    return statistics.median(times), max(times), queries, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.utils import translation

    from assessments import demo
    from assessments.models import Organization, User
    from assessments.reports import build as reports
    from assessments.reports import renderers as report_renderers
    from assessments.summaries import recompute as summaries

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        translation.activate("vi")
        demo.demo_load()
        for year in demo.YEARS:
            summaries.summaries_recompute_year(year=year)
        bs = Organization.objects.get(code="BS")
        report = reports.report_build(organization=bs, year=2018)
        client = Client()
        client.force_login(User.objects.get(username="binh"))
        steps = [
            ("report_build (district, 2018)", lambda: reports.report_build(organization=bs, year=2018)),
            ("XLSX", lambda: report_renderers.report_xlsx(report)),
            ("PDF (WeasyPrint)", lambda: report_renderers.report_pdf(report)),
            ("HTML document", lambda: report_renderers.report_html(report)),
            ("page /reports/BS/2018/", lambda: client.get("/reports/BS/2018/")),
            ("API member-assessments, 500 rows", lambda: client.get("/api/v1/member-assessments/?page_size=500")),
            ("API organizations, all", lambda: client.get("/api/v1/organizations/?page_size=500")),
        ]
        print(f"{connection.vendor}, repeat {args.repeat}")
        print(f"{'step':40} {'median ms':>10} {'max ms':>10} {'queries':>8}")
        for name, step in steps:
            median, worst, queries, result = _timed(step, args.repeat)
            status = getattr(result, "status_code", None)
            assert status in (None, 200), (name, status)
            print(f"{name:40} {median * 1000:10.1f} {worst * 1000:10.1f} {queries:8d}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
