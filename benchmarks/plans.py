"""Plan pages against a bare view that renders the same base template, measured in the same run.

Run with `make bench`. Prints requests per second (in-process, Django test client) and the ratio.
"""

from __future__ import annotations

import time

from common import create_test_database, rate, setup_django, verdict

setup_django()


def main() -> None:
    from django.http import HttpRequest, HttpResponse
    from django.shortcuts import render
    from django.test import Client
    from django.urls import clear_url_caches, path

    import varna.urls
    from varna.core.models import Municipality
    from varna.plans import demo

    def bare(request: HttpRequest) -> HttpResponse:
        return render(request, "base.html", {})

    varna.urls.urlpatterns.insert(0, path("__bench_bare__/", bare))
    clear_url_caches()
    teardown = create_test_database()
    try:
        municipality = Municipality.objects.create(name="Sollentuna", code="0163", slug="sollentuna")
        start = time.perf_counter()
        demo.load(municipality)
        import_ms = (time.perf_counter() - start) * 1000
        client = Client()
        baseline, base_p50, base_p95 = rate(lambda: client.get("/__bench_bare__/"))
        print(f"plan import (25 activities): {import_ms:.0f} ms")
        print(f"{'page':<32}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'ratio':>8}")
        print(f"{'bare base template':<32}{baseline:>9.0f}{base_p50:>9.2f}{base_p95:>9.2f}{1:>8.2f}")
        for label, url in [("plan overview", "/sollentuna/plans/handlingsplan-vbe/"),
                           ("level page", "/sollentuna/plans/handlingsplan-vbe/levels/prevent/"),
                           ("activity table (filtered)",
                            "/sollentuna/plans/handlingsplan-vbe/activities/?cadence=continuous")]:
            assert client.get(url).status_code == 200
            rps, p50, p95 = rate(lambda url=url: client.get(url))
            print(f"{label:<32}{rps:>9.0f}{p50:>9.2f}{p95:>9.2f}{rps / baseline:>8.2f}")
            verdict(f"{label} / bare page", rps / baseline, 0.8)
        pdf_rps, pdf_p50, _ = rate(lambda: client.get("/sollentuna/plans/handlingsplan-vbe/plan.pdf"), seconds=5,
                                   warmup=1)
        print(f"{'plan PDF (WeasyPrint)':<32}{pdf_rps:>9.1f}{pdf_p50:>9.0f}")
    finally:
        teardown()


if __name__ == "__main__":
    main()
