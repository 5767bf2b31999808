"""The national analyst's page with 32 opted-in municipalities: p50/p95 of the whole page through the test
client (suppressed tables, plan coverage, training and the municipality map).

Each municipality gets the situation demo's districts and its synthetic observations (six terms, one seed
per municipality, ~250 observations each), a plan for every fourth, and the training demo's events.
Run with `make bench`, or alone: `cd benchmarks && ../.venv/bin/python national.py`.
"""

from __future__ import annotations

import statistics
import time

from common import SMOKE, create_test_database, rate, setup_django

setup_django()

# Real municipality codes (kommunkod), so that the map shades real shapes: most of Stockholm county and
# the largest municipality of a few other counties.
CODES = ["0114", "0115", "0117", "0120", "0123", "0125", "0126", "0127", "0128", "0136", "0138", "0139",
         "0140", "0160", "0162", "0163", "0180", "0181", "0182", "0183", "0184", "0186", "0187", "0188",
         "0191", "0192", "0380", "0580", "1280", "1480", "2480", "2580"]


def main() -> None:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from varna.core.models import Membership, Municipality, User
    from varna.plans import demo as plans_demo
    from varna.situation import demo as situation_demo
    from varna.situation import services as situation_services
    from varna.training import demo as training_demo

    teardown = create_test_database()
    try:
        started = time.perf_counter()
        for index, code in enumerate(CODES[:4] if SMOKE else CODES):
            municipality = Municipality.objects.create(name=f"Kommun {code}", code=code, slug=f"kommun-{code}",
                                                       national_opt_in=True)
            situation_demo.load_districts(municipality)
            situation_services.observations_import(
                actor=None, municipality=municipality, rows=situation_demo.generate(municipality, seed=index),
                source="demo", synthetic=True)
            training_demo.load(municipality)
            if index % 4 == 0:
                plans_demo.load(municipality)
        print(f"set-up: {len(CODES)} municipalities in {time.perf_counter() - started:.1f} s")

        analyst = User.objects.create_user(email="nils@cve.example", password=None)
        Membership.objects.create(user=analyst, municipality=None, role="national_analyst")
        client = Client()
        client.force_login(analyst)
        device = TOTPDevice.objects.create(user=analyst, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

        started = time.perf_counter()
        first = client.get("/national/")
        print(f"first request (cold caches): {(time.perf_counter() - started) * 1000:.0f} ms, "
              f"{len(first.content) / 1024:.0f} KiB, status {first.status_code}")
        assert first.status_code == 200
        per_second, p50, p95 = rate(lambda: client.get("/national/"), seconds=5)
        print(f"/national/: {per_second:.1f} pages/s, p50 {p50:.0f} ms, p95 {p95:.0f} ms")
        # CPU time per page, less disturbed than wall time by other work on a shared machine.
        cpu = []
        for _ in range(3 if SMOKE else 30):
            started = time.process_time()
            client.get("/national/")
            cpu.append((time.process_time() - started) * 1000)
        print(f"/national/: median CPU {statistics.median(cpu):.0f} ms per page")
        for measure in ("plans", "training"):
            per_second, p50, p95 = rate(lambda m=measure: client.get("/national/", {"measure": m}), seconds=2)
            print(f"/national/?measure={measure}: p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    finally:
        teardown()


if __name__ == "__main__":
    main()
