"""Requests per second of the guide's result page against a bare view rendering the same base template.

Both run in this process through the full middleware stack with Django's test client (which keeps the
database connection open, like a server with persistent connections), against a throwaway SQLite
database holding the Sollentuna demo. What makes the comparison fair:

- the same settings, middleware, context processors and language (Swedish) for both; DEBUG is off and
  templates come from the cached loader, as in production;
- the bare view renders the same base template for the same municipality (so the header, its menu and
  the language form are rendered too) and sits in the URLconf right before the guide's URLs, so both
  are resolved through the same patterns;
- the guide is walked the way a browser walks it (each answer posted URL-encoded with the CSRF token and the
  CSRF check on, then the redirect followed); the result page is then requested as a browser does after the
  last answer, a GET carrying the guide's encrypted answers cookie;
- both are warmed up, then requested one after the other in turn, alternating which goes first, so that
  both see the same machine state.

Prints each page's median time per request and the requests per second it amounts to, by the wall
clock and by the CPU time of the thread, and the ratios. The median, because on a machine busy with
other work some requests are held up for long, which moves a mean a lot and a median hardly at all. The
CPU time, because it counts only the work the request did: on a busy machine the wall clock also counts
the time other programs had the processor, and a longer request is interrupted more often, so the
wall-clock ratio is then lower than the page deserves. On an idle machine the two agree. The target is a
ratio of at least 0.8.

Run with `make bench` (or `python benchmarks/guidance.py`); BENCH_REQUESTS sizes it.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
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

from common import SMOKE, verdict  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import URLResolver, path  # noqa: E402

import varna.urls  # noqa: E402

TARGET = 0.8
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "30" if SMOKE else "2000"))
WARMUP = 5 if SMOKE else 200
GUIDE_URL = "/sollentuna/vart-vander-jag-mig/"
RESULT_URL = GUIDE_URL + "resultat/"
BARE_URL = "/__bench__/sollentuna/bare/"
# Each question's address and answer, in the order the guide asks them.
ANSWERS = [("", {"asker": "relative"}), ("alder/", {"age_band": "under_18"}), ("fara/", {"immediate_danger": "no"}),
           ("vald/", {"planning_violence": "no"}), ("lamna-en-grupp/", {"wants_to_leave": "no"}),
           ("tecken/", {"signs": ["heightened-hatred", "early-insecurity", "clear-extremist-media"]})]


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


def _timed(call: Callable[[], HttpResponse]) -> tuple[float, float]:
    """Seconds the request took by the clock and in CPU time of this thread."""
    wall, cpu = time.perf_counter(), time.thread_time()
    response = call()
    wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
    if response.status_code != 200:
        raise SystemExit(f"{response.request['PATH_INFO']} answered {response.status_code}")
    return wall, cpu


def _check_production_like() -> None:
    assert not settings.DEBUG, "DEBUG must be off"
    loaders = engines["django"].engine.template_loaders
    assert [type(loader).__name__ for loader in loaders] == ["Loader"], "templates must come from the cached loader"
    assert "cached" in type(loaders[0]).__module__, "templates must come from the cached loader"


def main() -> int:
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.ROOT_URLCONF = __name__
    _check_production_like()
    client = Client(enforce_csrf_checks=True)
    floor_page = client.get(BARE_URL).content.decode()
    # Like a browser: the token comes from a form on the previous page, the cookie was set with it.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', floor_page)
    assert token is not None
    assert "csrftoken" in client.cookies
    for address, answer in ANSWERS:
        body = urlencode({**answer, "csrfmiddlewaretoken": token.group(1)}, doseq=True)
        posted = client.post(GUIDE_URL + address, body, content_type="application/x-www-form-urlencoded")
        assert posted.status_code == 303, f"{address or 'first question'} answered {posted.status_code}"
    result_page = client.get(RESULT_URL).content.decode()
    assert "tel:" in result_page, "result page is not a result"
    assert 'class="steps"' in result_page, "result page is not a result"
    for page in (floor_page, result_page):
        assert '<html lang="sv"' in page
        assert 'class="site-header"' in page
        assert "Sollentuna" in page

    def guide() -> HttpResponse:
        return client.get(RESULT_URL)

    def floor() -> HttpResponse:
        return client.get(BARE_URL)

    # Warm up both (template loading, translation catalogues, rule file, public fragments).
    for _ in range(WARMUP):
        _timed(guide)
        _timed(floor)
    guide_times: list[tuple[float, float]] = []
    floor_times: list[tuple[float, float]] = []
    for number in range(REQUESTS):
        # One of each in turn, alternating which goes first, so that both see the same machine state.
        pair = ((guide_times, guide), (floor_times, floor))
        for times, call in (pair if number % 2 else pair[::-1]):
            times.append(_timed(call))
    print(f"{'median per request':22}{'wall clock':>22}{'CPU time':>22}   ({REQUESTS} requests each)")
    medians = {}
    for label, times in (("guidance result page", guide_times), ("bare base template", floor_times)):
        medians[label] = [statistics.median(t[i] for t in times) for i in (0, 1)]
        print(f"{label:22}" + "".join(f"{m * 1000:7.3f} ms {1 / m:6.0f} req/s" for m in medians[label]))
    ratios = [floor / guide for guide, floor in zip(*medians.values(), strict=True)]
    print(f"{'ratio':22}" + "".join(f"{r:22.2f}" for r in ratios) + f"   (target ≥ {TARGET})")
    verdict("guide result page / bare page, CPU time", ratios[1], TARGET)
    verdict("guide result page / bare page, wall clock", ratios[0], TARGET)
    return 0


if __name__ == "__main__":
    sys.exit(main())
