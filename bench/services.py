"""The processes a benchmark measures, started as docs/operations.md deploys them: gunicorn, Celery workers, beat.

Each runs with `bench.settings` (production settings over plain HTTP, the bench URLconf with the API floor), the
benchmark's database, Redis databases of its own (broker 10, cache 11: the tests use 14 and 15) and a scratch
MEDIA_ROOT. `cpu_seconds()` reads /proc to split the machine's CPU time between them, PostgreSQL and the rest.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REDIS_HOST = os.environ.get("BENCH_REDIS_HOST", "127.0.0.1")
BROKER_DB, CACHE_DB = 10, 11
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_flush() -> None:
    """Empty the bench's broker and cache databases: no task or coalescing key of an earlier run survives."""
    import redis

    for db in (BROKER_DB, CACHE_DB):
        redis.Redis(host=REDIS_HOST, port=6379, db=db).flushdb()


class Stack:
    """gunicorn (and, with `celery_workers`, that many workers of `--concurrency=2` plus one beat) until stop()."""

    def __init__(self, *, gunicorn_workers: int = 3, celery_workers: int = 0, broker: bool = False):
        self.gunicorn_workers = gunicorn_workers
        self.celery_workers = celery_workers
        self.broker = broker or celery_workers > 0
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.tmp = tempfile.TemporaryDirectory(prefix="bench-stack-")
        self.processes: dict[str, subprocess.Popen] = {}
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "CONN_MAX_AGE": "60",
            "MEDIA_ROOT": str(Path(self.tmp.name) / "media"),
            "LOG_LEVEL": "WARNING",
        }
        if self.broker:
            self.env["CELERY_BROKER_URL"] = f"redis://{REDIS_HOST}:6379/{BROKER_DB}"
            self.env["CACHE_URL"] = f"redis://{REDIS_HOST}:6379/{CACHE_DB}"

    def _start(self, name: str, args: list[str]) -> None:
        log = open(Path(self.tmp.name) / f"{name}.log", "wb")  # noqa: SIM115 - closed with the directory
        self.processes[name] = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def log_text(self, name: str) -> str:
        path = Path(self.tmp.name) / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def start(self) -> "Stack":
        if self.broker:
            redis_flush()
        # As docs/operations.md: `gunicorn bacson.wsgi:application --workers 3 --timeout 60`.
        self._start(
            "gunicorn",
            [sys.executable, "-m", "gunicorn", "bacson.wsgi:application", "--bind", f"127.0.0.1:{self.port}"]
            + ["--workers", str(self.gunicorn_workers), "--timeout", "60", "--log-level", "warning"],
        )
        celery = [sys.executable, "-m", "celery", "-A", "bacson"]
        for i in range(self.celery_workers):
            # As docs/operations.md: `celery -A bacson worker --loglevel=INFO --concurrency=2`, one per node.
            self._start(
                f"worker{i + 1}",
                celery
                + ["worker", "--loglevel=INFO", "--concurrency=2", "-n", f"bench{i + 1}@%h", "--without-mingle"]
                + ["--without-gossip"],
            )
        if self.celery_workers:
            schedule = str(Path(self.tmp.name) / "celerybeat-schedule")
            self._start("beat", celery + ["beat", "--loglevel=INFO", "--schedule", schedule])
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with {process.returncode}:\n{self.log_text(name)[-3000:]}")
            try:
                # http://127.0.0.1 built above, never a user's URL.
                with urllib.request.urlopen(self.base + "/bench/floor/", timeout=5) as response:  # noqa: S310
                    web = response.status == 200
            except OSError:
                web = False
            workers = all("ready." in self.log_text(f"worker{i + 1}") for i in range(self.celery_workers))
            if web and workers:
                return
            time.sleep(0.2)
        raise RuntimeError("gunicorn or the Celery workers were not ready within 60 s")

    def pids(self) -> dict[str, list[int]]:
        """Process ids by role, children included (gunicorn's and Celery's forked workers)."""
        found: dict[str, list[int]] = {}
        for name, process in self.processes.items():
            role = "worker" if name.startswith("worker") else name
            found.setdefault(role, []).extend(_tree(process.pid))
        return found

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for name, process in self.processes.items():
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
                print(f"   {name} did not stop on SIGTERM within 60 s and was killed", flush=True)
        self.tmp.cleanup()

    def __enter__(self) -> "Stack":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _tree(pid: int) -> list[int]:
    tree, found, todo = _children(), [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(tree.get(current, []))
    return found


def _process_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime, stime, cutime, cstime: the children's times count once they have been waited for.
    return sum(int(f) for f in fields[11:15]) / CLOCK_TICKS


def cpu_seconds(roles: dict[str, list[int]]) -> dict[str, float]:
    """CPU seconds used so far by each role, by PostgreSQL's processes, by this process and by the whole machine."""
    result = {role: sum(_process_cpu(pid) for pid in pids) for role, pids in roles.items()}
    postgres = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    postgres += _process_cpu(int(entry.name))
            except OSError:
                continue
    result["postgres"] = postgres
    result["bench clients"] = _process_cpu(os.getpid())
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    total = [int(f) for f in fields]
    result["machine busy"] = (sum(total) - total[3] - total[4]) / CLOCK_TICKS  # minus idle and iowait
    return result
