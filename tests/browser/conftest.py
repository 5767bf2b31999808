"""Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

Never `playwright install`: the browser is the system's /usr/bin/chromium (scripts/system-deps.sh).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
_STATIC = Path(__file__).resolve().parents[2] / "src" / "varna" / "static"
# The style sheets the base template links, for HTML the test client rendered and a page is handed as content.
STYLES = [_STATIC / "vendor" / "designsystemet" / "theme.css", _STATIC / "vendor" / "designsystemet" / "index.css",
          _STATIC / "varna" / "varna.css"]


def axe_violations_of(page: Any, html: str, name: str) -> list[tuple[str, list[Any]]]:
    """Put `html` on `page` with the site's style sheets and run axe (WCAG 2.1 A/AA): (rule, first targets)."""
    page.set_content(html)
    for sheet in STYLES:
        page.add_style_tag(content=sheet.read_text(encoding="utf-8"))
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})")
    assert len(result["passes"]) > 10, name  # axe really ran
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)
            # `make test` runs them with `-n 2 --dist loadfile`: each worker has its own browser, live server
            # (on a free port) and test database. Under `--dist loadgroup` this keeps them in one worker.
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser(django_db_setup: Any, live_server: Any) -> Iterator[Any]:
    # The test database and the live server come first: once Playwright's event loop runs in this
    # thread, Django refuses database work outside the tests' DJANGO_ALLOW_ASYNC_UNSAFE.
    if not os.path.exists(CHROMIUM):
        pytest.skip("needs Debian's chromium (scripts/system-deps.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """`new_page(language="sv", user=None)`: a fresh browser context, optionally logged in (two-factor passed)."""
    contexts = []

    def make(language: str = "sv", user: Any = None) -> Any:
        # bypass_csp: axe-core is injected as a script the page's policy (rightly) refuses.
        context = browser.new_context(base_url=live_server.url, locale=language, bypass_csp=True)
        context.set_default_timeout(10_000)
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        if user is not None:
            context.add_cookies([{"name": "sessionid", "value": _verified_session(user), "url": live_server.url}])
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def offline_page(transactional_db: None, browser: Any) -> Iterator[Callable[..., Any]]:
    """`offline_page(viewport=None)`: a page of the session's browser for HTML the test client rendered.

    Request it first: its transactional database is then set up before the test's data and emptied after it
    with the audit guard lifted (see below). A test must not start a Playwright of its own: a process runs one,
    and a second refuses to start while the first marks its event loop as running."""
    contexts = []

    def make(viewport: dict[str, int] | None = None) -> Any:
        context = browser.new_context(**({"viewport": viewport} if viewport else {}))
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _verified_session(user: Any) -> str:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="browser", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return session.session_key


@pytest.fixture
def axe() -> Callable[[Any], list[dict[str, Any]]]:
    """Run axe-core on the page at WCAG 2.0/2.1 A and AA; return the violations."""
    if not AXE.exists():
        pytest.skip("needs axe-core (cd frontend && npm ci)")
    source = AXE.read_text(encoding="utf-8")

    def run(page: Any) -> list[dict[str, Any]]:
        page.add_script_tag(content=source)
        return page.evaluate("""async () => {
            const result = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
        }""")

    return run


# --- around each live-server test ------------------------------------------------------------------
# Wrapping pytest-django's `transactional_db` puts this around the whole test, the final clean-up included:
# - Playwright's sync API runs an event loop in this thread, so Django would refuse ORM calls here:
#   DJANGO_ALLOW_ASYNC_UNSAFE is set, for these tests only (set for the whole session, it would leak into
#   the subprocesses other tests start, and `check --deploy` rightly refuses it).
# - Live-server tests commit their data and pytest-django empties every table after each one. The audit
#   table refuses DELETE (SQLite) and TRUNCATE (PostgreSQL), so the guard is lifted and put back after.

_GUARD = importlib.import_module("varna.core.migrations.0002_audit_append_only")


def _set_audit_guard(on: bool) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE core_auditevent {'ENABLE' if on else 'DISABLE'} TRIGGER "
                           "core_auditevent_no_truncate")
        elif connection.vendor == "sqlite":
            if on:
                cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_delete")
                cursor.execute(_GUARD.SQLITE_UP[1])
            else:
                cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_delete")


@pytest.fixture(autouse=True)
def _async_unsafe_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    # Between two Playwright calls the session's browser marks its event loop as running in this thread, so
    # Django would refuse a browser test's database set-up (its `db`) whatever ran last in the process: under
    # xdist, the tests that used no live server failed in set-up when a worker had driven the browser before.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def _live_server_test(django_db_setup: Any, django_db_blocker: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with django_db_blocker.unblock():
        _set_audit_guard(False)
    yield
    with django_db_blocker.unblock():
        _set_audit_guard(True)


@pytest.fixture
def transactional_db(_live_server_test: None, transactional_db: None) -> None:
    return transactional_db
