"""Faults on PostgreSQL and Redis: the broker dies during a burst, a worker dies mid-recompute, an import loses its
database connection. Every write that returned stays, nothing is half written, and the summaries end exact."""

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.db import connection
from django.db.models import F

from assessments.models import Kind, Member, MemberAssessment, Organization, RatingLevel, Summary
from assessments.selectors import summary_read
from assessments.summaries import recompute as summaries
from tests.factories import MemberFactory, OrganizationFactory, province_and_district
from tests.real_services import BROKER, ROOT, Worker, needs_postgres_and_redis, process_env, wait_until
from tests.summary_reference import recount, without_freshness

YEAR = 2017

pytestmark = [pytest.mark.integration, needs_postgres_and_redis]


# --- helpers ---------------------------------------------------------------------------------------------------


def _raw_connection():
    db = connection.settings_dict
    raw = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"] or None, host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )  # fmt: skip
    raw.autocommit = True
    return raw


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OwnRedis:
    """A private redis-server for one test: the machine's shared Redis on 6379 is never stopped."""

    def __init__(self, tmp_path: Path):
        self.port = _free_port()
        self.tmp_path = tmp_path
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.tmp_path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        client = redis.Redis(port=self.port)

        def answers() -> bool:
            try:
                return client.ping()
            except redis.ConnectionError:
                return False

        wait_until(answers, 20, f"redis-server on port {self.port}")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _district(members_per_cell: int = 6) -> dict:
    ls, bs = province_and_district()
    communes = []
    for c in range(2):
        commune = OrganizationFactory(code=f"BS-XA-{c}", kind=Kind.GRASSROOTS_COMMITTEE, parent=bs)
        communes.append(commune)
        for k in range(2):
            cell = OrganizationFactory(code=f"BS-XA-{c}-{k}", kind=Kind.CELL, parent=commune)
            MemberFactory.create_batch(members_per_cell, organization=cell)
    return {"LS": ls, "BS": bs, "communes": communes}


def _assert_exact() -> None:
    for org in Organization.objects.all():
        data = summary_read(organization=org, year=YEAR)
        assert not data["stale"], org.code
        assert without_freshness(data) == recount(org, YEAR), org.code


def _all_fresh() -> bool:
    return not Summary.objects.filter(year=YEAR).exclude(version=F("computed_version")).exists()


# --- Redis stopped during a burst of submissions ---------------------------------------------------------------

BURST = """
import os, sys, time
import django
django.setup()
from assessments import services
from assessments.models import Member, MemberAssessment, RatingLevel
levels = list(RatingLevel.objects.filter(scheme__code="hd27-2014", subject="member").order_by("rank"))
for i, member in enumerate(Member.objects.order_by("pk")):
    assessment = MemberAssessment(member=member, year=2017, organization=member.organization, level=levels[i % 3])
    services.member_assessment_save(assessment=assessment, actor=None)  # raises if the write itself failed
    print("saved", member.pk, flush=True)
    time.sleep(0.15)
print("done", flush=True)
"""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_redis_dying_during_a_burst_loses_no_write_and_reconciliation_makes_summaries_exact(tmp_path):
    _district()
    summaries.summaries_recompute_year(year=YEAR)
    redis_server = OwnRedis(tmp_path)
    redis_server.start()
    env = process_env(f"{redis_server.url}/0", f"{redis_server.url}/1")
    worker = Worker(env, tmp_path / "worker.log", "burst")
    try:
        errors = tmp_path / "writer.err"
        with errors.open("w") as stderr:  # a file, not a pipe: the warnings while Redis is down are long
            writer = subprocess.Popen(
                [sys.executable, "-c", BURST], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True
            )
            saved = []
            for line in writer.stdout:
                saved.append(line.split()[-1])
                if len(saved) == 6:
                    redis_server.kill()  # broker and cache gone in the middle of the burst
            writer.wait(timeout=120)
        err = errors.read_text()
        assert writer.returncode == 0, err[-3000:]
        assert saved[-1] == "done"
        members = Member.objects.count()
        # Every submission committed, including those made while Redis was down.
        assert MemberAssessment.objects.filter(year=YEAR).count() == members == len(saved) - 1
        assert "Could not queue the summary recompute" in err
        assert summary_read(organization=Organization.objects.get(code="BS"), year=YEAR)["stale"] is True

        redis_server.start()  # an empty Redis again (no persistence): queued tasks are gone
        reconcile = subprocess.run(
            [sys.executable, "-c", "import django; django.setup(); "
             "from assessments.summaries.tasks import summaries_reconcile_task; summaries_reconcile_task.delay()"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert reconcile.returncode == 0, reconcile.stderr[-3000:]
        wait_until(_all_fresh, 120, "the reconciliation, run by the worker, to absorb every change")
    finally:
        worker.stop()
        redis_server.kill()
    assert "summaries_reconcile_task" in worker.text()
    _assert_exact()


# --- a worker killed in the middle of a recompute --------------------------------------------------------------


def _blocked_backends(raw) -> int:
    with raw.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_killed_mid_recompute_leaves_the_task_to_run_again_and_the_result_exact(tmp_path):
    district = _district()
    summaries.summaries_recompute_year(year=YEAR)
    redis_server = OwnRedis(tmp_path)
    redis_server.start()
    # Short visibility timeout: the killed worker's unacknowledged task is handed to the next worker soon.
    env = process_env(f"{redis_server.url}/0", f"{redis_server.url}/1", CELERY_VISIBILITY_TIMEOUT="3")
    good = RatingLevel.objects.get(scheme__code="hd27-2014", subject="member", code="good")
    # The change and its queued task: written by a web process that uses our Redis.
    change = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n"
         "from assessments import services\nfrom assessments.models import Member, MemberAssessment\n"
         "for m in Member.objects.filter(organization__path__startswith='LS/BS/BS-XA-0/'):\n"
         f"    services.member_assessment_save(assessment=MemberAssessment(member=m, year={YEAR}, "
         f"organization=m.organization, level_id={good.pk}), actor=None)\n"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert change.returncode == 0, change.stderr[-3000:]
    assert summary_read(organization=district["BS"], year=YEAR)["stale"] is True

    # Slow the recompute down: another session holds the summary rows, so the task waits on their lock.
    blocker = _raw_connection()
    blocker.autocommit = False
    with blocker.cursor() as cursor:
        cursor.execute("SELECT id FROM assessments_summary WHERE year = %s FOR UPDATE", [YEAR])
    watcher = _raw_connection()
    first = second = None
    try:
        first = Worker(env, tmp_path / "first.log", "first")
        wait_until(lambda: _blocked_backends(watcher) > 0, 60, "the recompute to wait on the summary rows")
        assert "summaries_recompute_task" in first.text() and "succeeded" not in first.text()
        first.stop(signal.SIGKILL)  # killed mid-task: the message was never acknowledged
        blocker.rollback()
        assert summary_read(organization=district["BS"], year=YEAR)["stale"] is True

        second = Worker(env, tmp_path / "second.log", "second")
        wait_until(_all_fresh, 120, "the redelivered task to run on the second worker")
    finally:
        blocker.close()
        watcher.close()
        for worker in (first, second):
            if worker is not None:
                worker.stop()
        redis_server.kill()
    assert "summaries_recompute_task" in second.text() and "succeeded" in second.text()
    _assert_exact()


# --- the database connection lost during an import -------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_import_that_loses_its_database_connection_writes_nothing_and_says_so(tmp_path):
    ls = OrganizationFactory(code="LS", name="Đảng bộ tỉnh Lạng Sơn", kind=Kind.PROVINCE, sector="")
    cell = OrganizationFactory(code="LS-CB", kind=Kind.GRASSROOTS_CELL, parent=ls)
    Member.objects.bulk_create(
        Member(card_number=f"{900000 + i}", full_name=f"Nông Văn {i}", name_folded=f"nong van {i}",
               status="official", organization=cell)
        for i in range(20_000)
    )  # fmt: skip
    path = tmp_path / "member_ratings.csv"
    lines = ["card_number,year,organization_code,level,not_rated_reason"]
    lines += [f"{900000 + i},{YEAR},LS-CB,{'good' if i % 5 else 'completed'}," for i in range(20_000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    app = f"bacson-import-fault-{os.getpid()}"
    env = process_env(BROKER, os.environ.get("CACHE_URL", BROKER), PGAPPNAME=app)
    importer = subprocess.Popen(
        [sys.executable, "manage.py", "import_data", "member_ratings", str(path)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    killer = _raw_connection()

    def writing() -> bool:
        # The import's backend inside its write transaction, with rows already inserted (not yet visible to us).
        with killer.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE application_name = %s AND xact_start IS NOT NULL "
                "AND query ILIKE 'INSERT INTO \"assessments_memberassessment\"%%'",
                [app],
            )
            row = cursor.fetchone()
        if row:
            with killer.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [row[0]])
            return True
        return importer.poll() is not None

    try:
        wait_until(writing, 180, "the import to start writing")
        out, err = importer.communicate(timeout=120)
    finally:
        killer.close()
        if importer.poll() is None:
            importer.kill()
    assert importer.poll() is not None
    assert importer.returncode != 0, "the import finished before the connection could be cut: make the file larger"
    assert MemberAssessment.objects.count() == 0  # nothing partially written
    message = out + err
    assert "Lỗi cơ sở dữ liệu, không ghi gì" in message or "cơ sở dữ liệu" in message, message[-3000:]
    assert "Traceback" not in message, message[-3000:]
