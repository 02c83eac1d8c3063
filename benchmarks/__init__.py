"""Timed runs of dcplan's hot paths; see ``python -m benchmarks --help``."""

import time as _time


def best_of(fn, repeat: int) -> float:
    """Fastest of ``repeat`` timed calls of ``fn()`` [s] (the usual noise-robust benchmark figure)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = _time.perf_counter()
        fn()
        best = min(best, _time.perf_counter() - t0)
    return best
