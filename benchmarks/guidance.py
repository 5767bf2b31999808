"""Requests per second of the guide's result page against a bare view rendering the same base template.

Both run in this process through the full middleware stack with Django's test client (which keeps the
database connection open, like a server with persistent connections), against a throwaway SQLite
database holding the Sollentuna demo. What makes the comparison fair:

- the same settings, middleware, context processors and language (Swedish) for both; DEBUG is off and
  templates come from the cached loader, as in production;
- the bare view renders the same base template for the same municipality (so the header, its menu and
  the language form are rendered too) and sits in the URLconf right before the guide's URLs, so both
  are resolved through the same patterns;
- the guide is posted the way a browser posts it: URL-encoded, with the CSRF token, and the CSRF check on;
- both are warmed up, then measured in short interleaved rounds (ABBA order, so drift hits both alike).

Prints the median rate of each and the median of the per-round ratios (each round's pair ran back to back,
so a busy machine slows both); the target is a ratio of at least 0.8.
Run with `make bench` (or `python benchmarks/guidance.py`); BENCH_ROUNDS and BENCH_REQUESTS size it.
"""

from __future__ import annotations

import os
import re
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
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import URLResolver, path  # noqa: E402

import varna.urls  # noqa: E402

TARGET = 0.8
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "12"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))
RESULT_URL = "/sollentuna/vart-vander-jag-mig/"
BARE_URL = "/__bench__/sollentuna/bare/"
ANSWERS = {"step": "result", "asker": "relative", "age_band": "under_18", "immediate_danger": "no",
           "planning_violence": "no", "wants_to_leave": "no",
           "signs": ["heightened-hatred", "early-insecurity", "clear-extremist-media"]}


def bare(request: HttpRequest, municipality: object) -> HttpResponse:
    """The floor: the same base template, context processors and middleware, no guide logic."""
    return render(request, "base.html", {})


def _urlpatterns() -> list:
    """The project's URLs with the bare view inserted right before the guide's, at the same depth."""
    patterns = list(varna.urls.urlpatterns)
    guide = next(index for index, pattern in enumerate(patterns) if isinstance(pattern, URLResolver)
                 and getattr(pattern.urlconf_name, "__name__", "") == "varna.guidance.urls")
    patterns.insert(guide, path("__bench__/<slug:municipality>/bare/", bare))
    return patterns


urlpatterns = _urlpatterns()


def _rate(client: Client, method: str, url: str, body: str | None) -> float:
    start = time.perf_counter()
    for _ in range(REQUESTS):
        response = (client.post(url, body, content_type="application/x-www-form-urlencoded") if method == "post"
                    else client.get(url))
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return REQUESTS / (time.perf_counter() - start)


def _check_production_like() -> None:
    assert not settings.DEBUG, "DEBUG must be off"
    loaders = engines["django"].engine.template_loaders
    assert [type(loader).__name__ for loader in loaders] == ["Loader"] and "cached" in type(loaders[0]).__module__, \
        "templates must come from the cached loader"


def main() -> int:
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.ROOT_URLCONF = __name__
    _check_production_like()
    client = Client(enforce_csrf_checks=True)
    floor_page = client.get(BARE_URL).content.decode()
    # Like a browser: the token comes from a form on the previous page, the cookie was set with it.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', floor_page)
    assert token is not None and "csrftoken" in client.cookies
    body = urlencode({**ANSWERS, "csrfmiddlewaretoken": token.group(1)}, doseq=True)
    result_page = client.post(RESULT_URL, body, content_type="application/x-www-form-urlencoded").content.decode()
    assert "tel:" in result_page and 'class="steps"' in result_page, "result page is not a result"
    for page in (floor_page, result_page):
        assert '<html lang="sv"' in page and 'class="site-header"' in page and "Sollentuna" in page
    # Warm up both (template loading, translation catalogues, rule file, public fragments).
    _rate(client, "post", RESULT_URL, body)
    _rate(client, "get", BARE_URL, None)
    guide, floor = [], []
    for round_number in range(ROUNDS):
        if round_number % 2:
            floor.append(_rate(client, "get", BARE_URL, None))
            guide.append(_rate(client, "post", RESULT_URL, body))
        else:
            guide.append(_rate(client, "post", RESULT_URL, body))
            floor.append(_rate(client, "get", BARE_URL, None))
    ratios = sorted(g / f for g, f in zip(guide, floor, strict=True))
    ratio = statistics.median(ratios)
    print(f"guidance result page: {statistics.median(guide):8.1f} req/s (median of {ROUNDS} rounds × {REQUESTS})")
    print(f"bare base template:   {statistics.median(floor):8.1f} req/s")
    print(f"ratio:                {ratio:8.2f} (target ≥ {TARGET}; rounds {ratios[0]:.2f}–{ratios[-1]:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
