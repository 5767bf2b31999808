"""Load: gunicorn on 127.0.0.1 with the demo, and 200 concurrent simulated users for a bounded time.

The database is PostgreSQL: the server DATABASE_URL names, by default the local one on 127.0.0.1:5432 (a
throw-away database `varna_bench` is created there and dropped after). With no PostgreSQL answering, or
DATABASE_URL=sqlite, it says so and uses a throw-away SQLite file. Each simulated user is a thread with
its own cookies and one connection at a time (at most USERS connections in all); it picks, in a realistic
mix, the public guidance (every wizard step POSTed), the public plan pages, logged-in dashboard reads, or
logging an activity (form GET for the CSRF token, then POST). Only 127.0.0.1 is ever contacted.

Three phases on the same server, one after the other, each USERS users for SECONDS: the mixed workload, the
public pages alone (guide and plan), and a bare view that renders the base template for the same
municipality through the same middleware (the floor). Prints requests/s, p50, p95 and errors of each, and
the ratios to the bare page (targets, issue #18: mixed >= 0.3x, public >= 0.8x, 0 errors); exits non-zero
on any error.
Run with `make bench`, or `python benchmarks/load.py`; BENCH_USERS and BENCH_SECONDS change the defaults.
"""

from __future__ import annotations

import http.cookiejar
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from common import verdict

ROOT = Path(__file__).resolve().parents[1]
SMOKE = os.environ.get("BENCH_SMOKE") == "1"
USERS = int(os.environ.get("BENCH_USERS", "8" if SMOKE else "200"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "3" if SMOKE else "30"))
HOST = "127.0.0.1"
LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
GUIDE = "/sollentuna/vart-vander-jag-mig/"
PLAN = "/sollentuna/plans/handlingsplan-vbe/"
WIZARD = [("asker", "relative"), ("age_band", "under_18"), ("immediate_danger", "no"),
          ("planning_violence", "no"), ("wants_to_leave", "no")]
SIGNS = ["heightened-hatred", "early-insecurity", "clear-extremist-media"]
# The guide's address of each question (varna.guidance.wizard.SLUGS); the first is the guide's own address.
STEP_SLUGS = {"asker": "", "age_band": "alder", "immediate_danger": "fara", "planning_violence": "vald",
              "wants_to_leave": "lamna-en-grupp", "signs": "tecken"}
# Demo people whose sessions the simulated users borrow (one session per simulated user).
READERS = {"styrgrupp@sollentuna.example": ["/sollentuna/followup/", "/sollentuna/situation/"],
           "arbetsgrupp@sollentuna.example": ["/sollentuna/situation/", "/sollentuna/followup/"],
           "rektor@sollentuna.example": ["/sollentuna/followup/", "/sollentuna/followup/log/"]}
LOGGER = "personal@sollentuna.example"  # staff at "buk"
SETTINGS = """from varna.settings.test import *  # noqa: F403
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["OPTIONS"] = {"timeout": 30, "transaction_mode": "IMMEDIATE",  # noqa: F405
                                       "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
ROOT_URLCONF = "varna_bench_urls"
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "handlers": {"console": {"class": "logging.StreamHandler"}},
           "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}}}
"""


URLS = """from django.shortcuts import render
from django.urls import path

import varna.urls


def bare(request, municipality):
    \"\"\"The floor: the base template for the municipality, through the same middleware, no work of its own.\"\"\"
    return render(request, "base.html", {})


urlpatterns = [path("<slug:municipality>/__bare__/", bare), *varna.urls.urlpatterns]
"""
BARE = "/sollentuna/__bare__/"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a 302 is an answer to count, not to follow


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: dict[str, int] = {}

    def ok(self, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors[what] = self.errors.get(what, 0) + 1


class User:
    """One simulated person: own cookies, one request at a time."""

    def __init__(self, base: str, stats: Stats, session: str | None = None) -> None:
        self.base, self.stats = base, stats
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        if session:
            self.jar.set_cookie(_cookie("sessionid", session))

    def request(self, path: str, data: list[tuple[str, str]] | None = None, expect: int = 200) -> str:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 - always http://127.0.0.1
        if body is not None:
            request.add_header("Referer", self.base + path)  # Django checks it for CSRF on HTTPS only
        start = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                status, text = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            status, text = exc.code, ""
        except OSError as exc:
            self.stats.error(f"{path}: {type(exc).__name__}")
            return ""
        elapsed = time.perf_counter() - start
        if status != expect:
            self.stats.error(f"{'POST' if body else 'GET'} {path}: {status}")
            return ""
        self.stats.ok(elapsed)
        return text


def _cookie(name: str, value: str) -> http.cookiejar.Cookie:
    return http.cookiejar.Cookie(0, name, value, None, False, HOST, False, False, "/", True, False, None, False,
                                 None, None, {})


def _token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


def guidance(user: User) -> None:
    """The guide: its first question, then each answer POSTed to the question's own address (answered with
    303 See Other; the answers travel in the guide's cookie), then the result page."""
    token = _token(user.request(GUIDE))
    for step, value in [*WIZARD, *[("signs", s) for s in SIGNS][:1]]:
        data = [("csrfmiddlewaretoken", token), (step, value)]
        if step == "signs":
            data += [("signs", s) for s in SIGNS[1:]]
        address = GUIDE + (STEP_SLUGS[step] + "/" if STEP_SLUGS[step] else "")
        user.request(address, data, expect=303)
    page = user.request(GUIDE + "resultat/")
    if page and "tel:" not in page:
        user.stats.error("guidance result without contacts")


def plan_pages(user: User) -> None:
    user.request(PLAN)
    user.request(PLAN + "activities/")


def dashboards(pages: list[str]) -> Callable[[User], None]:
    def read(user: User) -> None:
        for page in pages:
            user.request(page)

    return read


def log_activity(user: User) -> None:
    form = user.request("/sollentuna/followup/log/new/")
    activity = re.search(r'<select name="activity"[^>]*>.*?<option value="(\d+)"', form, re.S)
    unit = re.search(r'<select name="organisation"[^>]*>.*?<option value="(\d+)"', form, re.S)
    if not (activity and unit):
        if form:
            user.stats.error("log form without choices")
        return
    user.request("/sollentuna/followup/log/new/", [
        ("csrfmiddlewaretoken", _token(form)), ("activity", activity.group(1)), ("organisation", unit.group(1)),
        ("date", time.strftime("%Y-%m-%d")), ("description", "Genomgång av planen på arbetsplatsträffen"),
        ("participants", "12"), ("link", "")], expect=302)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _wait_for(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited before it answered")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - always http://127.0.0.1
                return
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer")


def _postgres(url: str) -> tuple[str, Callable[[], None]]:
    """Create the throw-away database on the server DATABASE_URL names; return its URL and a dropper."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    if parts.hostname not in (HOST, "localhost"):
        raise SystemExit("the load benchmark only runs against a loopback database")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))

    def run(sql: str) -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(sql)

    # Named after the database DATABASE_URL names, so that runs against different databases don't collide.
    name = parts.path.lstrip("/")
    bench_db = "varna_bench" if name in ("", "postgres") else f"{name}_load"
    if not re.fullmatch(r"[a-z0-9_]{1,60}", bench_db):
        raise SystemExit(f"unexpected database name {bench_db!r}")
    run(f"DROP DATABASE IF EXISTS {bench_db} WITH (FORCE)")
    run(f"CREATE DATABASE {bench_db}")
    return (urllib.parse.urlunsplit(parts._replace(path=f"/{bench_db}")),
            lambda: run(f"DROP DATABASE IF EXISTS {bench_db} WITH (FORCE)"))


def _prepare(tmp: Path) -> tuple[list[str], list[str]]:
    """Migrate, load the demo, and make verified sessions for the logged-in users (in this process)."""
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(tmp))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from varna.core.models import User as Person

    call_command("migrate", verbosity=0, interactive=False)
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)

    def session(email: str) -> str:
        person = Person.objects.get(email=email)
        device = TOTPDevice.objects.filter(user=person, confirmed=True).first() or TOTPDevice.objects.create(
            user=person, name="bench", confirmed=True)
        client = Client()
        client.force_login(person)
        store = client.session
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
        store.save()
        return store.session_key

    readers = [f"{email}|{session(email)}" for email in READERS for _ in range(USERS // 6 + 1)]
    loggers = [session(LOGGER) for _ in range(USERS // 6 + 1)]
    connections.close_all()
    return readers, loggers


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="varna-load-"))
    (tmp / "varna_bench_settings.py").write_text(SETTINGS, encoding="utf-8")
    (tmp / "varna_bench_urls.py").write_text(URLS, encoding="utf-8")
    url = os.environ.get("DATABASE_URL", "") or LOCAL_POSTGRES
    drop: Callable[[], None] = lambda: None  # noqa: E731
    database_url = f"sqlite:///{tmp}/bench.sqlite3"
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        import psycopg

        try:
            database_url, drop = _postgres(url)
        except psycopg.OperationalError as exc:  # nothing answers there
            print(f"NOTE: no PostgreSQL at {urllib.parse.urlsplit(url).netloc} ({type(exc).__name__}): "
                  "measuring on SQLite instead")
    os.environ.update({"DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "varna_bench_settings",
                       "VARNA_VAR_DIR": str(tmp), "VARNA_RATE_LIMITS_ENABLED": "false",
                       "PYTHONPATH": os.pathsep.join([str(tmp), str(ROOT / "src")])})
    server = None
    try:
        readers, loggers = _prepare(tmp)
        port = _free_port()
        workers = 2 * (os.cpu_count() or 1) + 1
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "varna.wsgi:application", "--bind", f"{HOST}:{port}",
             "--workers", str(workers), "--worker-class", "gthread", "--threads", "4", "--backlog", "2048",
             "--timeout", "120", "--log-level", "warning"], cwd=ROOT, start_new_session=True)
        base = f"http://{HOST}:{port}"
        _wait_for(base + GUIDE, server)
        engine = "PostgreSQL" if database_url.startswith(("postgres", "pgsql")) else "SQLite"
        print(f"gunicorn: {workers} workers × 4 threads on {base}, {engine}; {USERS} users for {SECONDS:.0f} s")

        # The mix: most traffic is the public guide and plan; staff read dashboards and log now and then.
        mixed: list[tuple[float, str]] = [(0.35, "guidance"), (0.25, "plan"), (0.25, "dashboard"), (0.15, "log")]
        phases = {"mixed workload": mixed, "public pages (guide, plan)": [(0.55, "guidance"), (0.45, "plan")],
                  "bare page (baseline)": [(1.0, "bare")]}
        results = {label: _phase(base, flows, readers, loggers) for label, flows in phases.items()}
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        try:
            from django.db import connections

            connections.close_all()
        except ImportError:
            pass
        drop()
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"{'':30}{'requests':>10}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'errors':>8}")
    rates = {}
    errors = 0
    for label, (stats, elapsed) in results.items():
        latencies = sorted(stats.latencies)
        count, failed = len(latencies), sum(stats.errors.values())
        p50 = latencies[count // 2] * 1000 if count else 0.0
        p95 = latencies[max(int(count * 0.95) - 1, 0)] * 1000 if count else 0.0
        rates[label] = (count + failed) / elapsed
        errors += failed + (0 if count else 1)
        print(f"{label:<30}{count + failed:>10}{rates[label]:>8.0f}{p50:>8.0f}{p95:>8.0f}{failed:>8}")
        for what, n in sorted(stats.errors.items(), key=lambda item: -item[1])[:10]:
            print(f"  {n:6d}  {what}")
    bare = rates["bare page (baseline)"]
    verdict("load: mixed workload / bare page, req/s", rates["mixed workload"] / bare, 0.3)
    verdict("load: public pages (guide, plan) / bare page, req/s", rates["public pages (guide, plan)"] / bare, 0.8)
    verdict("load: errors", errors, 0, at_most=True, unit="errors")
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end")
    return 1 if errors else 0


def _phase(base: str, flows: list[tuple[float, str]], readers: list[str],
           loggers: list[str]) -> tuple[Stats, float]:
    """USERS simulated users for SECONDS on `flows` (weight, kind): their stats and the time it took."""
    stats = Stats()
    deadline = time.monotonic() + SECONDS
    rng = random.Random(20261125)  # noqa: S311 - a reproducible mix, not security

    def simulate(index: int) -> None:
        own = random.Random(index)  # noqa: S311
        reader_email, reader_session = readers[index % len(readers)].split("|")
        reader = User(base, stats, reader_session)
        logger = User(base, stats, loggers[index % len(loggers)])
        public = User(base, stats)
        read = dashboards(READERS[reader_email])
        while time.monotonic() < deadline:
            kind = own.choices([k for _, k in flows], weights=[w for w, _ in flows])[0]
            if kind == "guidance":
                guidance(public)
            elif kind == "plan":
                plan_pages(public)
            elif kind == "dashboard":
                read(reader)
            elif kind == "bare":
                public.request(BARE)
            else:
                log_activity(logger)

    threads = [threading.Thread(target=simulate, args=(i,), daemon=True) for i in range(USERS)]
    rng.shuffle(threads)
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return stats, time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
