"""Benchmark of the stored summaries: full and incremental recompute, the writer's stale mark, and the read.

    .venv/bin/python bench/bench_summaries.py [--districts N] [--repeat R]

Works on SQLite (default) and on PostgreSQL (DATABASE_URL=postgres://...): it creates a throw-away database
(test_<name>_bench), generates a deterministic dataset with bulk inserts (one province, N districts of 55 units
each, 12 members per cell, all rated for 2017), prints the figures and drops the database again.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bacson.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

YEAR = 2017
SEED = 20171231
MEMBERS_PER_CELL = 12
MEMBER_SHARES = [("excellent", 12), ("good", 70), ("completed", 12), ("not_completed", 1), (None, 5)]
UNIT_SHARES = [("clean_strong", 60), ("good", 27), ("completed", 11), ("weak", 2)]


def _pick(rng: random.Random, shares):
    return rng.choices([code for code, _w in shares], weights=[w for _c, w in shares])[0]


def generate(districts: int) -> dict:
    """Insert the dataset with bulk_create (no signals): paths are set here as Organization.save would."""
    from assessments.demo import _org
    from assessments.models import (
        Kind,
        Member,
        MemberAssessment,
        NotRatedReason,
        Organization,
        RatingLevel,
        UnitAssessment,
    )

    rng = random.Random(SEED)
    orgs: list[Organization] = []

    def org(code, kind, parent):
        o = _org(code, code, kind, "", parent)
        orgs.append(o)
        return o

    province = org("LS", Kind.PROVINCE, None)
    Organization.objects.bulk_create([province])
    cells, units = [], []
    for d in range(districts):
        district = org(f"D{d}", Kind.DISTRICT, province)
        Organization.objects.bulk_create([district])
        committees = [org(f"D{d}-X{u}", Kind.GRASSROOTS_COMMITTEE, district) for u in range(22)]
        grassroots_cells = [org(f"D{d}-C{u}", Kind.GRASSROOTS_CELL, district) for u in range(33)]
        Organization.objects.bulk_create(committees + grassroots_cells)
        village = [org(f"{c.code}-{k}", Kind.CELL, c) for c in committees for k in range(8)]
        Organization.objects.bulk_create(village)
        units += committees + grassroots_cells + village
        cells += grassroots_cells + village

    levels = {(lv.subject, lv.code): lv for lv in RatingLevel.objects.filter(scheme__code="hd27-2014")}
    members = [
        Member(
            card_number=f"{cell.pk:06d}{i:03d}",
            full_name=f"Đảng viên {i}",
            name_folded=f"dang vien {i}",
            status="official",
            organization=cell,
        )  # fmt: skip
        for cell in cells
        for i in range(MEMBERS_PER_CELL)
    ]
    Member.objects.bulk_create(members, batch_size=2000)
    assessments = []
    for member in members:
        code = _pick(rng, MEMBER_SHARES)
        assessments.append(
            MemberAssessment(
                member=member,
                year=YEAR,
                organization=member.organization,
                level=levels[("member", code)] if code else None,
                not_rated_reason="" if code else NotRatedReason.EXEMPT,
            )  # fmt: skip
        )
    MemberAssessment.objects.bulk_create(assessments, batch_size=2000)
    UnitAssessment.objects.bulk_create(
        [UnitAssessment(organization=u, year=YEAR, level=levels[("unit", _pick(rng, UNIT_SHARES))]) for u in units],
        batch_size=2000,
    )
    return {
        "organizations": Organization.objects.count(),
        "members": len(members),
        "member_ratings": len(assessments),
        "unit_ratings": len(units),
        "cells": [c.pk for c in cells],
    }


def timed(fn, repeat: int) -> tuple[float, int]:
    """Median milliseconds over `repeat` runs, and the number of queries of one run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=1, help="districts of 55 units each (default 1)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measured figure (median)")
    args = parser.parse_args()

    import django
    from django.conf import settings

    django.setup()
    from django.db import connection, transaction

    db = settings.DATABASES["default"]
    db.setdefault("TEST", {})
    if db["ENGINE"].endswith("sqlite3"):
        db["TEST"]["NAME"] = ":memory:"
    else:
        db["TEST"]["NAME"] = f"test_{db['NAME']}_bench"
    old_name = db["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from assessments.models import MemberAssessment, Organization, RatingLevel, Summary
        from assessments.selectors import summary_read
        from assessments.summaries import recompute as summaries

        started = time.perf_counter()
        data = generate(args.districts)
        generated_s = time.perf_counter() - started
        cells = data.pop("cells")
        rng = random.Random(SEED + 1)
        district = Organization.objects.get(code="D0")

        first_ms, first_q = timed(lambda: summaries.summaries_recompute_year(year=YEAR), 1)
        full_ms, full_q = timed(lambda: summaries.summaries_recompute_year(year=YEAR), args.repeat)

        good = RatingLevel.objects.get(scheme__code="hd27-2014", subject="member", code="good")

        def one_change():
            # What one secretary's save costs the writer: the stale mark in its transaction.
            cell = rng.choice(cells)
            with transaction.atomic():
                MemberAssessment.objects.filter(organization_id=cell, year=YEAR).update(level=good, not_rated_reason="")
                summaries.summaries_mark_stale(organization_ids=[cell], years=[YEAR])

        mark_ms, mark_q = timed(one_change, args.repeat * 4)

        def incremental_one_cell():
            summaries.summaries_recompute(organization_ids=[rng.choice(cells)], year=YEAR)

        inc_ms, inc_q = timed(incremental_one_cell, args.repeat * 4)

        commune = Organization.objects.get(code="D0-X0")
        commune_ids = list(Organization.objects.subtree(commune).values_list("pk", flat=True))
        inc_commune_ms, inc_commune_q = timed(
            lambda: summaries.summaries_recompute(organization_ids=commune_ids, year=YEAR), args.repeat
        )
        read_ms, read_q = timed(lambda: summary_read(organization=district, year=YEAR), args.repeat * 20)
        rows_stored = Summary.objects.filter(year=YEAR).count()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    vendor = connection.vendor
    print(f"database: {vendor}; dataset: {args.districts} district(s), {data['organizations']} organizations, "
          f"{data['members']} members, {data['member_ratings']} member ratings, {data['unit_ratings']} unit ratings "
          f"for {YEAR} (generated in {generated_s:.1f} s)")  # fmt: skip
    rows = [
        ("full recompute, first (creates rows)", first_ms, first_q),
        ("full recompute, every organization", full_ms, full_q),
        ("incremental: one cell + ancestors", inc_ms, inc_q),
        ("incremental: one commune's subtree + ancestors", inc_commune_ms, inc_commune_q),
        ("writer's stale mark for one change", mark_ms, mark_q),
        ("summary_read (district)", read_ms, read_q),
    ]
    print(f"{'figure':<48} {'median ms':>10} {'queries':>8}")
    for name, ms, queries in rows:
        print(f"{name:<48} {ms:>10.1f} {queries:>8}")
    print(f"summary rows stored for {YEAR}: {rows_stored}")


if __name__ == "__main__":
    main()
