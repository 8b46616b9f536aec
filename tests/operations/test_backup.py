"""The restore drill of docs/operations.md, performed once on a small database: pg_dump, restore into a fresh
database, and the restored copy holds the same rows and answers the same summary."""

import os
import shutil
import subprocess

import psycopg2
import pytest
from django.db import connection

from assessments.models import Kind
from assessments.summaries import recompute as summaries
from tests.factories import MemberAssessmentFactory, MemberFactory, OrganizationFactory, level, province_and_district

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres") or not shutil.which("pg_dump"),
    reason="the backup drill needs PostgreSQL in DATABASE_URL and the pg_dump/pg_restore client tools",
)


def _libpq_env() -> dict:
    db = connection.settings_dict
    env = {**os.environ, "PGHOST": db["HOST"] or "127.0.0.1", "PGPORT": str(db["PORT"] or 5432), "PGUSER": db["USER"]}
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _table_counts(dbname: str) -> dict[str, int]:
    env = _libpq_env()
    raw = psycopg2.connect(dbname=dbname, host=env["PGHOST"], port=env["PGPORT"], user=env["PGUSER"],
                           password=env.get("PGPASSWORD"))  # fmt: skip
    try:
        with raw.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
            tables = [row[0] for row in cursor.fetchall()]
            counts = {}
            for table in tables:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
                counts[table] = cursor.fetchone()[0]
            cursor.execute(
                "SELECT members_total, members_good_or_better FROM assessments_summary s "
                "JOIN assessments_organization o ON o.id = s.organization_id WHERE o.code = 'BS' AND s.year = 2017"
            )
            counts["summary BS 2017"] = cursor.fetchone()
        return counts
    finally:
        raw.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pg_dump_restores_into_a_fresh_database_with_every_row(tmp_path):
    _province, bs = province_and_district()
    commune = OrganizationFactory(code="BS-DONG-Y", name="Đảng bộ xã Đồng Ý", kind=Kind.GRASSROOTS_COMMITTEE, parent=bs)
    cell = OrganizationFactory(code="BS-DONG-Y-01", name="Chi bộ thôn Nà Mạt", kind=Kind.CELL, parent=commune)
    good = level("hd27-2014", "member", "good")
    for member in MemberFactory.create_batch(12, organization=cell):
        MemberAssessmentFactory(member=member, year=2017, level=good)
    summaries.summaries_recompute_year(year=2017)

    source = connection.settings_dict["NAME"]
    restored = f"{source}_restore_drill"
    dump = tmp_path / "bacson.dump"
    env = _libpq_env()
    # The commands of docs/operations.md: a custom-format dump, then pg_restore into an empty database.
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source], env=env, check=True)
    assert dump.stat().st_size > 0
    subprocess.run(["dropdb", "--if-exists", restored], env=env, check=True)
    subprocess.run(["createdb", restored], env=env, check=True)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored}", str(dump)], env=env, check=True
        )
        original, copy = _table_counts(source), _table_counts(restored)
    finally:
        subprocess.run(["dropdb", "--if-exists", restored], env=env, check=True)
    assert copy == original
    assert original["assessments_memberassessment"] == 12
    assert copy["summary BS 2017"] == (12, 12)
