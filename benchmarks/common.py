"""Helpers shared by the benchmarks: Django set-up on a throw-away database, and timing."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# `make bench-smoke` (BENCH_SMOKE=1): every benchmark at small sizes, to prove it still runs; figures mean nothing.
SMOKE = os.environ.get("BENCH_SMOKE") == "1"
# The line that `benchmarks/run.py` collects into its summary: "RESULT <label>: <figure> (target ...) meets".
RESULT = "RESULT "


def smoke(full: float, small: float) -> float:
    """`full` in a real run, `small` in a smoke run."""
    return small if SMOKE else full


def verdict(label: str, value: float, target: float, *, at_most: bool = False, unit: str = "x") -> bool:
    """Print one figure against its target, in the form `run.py` gathers, and say whether it meets it."""
    ok = value <= target if at_most else value >= target
    figure = f"{value:.2f}{unit}" if unit == "x" else f"{value:.0f} {unit}"
    goal = f"{target:g}{unit}" if unit == "x" else f"{target:g} {unit}"
    print(f"{RESULT}{label}: {figure} (target {'≤' if at_most else '≥'} {goal}) {'meets' if ok else 'misses'}",
          flush=True)
    return ok


def setup_django() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "varna.settings.test")
    import django
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]


def create_test_database() -> Callable[[], None]:
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    return lambda: connection.creation.destroy_test_db(old_name, verbosity=0)


def rate(fn: Callable[[], object], *, seconds: float = 3.0, warmup: int = 5) -> tuple[float, float, float]:
    """Calls per second over `seconds`, with p50 and p95 latency in milliseconds."""
    if SMOKE:
        seconds, warmup = min(seconds, 0.3), min(warmup, 1)
    for _ in range(warmup):
        fn()
    samples: list[float] = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1] if len(samples) > 20 else samples[-1]
    return len(samples) / sum(samples), statistics.median(samples) * 1000, p95 * 1000
