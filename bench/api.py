"""The summary API against its floor: the same gunicorn workers and client threads, requests interleaved.

The client threads run alternating blocks of summary requests and of requests to /bench/floor/ (bench/urls.py:
the same middleware and WSGI path, no view work, no query), so both see the same server, clients and
neighbours; `api_ratio` is the summary's p95 over the floor's.
"""

import http.client
import random
import threading
import time

from bench.services import Stack
from bench.stats import percentile

FLOOR_PATH = "/bench/floor/"
BLOCKS = 5


def measure_api(*, requests: int, seconds: float, clients: int, workers: int, log, detail: dict) -> dict:
    from assessments.api.tokens import token_create
    from assessments.models import Organization
    from bench.generate import YEAR
    from bench.steps import scope_user

    log(f"== summary API and its floor: {clients} clients, gunicorn with {workers} workers, {requests} requests each")
    log(f"   in {BLOCKS} alternating blocks of summary and floor requests, at most {seconds:.0f} s")
    user = scope_user("P01", "bench_p01")
    token = token_create(actor=user, replace=True)[1]
    scope = Organization.objects.filter(path__startswith="P01/", depth__lte=2)
    codes = list(scope.order_by("path").values_list("code", flat=True))
    rng = random.Random(7)
    summary_paths = [f"/api/v1/organizations/{rng.choice(codes)}/summary/{YEAR}/" for _ in range(requests)]
    headers = {"Authorization": f"Token {token}", "Host": "127.0.0.1"}

    with Stack(gunicorn_workers=workers) as stack:

        def get(path: str) -> int:
            conn = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=10)
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                return response.status
            finally:
                conn.close()

        def phase(paths: list[str], stop_at: float) -> tuple[list[float], list, float]:
            """All clients on these paths until done; latencies, failures and wall time."""
            latencies: list[float] = []
            errors: list[tuple[str, int]] = []
            lock = threading.Lock()
            position = [0]

            def client() -> None:
                while time.monotonic() < stop_at:
                    with lock:
                        if position[0] >= len(paths):
                            return
                        path = paths[position[0]]
                        position[0] += 1
                    started = time.perf_counter()
                    status = get(path)
                    elapsed = (time.perf_counter() - started) * 1000
                    with lock:
                        latencies.append(elapsed)
                        if status != 200:
                            errors.append((path, status))

            threads = [threading.Thread(target=client) for _ in range(clients)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            return latencies, errors, time.perf_counter() - started

        for path in summary_paths[: workers * 20]:  # every worker connects and loads its code once
            get(path)
            get(FLOOR_PATH)
        # Alternating blocks (summary, floor, summary, ...), all clients on one kind at a time: each kind's latency
        # is its own service time plus the queue it makes itself, and both see the same neighbours.
        latencies: dict[str, list[float]] = {"summary": [], "floor": []}
        errors: list = []
        wall = 0.0
        block = max(1, requests // BLOCKS)
        stop_at = time.monotonic() + seconds
        for start in range(0, requests, block):
            for kind in ("summary", "floor"):
                paths = summary_paths[start : start + block] if kind == "summary" else [FLOOR_PATH] * block
                got, failed, elapsed = phase(paths, stop_at)
                latencies[kind] += got
                errors += failed
                wall += elapsed
    if errors:
        raise RuntimeError(f"{len(errors)} API requests failed, e.g. {errors[:3]}")
    summary, floor = latencies["summary"], latencies["floor"]
    detail.setdefault("api_requests", []).append(len(summary))
    detail.setdefault("floor_api_p50_ms", []).append(round(percentile(floor, 50), 1))
    result = {
        "api_p50_ms": round(percentile(summary, 50), 1),
        "api_p95_ms": round(percentile(summary, 95), 1),
        "api_rps": round((len(summary) + len(floor)) / wall, 1),
        "floor_api_p95_ms": round(percentile(floor, 95), 1),
    }
    result["api_ratio"] = round(result["api_p95_ms"] / result["floor_api_p95_ms"], 2)
    log(f"   {result} over {len(summary)} + {len(floor)} requests in {wall:.1f} s")
    return result
