"""Deadline day: commune secretaries uploading their member ratings through the pages while others read dashboards.

The stack is deployed as docs/operations.md says (bench/services.py): gunicorn with 3 workers, Celery workers of
`--concurrency=2` with a beat, PostgreSQL and Redis. Each of `secretaries` client threads is the secretary of one
commune of about 150 rated members: it logs in once, then for `seconds` uploads its commune's member-ratings CSV
(every member re-rated, a new pattern each time) through the upload page, opens the preview and confirms, as a
person would. `readers` more threads are officers reloading their dashboards. Beside them a monitor on its own
database connection follows every confirmed import until each of its summaries (cells, commune and every
ancestor up to the province, the top of the tree: there is no country row) is fresh with a version at least the
one the import's commit left (read right after the confirm answered, so a later import's bump makes the wait
longer, never shorter). At the end, once the queue is empty, every touched summary is compared with a direct
recount of the rating rows.
"""

import json
import queue
import random
import re
import threading
import time

from bench.services import Stack, cpu_seconds
from bench.stats import percentile

PASSWORD = "bench-deadline-password"  # noqa: S105 - the synthetic accounts of the bench database only
LEVELS = ["excellent", "good", "good", "good", "good", "good", "good", "good", "completed", "not_completed"]
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def prepare(*, secretaries: int, readers: int, scale: str) -> dict:
    """Communes of 120-180 ratings spread over the tree (deterministic), their secretaries, the readers."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from assessments.models import Organization, Role, User
    from assessments.summaries.recompute import organizations_with_ancestors, summaries_recompute_year
    from bench.generate import YEAR

    summaries_recompute_year(year=YEAR)  # the day starts with every summary fresh

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT g.id, g.code, COUNT(*) FROM assessments_organization g
               JOIN assessments_organization c ON c.parent_id = g.id
               JOIN assessments_memberassessment a ON a.organization_id = c.id AND a.year = %s AND a.period = ''
               WHERE g.kind = 'grassroots_committee'
               GROUP BY g.id HAVING COUNT(*) BETWEEN 120 AND 180 ORDER BY md5(g.code) LIMIT %s""",
            [YEAR, secretaries],
        )
        communes = cursor.fetchall()
    if len(communes) < secretaries:
        raise RuntimeError(f"only {len(communes)} communes of 120-180 ratings at this scale, {secretaries} needed")
    encoded = make_password(PASSWORD)  # one hash for all: 1,000,000 PBKDF2 rounds each would take minutes
    plan = {"secretaries": [], "readers": []}
    for commune_id, code, size in communes:
        username = f"bench_sec_{code.lower()}"
        User.objects.update_or_create(
            username=username,
            defaults={"role": Role.SECRETARY, "organization_id": commune_id, "password": encoded, "is_active": True},
        )
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT m.card_number, c.code, c.id FROM assessments_memberassessment a
                   JOIN assessments_member m ON m.id = a.member_id
                   JOIN assessments_organization c ON c.id = a.organization_id
                   WHERE a.year = %s AND a.period = '' AND c.parent_id = %s ORDER BY m.card_number""",
                [YEAR, commune_id],
            )
            rows = cursor.fetchall()
        targets = organizations_with_ancestors({cell_id for _card, _code, cell_id in rows})
        plan["secretaries"].append(
            {"username": username, "commune": code, "rows": [r[:2] for r in rows], "targets": targets, "size": size}
        )
    # Readers: officers of the first province and of districts, as the province and its districts follow the day.
    reader_codes = ["P01"] + list(
        Organization.objects.filter(path__startswith="P01/", depth=1).order_by("path").values_list("code", flat=True)
    )
    if scale == "district":
        reader_codes = ["P01-D01"]
    for i in range(readers):
        code = reader_codes[i % len(reader_codes)]
        username = f"bench_reader_{i}"
        User.objects.update_or_create(
            username=username,
            defaults={
                "role": Role.OFFICER,
                "organization": Organization.objects.get(code=code),
                "password": encoded,
                "is_active": True,
            },
        )
        plan["readers"].append({"username": username, "organization": code})
    return plan


def _csv(rows: list[tuple[str, str]], shift: int) -> bytes:
    from bench.generate import SCORE_HEADER, YEAR, file_scores

    lines = [",".join(["card_number", "year", "organization_code", "level", "not_rated_reason", *SCORE_HEADER])]
    for i, (card, cell) in enumerate(rows):
        level = LEVELS[(i + shift) % len(LEVELS)]
        lines.append(",".join([card, str(YEAR), cell, level, "", *file_scores(level)]))
    return ("\n".join(lines) + "\n").encode()


def _first_file_changes(secretaries: list[dict], salt: int) -> list[int]:
    """Per secretary, the shift that makes the first file of a run rate the first member otherwise than stored: the
    level pattern repeats every len(LEVELS) files, so on reused data a run's first file could equal the last one
    stored, and a file that changes nothing offers no confirm. Each later file shifts every row again."""
    from assessments.models import MemberAssessment
    from bench.generate import YEAR

    firsts = [who["rows"][0][0] for who in secretaries]
    stored = dict(
        MemberAssessment.objects.filter(member__card_number__in=firsts, year=YEAR, period="").values_list(
            "member__card_number", "level__code"
        )
    )
    offsets = []
    for index, card in enumerate(firsts):
        offset = 0
        while LEVELS[(salt + index + 1 + offset) % len(LEVELS)] == stored.get(card):
            offset += 1
        offsets.append(offset)
    return offsets


def _login(session, base: str, username: str) -> None:
    page = session.get(f"{base}/accounts/login/", timeout=60)
    token = CSRF_INPUT.search(page.text).group(1)
    response = session.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=60,
    )
    if response.status_code != 302:
        raise RuntimeError(f"login of {username} answered {response.status_code}")


class Monitor(threading.Thread):
    """Follows each confirmed import until its summaries are fresh at or past the version its commit left."""

    def __init__(self, dsn: str, year: int, stack: Stack):
        super().__init__(daemon=True)
        self.dsn, self.year, self.stack = dsn, year, stack
        self.inbox: queue.Queue = queue.Queue()
        self.pending: list[dict] = []
        self.freshness: list[float] = []
        self.failed_imports = 0
        self.lock_waits: list[int] = []
        self.running = True

    def run(self) -> None:
        import psycopg2

        connection = psycopg2.connect(self.dsn)
        connection.autocommit = True
        cursor = connection.cursor()
        samples = 0
        while self.running or self.pending or not self.inbox.empty():
            while not self.inbox.empty():
                item = self.inbox.get()
                cursor.execute(
                    "SELECT organization_id, version FROM assessments_summary WHERE year = %s AND period = '' "
                    "AND organization_id = ANY(%s)",
                    [self.year, item["targets"]],
                )
                item["versions"] = dict(cursor.fetchall())
                cursor.execute("SELECT status FROM assessments_importrecord WHERE id = %s", [item["record"]])
                if cursor.fetchone()[0] != "succeeded":
                    self.failed_imports += 1
                self.pending.append(item)
            if self.pending:
                ids = sorted({pk for item in self.pending for pk in item["targets"]})
                cursor.execute(
                    "SELECT organization_id, computed_version FROM assessments_summary WHERE year = %s AND period = '' "
                    "AND organization_id = ANY(%s)",
                    [self.year, ids],
                )
                computed = dict(cursor.fetchall())
                now = time.monotonic()
                still = []
                for item in self.pending:
                    if all(computed.get(pk, 0) >= v for pk, v in item["versions"].items()):
                        self.freshness.append(now - item["committed"])
                    else:
                        still.append(item)
                self.pending = still
            samples += 1
            if samples % 4 == 0:  # what the database's sessions wait on: row locks between writers show here
                cursor.execute(
                    "SELECT COUNT(*) FROM pg_stat_activity "
                    "WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
                self.lock_waits.append(cursor.fetchone()[0])
            if not self.running and time.monotonic() > self.drain_until:
                break
            time.sleep(0.025)
        connection.close()

    def finish(self, timeout: float) -> None:
        self.drain_until = time.monotonic() + timeout
        self.running = False
        self.join(timeout + 10)


def lost_updates(year: int, targets: set[int]) -> tuple[int, list]:
    """Summaries of the touched organizations that are stale or differ from a direct recount of the rating rows."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT t.id, l.code, l.is_good_or_better, COUNT(a.id), COUNT(a.level_id)
               FROM assessments_organization t
               JOIN assessments_organization c ON c.path LIKE t.path || '%%'
               JOIN assessments_memberassessment a ON a.organization_id = c.id AND a.year = %s AND a.period = ''
               LEFT JOIN assessments_ratinglevel l ON l.id = a.level_id
               WHERE t.id = ANY(%s) GROUP BY 1, 2, 3""",
            [year, sorted(targets)],
        )
        expected: dict[int, dict] = {}
        for pk, code, good, n, rated in cursor.fetchall():
            counts = expected.setdefault(pk, {"total": 0, "rated": 0, "good": 0, "levels": {}})
            counts["total"] += n
            counts["rated"] += rated
            counts["good"] += n if good else 0
            if code:
                counts["levels"][code] = n
        cursor.execute(
            """SELECT organization_id, members_total, members_rated, members_good_or_better, member_levels,
                      version <> computed_version
               FROM assessments_summary WHERE year = %s AND period = '' AND organization_id = ANY(%s)""",
            [year, sorted(targets)],
        )
        stored = {row[0]: row[1:] for row in cursor.fetchall()}
    wrong = []
    for pk in sorted(targets):
        want = expected.get(pk, {"total": 0, "rated": 0, "good": 0, "levels": {}})
        row = stored.get(pk)
        if row is None:
            wrong.append((pk, "no summary row"))
            continue
        total, rated, good, levels, stale = row
        levels = json.loads(levels) if isinstance(levels, str) else levels
        got = {"total": total, "rated": rated, "good": good, "levels": {c: n for c, n in levels if n}}
        if stale or got != want:
            wrong.append((pk, {"stale": stale, "stored": got, "recount": want}))
    return len(wrong), wrong[:5]


def run(*, plan: dict, workers: int, seconds: float, dsn: str, log, salt: int) -> dict:
    """One deadline run with `workers` Celery workers; returns its keys (suffix added by the caller)."""
    import requests

    from bench.generate import YEAR

    secretaries, readers = plan["secretaries"], plan["readers"]
    log(
        f"== deadline: {len(secretaries)} secretaries uploading ~{secretaries[0]['size']} ratings each, "
        f"{len(readers)} dashboard readers, {workers} Celery worker(s), {seconds:.0f} s"
    )
    offsets = _first_file_changes(secretaries, salt)
    with Stack(gunicorn_workers=3, celery_workers=workers) as stack:
        base = stack.base
        monitor = Monitor(dsn, YEAR, stack)
        monitor.start()
        confirms, uploads, previews, dashboards, errors = [], [], [], [], []
        files = [0]
        lock = threading.Lock()
        ready = threading.Barrier(len(secretaries) + len(readers) + 1)
        stop_at = [0.0]

        def secretary(index: int, who: dict) -> None:
            session = requests.Session()
            try:
                _login(session, base, who["username"])
            finally:
                ready.wait()
            n = 0
            while time.monotonic() < stop_at[0]:
                n += 1
                try:
                    page = session.get(f"{base}/imports/", timeout=60)
                    token = CSRF_INPUT.search(page.text).group(1)
                    body = _csv(who["rows"], shift=salt + index + n + offsets[index])
                    started = time.perf_counter()
                    response = session.post(
                        f"{base}/imports/",
                        data={"data_type": "member_ratings", "csrfmiddlewaretoken": token},
                        files={"file": (f"{who['commune']}-{n}.csv", body, "text/csv")},
                        allow_redirects=False,
                        timeout=60,
                    )
                    uploaded = time.perf_counter()
                    if response.status_code != 302:
                        raise RuntimeError(f"upload answered {response.status_code}")
                    preview_url = base + response.headers["Location"]
                    record = int(preview_url.rstrip("/").rsplit("/", 1)[1])
                    page = session.get(preview_url, timeout=60)
                    previewed = time.perf_counter()
                    if f"/imports/{record}/confirm/" not in page.text:
                        raise RuntimeError(f"preview of import {record} offers no confirm button")
                    response = session.post(
                        f"{preview_url}confirm/", data={"csrfmiddlewaretoken": token}, allow_redirects=False, timeout=60
                    )
                    confirmed = time.perf_counter()
                    committed = time.monotonic()
                    if response.status_code != 302:
                        raise RuntimeError(f"confirm answered {response.status_code}")
                    monitor.inbox.put({"record": record, "targets": who["targets"], "committed": committed})
                    with lock:
                        uploads.append((uploaded - started) * 1000)
                        previews.append((previewed - uploaded) * 1000)
                        confirms.append((confirmed - previewed) * 1000)
                        files[0] += 1
                except Exception as error:  # counted and shown; the client goes on like a person would
                    with lock:
                        errors.append(f"{who['username']}: {type(error).__name__}: {error}")

        def reader(who: dict) -> None:
            session = requests.Session()
            try:
                _login(session, base, who["username"])
                session.get(f"{base}/?year={YEAR}", timeout=60)
            finally:
                ready.wait()
            while time.monotonic() < stop_at[0]:
                started = time.perf_counter()
                response = session.get(f"{base}/?year={YEAR}", timeout=60)
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    if response.status_code == 200:
                        dashboards.append(elapsed)
                    else:
                        errors.append(f"{who['username']}: dashboard {response.status_code}")

        threads = [threading.Thread(target=secretary, args=(i, s)) for i, s in enumerate(secretaries)]
        threads += [threading.Thread(target=reader, args=(r,)) for r in readers]
        stop_at[0] = time.monotonic() + 3600  # replaced once everyone has logged in
        for thread in threads:
            thread.start()
        ready.wait()
        cpu_before = cpu_seconds(stack.pids())
        started = time.monotonic()
        stop_at[0] = started + seconds
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
        cpu_after = cpu_seconds(stack.pids())
        monitor.finish(timeout=120)
        unfinished = len(monitor.pending) + monitor.inbox.qsize()
    targets = {pk for who in secretaries for pk in who["targets"]}
    lost, examples = lost_updates(YEAR, targets)
    cpu = {role: round(cpu_after[role] - cpu_before.get(role, 0.0), 1) for role in cpu_after}
    result = {
        "deadline_files_per_s": round(files[0] / wall, 2),
        "deadline_upload_p95_ms": round(percentile(uploads, 95), 1) if uploads else None,
        "deadline_preview_p95_ms": round(percentile(previews, 95), 1) if previews else None,
        "deadline_confirm_p95_ms": round(percentile(confirms, 95), 1) if confirms else None,
        "freshness_p50_s": round(percentile(monitor.freshness, 50), 2) if monitor.freshness else None,
        "freshness_p95_s": round(percentile(monitor.freshness, 95), 2) if monitor.freshness else None,
        "deadline_dashboard_p95_ms": round(percentile(dashboards, 95), 1) if dashboards else None,
        "lost_updates": lost,
    }
    extra = {
        "files": files[0],
        "wall_s": round(wall, 1),
        "errors": len(errors),
        "error_examples": errors[:3],
        "failed_imports": monitor.failed_imports,
        "not_fresh_after_drain": unfinished,
        "lost_examples": examples,
        "dashboard_requests": len(dashboards),
        "cpu_seconds": cpu,
        "lock_waiters_mean": round(sum(monitor.lock_waits) / max(len(monitor.lock_waits), 1), 2),
        "lock_waiters_max": max(monitor.lock_waits, default=0),
    }
    log(f"   {result}")
    log(f"   {extra}")
    if errors:
        log(f"   first errors: {errors[:3]}")
    return result | {"_extra": extra}


def shuffle_salt() -> int:
    """A different rating pattern on every run, so that a re-run over reused data changes ratings too."""
    return random.SystemRandom().randrange(1000)
