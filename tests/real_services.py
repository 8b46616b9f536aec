"""What the tests that run real processes share (a Celery worker, writer processes, a private Redis): the skip when
PostgreSQL and Redis are not configured, the test database's URL for a child process, waiting for a condition,
and a worker subprocess that is always stopped."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
BROKER = os.environ.get("CELERY_BROKER_URL", "")

needs_postgres_and_redis = pytest.mark.skipif(
    not (os.environ.get("DATABASE_URL", "").startswith("postgres") and BROKER.startswith("redis")),
    reason="needs PostgreSQL in DATABASE_URL and Redis in CELERY_BROKER_URL (as .ci/run sets them)",
)


def cache_url() -> str:
    return os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or BROKER


def database_url() -> str:
    """The test database, which a worker and writer processes must use too."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def process_env(broker: str = "", cache: str = "", **extra) -> dict:
    """The environment of a child process on the test database, the broker and the cache."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bacson.settings",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker or BROKER,
        "CACHE_URL": cache or cache_url(),
        **extra,
    }


def redis_queues_clear(*urls: str) -> None:
    """Drop queued messages and coalescing keys left by an earlier run in the same Redis databases."""
    import redis

    for url in set(urls or (cache_url(), BROKER)):
        client = redis.Redis.from_url(url)
        for key in client.scan_iter(match="*summaries:pending:*"):
            client.delete(key)
        client.delete("celery")


def wait_until(predicate, timeout: float, what: str, *, every: float = 0.25) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class Worker:
    """A Celery worker subprocess, started and waited for until ready; `stop()` always ends it. The solo pool (the
    default) runs the task in the worker's own process, so a SIGKILL stops the task itself."""

    def __init__(self, env: dict, log: Path, name: str, *, pool: str = "solo", concurrency: int = 1):
        self.log = log
        celery = str(Path(sys.executable).with_name("celery"))
        pool_args = [f"--pool={pool}"] + ([f"--concurrency={concurrency}"] if pool != "solo" else [])
        self.process = subprocess.Popen(
            [celery, "-A", "bacson", "worker", *pool_args, "--loglevel=INFO", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "-n", f"{name}-{os.getpid()}@%h", f"--logfile={log}"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_until(lambda: log.exists() and "ready." in log.read_text(), 60, f"worker {name} to start")

    def text(self) -> str:
        return self.log.read_text() if self.log.exists() else ""

    def stop(self, sig=signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
