"""The public plan pages and the plan PDF against baselines measured in the same run, in turns.

- Pages (plan overview, a level page, the activity table filtered by cadence) against a bare view that
  renders the same base template for the same municipality, at the same URL depth (right before the plan
  URLs), through the same middleware: the floor any page of the site stands on. Target (issue #18): each
  page at least 0.8x the bare page. An approved version is rendered once (`varna.core.rendercache`), so
  after the first request a page costs its few queries (the plan, the version, the units' names for the
  cache key) and a cache read.
- The public PDF against a file of exactly the same bytes served by a view at the same depth through the same
  middleware (`FileResponse`, what Django serving a static file costs). Target: at least 0.8x.
  The first rendering (WeasyPrint) is timed once, for the record.

Both sides of each comparison take turns request by request (which one goes first alternates), and the
median per request counts, by the wall clock and by this thread's CPU time; the verdict is on CPU time,
which other work on a shared machine disturbs less (on an idle machine the two agree). Prints the load
average. Run with `make bench`, or `python benchmarks/run.py plans`; BENCH_REQUESTS sizes it.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import SMOKE, create_test_database, setup_django, verdict

setup_django()

TARGET = 0.8
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "20" if SMOKE else "600"))
WARMUP = 3 if SMOKE else 50
PLAN = "/sollentuna/plans/handlingsplan-vbe/"
BARE = "/sollentuna/plans/__bare__/"
FILE = "/sollentuna/plans/__file__/"


def _timed(call: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.thread_time()
    response = call()
    wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
    assert response.status_code == 200, (response.request["PATH_INFO"], response.status_code)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return wall, cpu


def compare(subject: Callable[[], object], baseline: Callable[[], object]) -> dict[str, tuple[float, float]]:
    """Median seconds per request (wall, CPU) of each, taken in turns."""
    for _ in range(WARMUP):
        _timed(subject)
        _timed(baseline)
    times: dict[str, list[tuple[float, float]]] = {"subject": [], "baseline": []}
    for number in range(REQUESTS):
        pair = (("subject", subject), ("baseline", baseline))
        for label, call in (pair if number % 2 else pair[::-1]):
            times[label].append(_timed(call))
    return {label: (statistics.median(t[0] for t in samples), statistics.median(t[1] for t in samples))
            for label, samples in times.items()}


def main() -> None:
    from django.conf import settings
    from django.http import FileResponse, HttpRequest, HttpResponse
    from django.shortcuts import render
    from django.test import Client
    from django.urls import clear_url_caches, path

    import varna.urls
    from varna.core.models import Municipality
    from varna.plans import demo

    settings.VARNA_RATE_LIMITS_ENABLED = False  # the benchmark asks far more often than one reader may
    tmp = Path(tempfile.mkdtemp(prefix="varna-bench-plans-"))
    static_file = tmp / "same-size.pdf"

    def bare(request: HttpRequest, municipality: Municipality) -> HttpResponse:
        return render(request, "base.html", {})

    def file(request: HttpRequest, municipality: Municipality) -> FileResponse:
        return FileResponse(static_file.open("rb"), content_type="application/pdf")

    varna.urls.urlpatterns[:0] = [path("<slug:municipality>/plans/__bare__/", bare),
                                  path("<slug:municipality>/plans/__file__/", file)]
    clear_url_caches()
    teardown = create_test_database()
    try:
        municipality = Municipality.objects.create(name="Sollentuna", code="0163", slug="sollentuna")
        start = time.perf_counter()
        demo.load(municipality)
        print(f"plan import (25 activities): {(time.perf_counter() - start) * 1000:.0f} ms; "
              f"{REQUESTS} requests of each, in turns; load average {os.getloadavg()[0]:.1f}")
        client = Client()
        print(f"{'median per request':<30}{'wall ms':>9}{'CPU ms':>9}{'base wall':>11}{'base CPU':>10}"
              f"{'ratio wall':>12}{'ratio CPU':>11}")

        def report(label: str, result: dict[str, tuple[float, float]], baseline_label: str) -> None:
            (s_wall, s_cpu), (b_wall, b_cpu) = result["subject"], result["baseline"]
            print(f"{label:<30}{s_wall * 1000:>9.2f}{s_cpu * 1000:>9.2f}{b_wall * 1000:>11.2f}{b_cpu * 1000:>10.2f}"
                  f"{b_wall / s_wall:>12.2f}{b_cpu / s_cpu:>11.2f}")
            verdict(f"{label} / {baseline_label} (CPU time)", b_cpu / s_cpu, TARGET)

        for label, url in [("plan overview", PLAN), ("level page", PLAN + "levels/prevent/"),
                           ("activity table (filtered)", PLAN + "activities/?cadence=continuous")]:
            report(label, compare(lambda url=url: client.get(url), lambda: client.get(BARE)), "bare page")

        start = time.perf_counter()
        first = client.get(PLAN + "plan.pdf")
        render_ms = (time.perf_counter() - start) * 1000
        assert first.status_code == 200
        assert first.content.startswith(b"%PDF")
        static_file.write_bytes(first.content)
        print(f"plan PDF, first request (rendered by WeasyPrint): {render_ms:.0f} ms, "
              f"{len(first.content) / 1024:.0f} KiB, ETag {first['ETag']}")
        report("plan PDF from the cache", compare(lambda: client.get(PLAN + "plan.pdf"), lambda: client.get(FILE)),
               "the same bytes from a file")
        not_modified = client.get(PLAN + "plan.pdf", HTTP_IF_NONE_MATCH=first["ETag"])
        assert not_modified.status_code == 304
    finally:
        teardown()
        static_file.unlink(missing_ok=True)
        tmp.rmdir()


if __name__ == "__main__":
    main()
