"""On the default SQLite set-up, parallel writers (opening years, uploading review documents, importing) wait for
each other instead of failing with "database is locked": no request answers 500 and every write is kept."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Runs in its own process: the tests' database is SQLite in memory, where locking differs from the file that a
# real installation uses. The requests go through the whole stack (middleware, views, services) in threads.
SCRIPT = r"""
import datetime, json, threading
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)

from django.db import connections
from django.test import Client
from assessments.cycle import services as cycle_services
from assessments.models import Kind, ReviewDocument, Role, Sector, YearCycle
from tests.cycle_factories import pdf_bytes, upload
from tests.factories import OrganizationFactory, UserFactory

ls = OrganizationFactory(code="LS", kind=Kind.PROVINCE, sector="")
district = OrganizationFactory(code="BS", kind=Kind.DISTRICT, sector="", parent=ls)
for i in range(3):
    OrganizationFactory(code=f"BS-X{i}", kind=Kind.GRASSROOTS_COMMITTEE, sector=Sector.COMMUNE, parent=district)
officer = UserFactory(username="binh", role=Role.OFFICER, organization=district)
cycle_services.year_open(organization=district, year=2025, deadline=datetime.date(2025, 12, 15), actor=officer)

THREADS, ROUNDS = 6, 4
clients = []
for _ in range(THREADS):
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    clients.append(client)
statuses, start = [], threading.Barrier(THREADS)

def writer(n):
    client = clients[n]
    start.wait()
    try:
        for r in range(ROUNDS):
            code = f"BS-X{(n + r) % 3}"
            document = upload(f"bao-cao-{n}-{r}.pdf", pdf_bytes(b"x" * 2000))
            statuses.append(client.post(f"/portal/{code}/2025/document/", {"file": document}).status_code)
            if r == 0:
                year = 2019 + n  # six years, one per thread
                form = {"organization": district.pk, "year": year, "deadline": f"{year}-12-15"}
                statuses.append(client.post("/cycle/", form).status_code)
    finally:
        connections.close_all()

threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
versions = {}
for submission_id, version in ReviewDocument.objects.values_list("submission_id", "version"):
    versions.setdefault(submission_id, []).append(version)
print(json.dumps({
    "statuses": statuses,
    "documents": ReviewDocument.objects.count(),
    "versions_distinct": all(sorted(v) == list(range(1, len(v) + 1)) for v in versions.values()),
    "years": sorted(YearCycle.objects.values_list("year", flat=True)),
}))
"""


def run_on_a_sqlite_file(script: str, tmp_path: Path, **extra: str) -> tuple[dict, str]:
    local = ("DJANGO_", "DATABASE_URL", "CELERY_BROKER", "CACHE_URL", "REDIS_URL")  # SQLite, eager tasks, local cache
    env = {k: v for k, v in os.environ.items() if not k.startswith(local)}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bacson.settings_test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "MEDIA_ROOT": str(tmp_path / "media"),
            **extra,
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr


def test_parallel_writers_wait_instead_of_failing(db, tmp_path):
    outcome, stderr = run_on_a_sqlite_file(SCRIPT, tmp_path)
    statuses = outcome["statuses"]
    assert 500 not in statuses, (statuses, stderr[-3000:])
    assert statuses.count(302) == len(statuses) == 6 * 4 + 6  # every upload and every year opened
    assert outcome["documents"] == 24 and outcome["versions_distinct"]
    assert outcome["years"] == [2019, 2020, 2021, 2022, 2023, 2024, 2025]


BUSY = r"""
import json, sqlite3
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
from assessments.models import Kind, Role, YearCycle
from tests.factories import OrganizationFactory, UserFactory

ls = OrganizationFactory(code="LS", kind=Kind.PROVINCE, sector="")
district = OrganizationFactory(code="BS", kind=Kind.DISTRICT, sector="", parent=ls)
officer = UserFactory(username="binh", role=Role.OFFICER, organization=district)
client = Client(raise_request_exception=False)
client.force_login(officer)
form = {"organization": district.pk, "year": 2024, "deadline": "2024-12-15"}

other = sqlite3.connect(settings.DATABASES["default"]["NAME"])
other.execute("BEGIN IMMEDIATE")  # another writer that does not finish within SQLITE_BUSY_TIMEOUT
busy = client.post("/cycle/", form)
api = client.get("/api/v1/token/")  # a read still works while the writer holds the lock
other.rollback()
again = client.post("/cycle/", form)
print(json.dumps({
    "busy": [busy.status_code, busy.get("Retry-After"), busy.content.decode()],
    "read": api.status_code,
    "again": again.status_code,
    "years": list(YearCycle.objects.values_list("year", flat=True)),
}))
"""


def test_a_writer_still_locked_out_after_its_wait_gets_503_try_again(db, tmp_path):
    outcome, _stderr = run_on_a_sqlite_file(BUSY, tmp_path, SQLITE_BUSY_TIMEOUT="1")
    status, retry_after, html = outcome["busy"]
    assert (status, retry_after) == (503, "30")
    assert "Hãy thử lại sau ít phút" in html
    assert outcome["read"] == 200
    assert (outcome["again"], outcome["years"]) == (302, [2024])
