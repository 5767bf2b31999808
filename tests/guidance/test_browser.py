"""The guide in Debian's Chromium: without JavaScript, keyboard only, and checked with axe-core."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    # `make test` runs these in a process of their own: Playwright's sync API runs once per process.
    pytest.mark.xdist_group("guidance-browser"),
    pytest.mark.skipif(shutil.which(CHROMIUM) is None or not AXE.exists(), reason="needs Chromium and axe-core"),
]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The demo in a server process of its own, with its own SQLite file.

    pytest-django's live_server needs a transactional database, and flushing that is refused by the
    audit log's append-only trigger; a separate process with the real demo avoids both.
    """
    root = Path(__file__).resolve().parents[2]
    var = tmp_path_factory.mktemp("browser-server")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "varna.settings.test", "VARNA_VAR_DIR": str(var),
           "DATABASE_URL": f"sqlite:///{var}/varna.sqlite3", "PYTHONPATH": str(root / "src")}
    manage = [sys.executable, str(root / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True, cwd=root)
    subprocess.run([*manage, "load_demo"], env=env, check=True, cwd=root, stdout=subprocess.DEVNULL)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
                               env=env, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90  # generous: CI machines can be slow
        while True:
            try:
                urllib.request.urlopen(url + "/healthz", timeout=5)  # noqa: S310 (our own local server)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the demo server for the browser tests did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Any:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(browser: Any) -> Any:
    # bypass_csp only so that the test can inject axe; the pages themselves run under the real policy.
    context = browser.new_context(java_script_enabled=False, locale="sv-SE", bypass_csp=True)
    context.set_default_timeout(60_000)  # slow CI machines
    yield context.new_page(), browser
    context.close()


def _axe_violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})")
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in result["violations"]
            if v["impact"] in ("serious", "critical")]


def _axe(browser: Any, url: str) -> list[str]:
    context = browser.new_context(bypass_csp=True, locale="sv-SE")
    context.set_default_timeout(60_000)  # slow CI machines
    page = context.new_page()
    page.goto(url)
    found = _axe_violations(page)
    context.close()
    return found


def test_the_guide_works_without_javascript_by_keyboard(browser_page: Any, server: str) -> None:
    page, browser = browser_page
    url = f"{server}/sollentuna/vart-vander-jag-mig/"
    page.goto(url)
    answers = ["Jag är förälder eller anhörig", "Under 18 år", "Nej", "Nej", "Nej"]
    for answer in answers:
        assert page.locator("a[data-quick-exit][rel=noreferrer]").count() == 1
        page.get_by_label(answer, exact=True).focus()
        page.keyboard.press("Space")
        with page.expect_navigation():
            page.keyboard.press("Enter")  # submits the form with its first button, "Nästa"
    page.get_by_label("Hat mot bestämda grupper").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Visa vart jag kan vända mig").click()
    assert page.get_by_role("heading", name="Här kan du vända dig").is_visible()
    assert page.locator('a[href="tel:0857921322"]').count() == 1
    assert "?" not in page.url
    cookies = {cookie["name"] for cookie in page.context.cookies()}
    assert cookies <= {"csrftoken", "django_language"}


@pytest.mark.parametrize("path", ["/sollentuna/vart-vander-jag-mig/", "/sollentuna/knowledge/signs/",
                                  "/sollentuna/vart-vander-jag-mig/kontakter/", "/sollentuna/knowledge/lexicon/"])
def test_public_pages_have_no_serious_axe_violations(browser_page: Any, server: str,
                                                     path: str) -> None:
    _, browser = browser_page
    assert _axe(browser, server + path) == []


def test_quick_exit_replaces_the_page_with_javascript(browser_page: Any, server: str) -> None:
    _, browser = browser_page
    context = browser.new_context(locale="sv-SE")
    context.set_default_timeout(60_000)  # slow CI machines
    context.route("https://www.smhi.se/**", lambda route: route.fulfill(body="<title>SMHI</title>ok"))
    page = context.new_page()
    page.goto(f"{server}/sollentuna/vart-vander-jag-mig/")
    page.get_by_role("link", name="Lämna sidan snabbt").click()
    page.wait_for_url("https://www.smhi.se/**")
    # location.replace: the guide's entry is replaced, so Back leads to the blank start page, not the guide.
    assert page.evaluate("history.length") == 2
    page.go_back()
    assert "vart-vander-jag-mig" not in page.url
    context.close()
