"""A real Celery worker against Redis and PostgreSQL, with parallel writer processes: summaries end exact."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.db.models import F

from assessments.models import Kind, Organization, Summary
from assessments.selectors import summary_read
from assessments.summaries import recompute as summaries
from tests.factories import MemberFactory, OrganizationFactory
from tests.real_services import ROOT, Worker, needs_postgres_and_redis, process_env, redis_queues_clear, wait_until
from tests.summary_reference import recount, without_freshness

YEAR = 2017
COMMUNES = 4

pytestmark = [pytest.mark.integration, needs_postgres_and_redis]


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

    redis_queues_clear()
    env = process_env()
    worker = Worker(env, tmp_path / "worker.log", "summ-test", pool="prefork", concurrency=2)
    try:
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

        wait_until(
            lambda: not Summary.objects.filter(year=YEAR).exclude(version=F("computed_version")).exists(),
            120,
            "every summary to absorb the committed changes",
        )
        runs = worker.text().count("summaries_recompute_task[") // 2  # received + succeeded lines
        print(f"{writes} writes in {COMMUNES} parallel processes, about {runs} recompute runs")
    finally:
        worker.stop()

    text = worker.text()
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
