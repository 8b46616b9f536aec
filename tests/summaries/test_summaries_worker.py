"""A real Celery worker against Redis and PostgreSQL, with parallel writer processes: summaries end exact."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import F

from assessments.models import Kind, Organization, Summary
from assessments.selectors import summary_read
from assessments.summaries import recompute as summaries
from tests.factories import MemberFactory, OrganizationFactory
from tests.summary_reference import recount, without_freshness

BROKER = os.environ.get("CELERY_BROKER_URL", "")
ROOT = Path(__file__).resolve().parents[2]
YEAR = 2017
COMMUNES = 4

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not (os.environ.get("DATABASE_URL", "").startswith("postgres") and BROKER.startswith("redis")),
        reason="needs PostgreSQL in DATABASE_URL and Redis in CELERY_BROKER_URL (as .ci/run sets them)",
    ),
]


def _database_url() -> str:
    db = connection.settings_dict  # the test database, which the worker and the writers must use too
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _clear_redis(cache_url: str) -> None:
    """Drop queued messages and coalescing keys left by an earlier run in the same Redis databases."""
    import redis

    for url in {cache_url, BROKER}:
        client = redis.Redis.from_url(url)
        for key in client.scan_iter(match="*summaries:pending:*"):
            client.delete(key)
        client.delete("celery")


def _wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_writers_and_a_real_worker_end_with_every_summary_equal_to_a_recount(tmp_path):
    _writers_and_worker(tmp_path, periods=[""] * COMMUNES)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_writers_of_the_year_and_of_quarters_end_with_every_period_equal_to_a_recount(tmp_path):
    """Issue 15: two communes write the year, one Q1 and one Q2, in parallel; each period's summaries end exact."""
    _writers_and_worker(tmp_path, periods=["", "Q1", "", "Q2"])


def _writers_and_worker(tmp_path, *, periods: list[str]) -> None:
    ls = OrganizationFactory(code="LS", name="Đảng bộ tỉnh Lạng Sơn", kind=Kind.PROVINCE, sector="")
    bs = OrganizationFactory(code="BS", name="Đảng bộ huyện Bắc Sơn", kind=Kind.DISTRICT, sector="", parent=ls)
    communes = []
    for c in range(COMMUNES):
        commune = OrganizationFactory(code=f"BS-XA-{c}", kind=Kind.GRASSROOTS_COMMITTEE, parent=bs)
        communes.append(commune)
        for k in range(3):
            cell = OrganizationFactory(code=f"BS-XA-{c}-{k}", kind=Kind.CELL, parent=commune)
            MemberFactory.create_batch(8, organization=cell)
    summaries.summaries_recompute_year(year=YEAR)
    # Two communes start without stored rows, so writers also create rows while others lock them (communes writing
    # the year: a quarter has no rows at all before its first write).
    for commune in [c for c, period in zip(communes, periods, strict=True) if not period][:2]:
        Summary.objects.filter(organization__path__startswith=commune.path).delete()

    cache_url = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or BROKER
    _clear_redis(cache_url)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bacson.settings",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER,
        "CACHE_URL": cache_url,
    }
    log = tmp_path / "worker.log"
    celery = str(Path(sys.executable).with_name("celery"))
    worker = subprocess.Popen(
        [celery, "-A", "bacson", "worker", "--pool=prefork", "--concurrency=2", "--loglevel=INFO",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"summ-test-{os.getpid()}@%h",
         f"--logfile={log}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        _wait_until(lambda: log.exists() and "ready." in log.read_text(), 60, "the worker to start")
        writers = [
            subprocess.Popen(
                [sys.executable, "-m", "tests.summaries_writer", commune.code, str(YEAR), str(seed), periods[seed]],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )  # fmt: skip
            for seed, commune in enumerate(communes)
        ]
        writes = 0
        for writer in writers:
            out, err = writer.communicate(timeout=300)
            assert writer.returncode == 0, err[-3000:]
            writes += int(out.strip().splitlines()[-1])

        _wait_until(
            lambda: not Summary.objects.filter(year=YEAR).exclude(version=F("computed_version")).exists(),
            120,
            "every summary to absorb the committed changes",
        )
        runs = log.read_text().count("summaries_recompute_task[") // 2  # received + succeeded lines
        print(f"{writes} writes in {COMMUNES} parallel processes, about {runs} recompute runs")
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()

    text = log.read_text()
    assert "Traceback" not in text and "ERROR/" not in text, text[-5000:]  # no deadlock, no retry needed
    organizations = list(Organization.objects.all())
    assert Summary.objects.filter(year=YEAR, period="").count() == len(organizations)
    for period in sorted(set(periods)):
        # A quarter's rows exist along the chains its writers changed; the others are created by reconciliation,
        # as for a year's first ratings (docs/summaries.md). Every row there is must already be exact.
        stored = set(Summary.objects.filter(year=YEAR, period=period).values_list("organization_id", flat=True))
        for org in [o for o in organizations if o.pk in stored]:
            data = summary_read(organization=org, year=YEAR, period=period)
            assert not data["stale"], (org.code, period)
            assert without_freshness(data) == recount(org, YEAR, period), (org.code, period)
        rated = summary_read(organization=bs, year=YEAR, period=period)["units"]["rated"]
        assert rated == periods.count(period)
    summaries.summaries_reconcile()
    for period in sorted(set(periods)):
        for org in organizations:
            data = summary_read(organization=org, year=YEAR, period=period)
            assert not data["stale"] and without_freshness(data) == recount(org, YEAR, period), (org.code, period)
    assert settings.CELERY_BROKER_URL  # the test process itself was configured with a broker, not eager
