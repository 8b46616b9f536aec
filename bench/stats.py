"""Percentiles and medians of the benchmark's samples (nearest-rank: a reported p95 is a latency that happened)."""

import statistics


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def median_of_runs(runs: list[dict]) -> dict:
    """Each key's median over the runs that produced it (a run whose step failed has no value for its keys)."""
    keys = {key for run in runs for key in run}
    result = {}
    for key in keys:
        values = [run[key] for run in runs if run.get(key) is not None]
        if not values:
            result[key] = None
            continue
        value = statistics.median(values)
        result[key] = round(value, 3) if isinstance(value, float) else value
    return result
