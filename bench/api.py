"""The summary API against its floor: the same gunicorn workers and client threads, requests interleaved.

Every client thread alternates a summary request with a request to /bench/floor/ (bench/urls.py: the same
middleware and WSGI path, no view work, no query), so both see the same server, clients and neighbours;
`api_ratio` is the summary's p95 over the floor's.
"""

import http.client
import random
import threading
import time

from bench.services import Stack
from bench.stats import percentile

FLOOR_PATH = "/bench/floor/"


def measure_api(*, requests: int, seconds: float, clients: int, workers: int, log, detail: dict) -> dict:
    from rest_framework.authtoken.models import Token

    from assessments.models import Organization
    from bench.generate import YEAR
    from bench.steps import scope_user

    log(f"== summary API and its floor: {clients} clients, gunicorn with {workers} workers, {requests} requests each")
    user = scope_user("P01", "bench_p01")
    token = Token.objects.get_or_create(user=user)[0].key
    scope = Organization.objects.filter(path__startswith="P01/", depth__lte=2)
    codes = list(scope.order_by("path").values_list("code", flat=True))
    rng = random.Random(7)
    paths = []
    for _ in range(requests):
        paths.append(f"/api/v1/organizations/{rng.choice(codes)}/summary/{YEAR}/")
        paths.append(FLOOR_PATH)
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

        for path in paths[: workers * 40]:  # every worker connects and loads its code once
            get(path)
        latencies: dict[str, list[float]] = {"summary": [], "floor": []}
        errors: list[tuple[str, int]] = []
        lock = threading.Lock()
        position = [0]
        stop_at = time.monotonic() + seconds

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
                    latencies["floor" if path == FLOOR_PATH else "summary"].append(elapsed)
                    if status != 200:
                        errors.append((path, status))

        threads = [threading.Thread(target=client) for _ in range(clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
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
