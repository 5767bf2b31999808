"""Requests per second of the guide's result page against a bare view rendering the same base template.

Both run in this process through the full middleware stack with Django's test client, against a
throwaway SQLite database holding the Sollentuna demo, interleaved in rounds so that both see the same
machine state. Prints both rates and their ratio; the target is a ratio of at least 0.8.
Run with `make bench` (or `python benchmarks/guidance.py`).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
_tmp = tempfile.TemporaryDirectory(prefix="varna-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "varna.settings.test")
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp.name}/bench.sqlite3"
os.environ["VARNA_VAR_DIR"] = _tmp.name

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import include, path  # noqa: E402

TARGET = 0.8
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
RESULT_URL = "/sollentuna/vart-vander-jag-mig/"
BARE_URL = "/__bench__/sollentuna/bare/"
ANSWERS = {"step": "result", "asker": "relative", "age_band": "under_18", "immediate_danger": "no",
           "planning_violence": "no", "wants_to_leave": "no",
           "signs": ["heightened-hatred", "early-insecurity", "clear-extremist-media"]}


def bare(request: HttpRequest, municipality: object) -> HttpResponse:
    """The floor: the same base template and middleware, no guide logic."""
    return render(request, "base.html", {})


urlpatterns = [path("__bench__/<slug:municipality>/bare/", bare), path("", include("varna.urls"))]


def _rate(client: Client, method: str, url: str, data: dict | None) -> float:
    # Browsers post these forms URL-encoded; the test client would otherwise build multipart bodies.
    body = urlencode(data, doseq=True) if data is not None else None
    start = time.perf_counter()
    for _ in range(REQUESTS):
        response = (client.post(url, body, content_type="application/x-www-form-urlencoded") if method == "post"
                    else client.get(url))
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return REQUESTS / (time.perf_counter() - start)


def main() -> int:
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.ROOT_URLCONF = __name__
    client = Client()
    result_page = client.post(RESULT_URL, urlencode(ANSWERS, doseq=True),
                              content_type="application/x-www-form-urlencoded")
    assert result_page.status_code == 200 and "tel:" in result_page.content.decode(), "result page is not a result"
    # Warm up both (template loading, translation catalogues, rule file).
    _rate(client, "post", RESULT_URL, ANSWERS)
    _rate(client, "get", BARE_URL, None)
    guide, floor = [], []
    for _ in range(ROUNDS):
        guide.append(_rate(client, "post", RESULT_URL, ANSWERS))
        floor.append(_rate(client, "get", BARE_URL, None))
    guide_rate, floor_rate = statistics.median(guide), statistics.median(floor)
    ratio = guide_rate / floor_rate
    print(f"guidance result page: {guide_rate:8.1f} req/s (median of {ROUNDS} × {REQUESTS})")
    print(f"bare base template:   {floor_rate:8.1f} req/s")
    print(f"ratio:                {ratio:8.2f} (target ≥ {TARGET})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
