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
    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    assert set(cookies) <= {"csrftoken", "django_language", "varna_guide_token"}
    answers = cookies["varna_guide_token"]
    assert answers["httpOnly"]
    assert answers["path"] == "/sollentuna/vart-vander-jag-mig/"
    assert answers["expires"] == -1
    assert "relative" not in answers["value"]


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
    # The shortcut is announced (as the button's description) once the script that provides it has run.
    assert page.get_by_text("eller tryck Esc två gånger").is_visible()
    page.get_by_role("link", name="Lämna sidan snabbt").click()
    page.wait_for_url("https://www.smhi.se/**")
    # location.replace: the guide's entry is replaced, so Back leads to the blank start page, not the guide.
    assert page.evaluate("history.length") == 2
    page.go_back()
    assert "vart-vander-jag-mig" not in page.url
    context.close()


PHONE = {"width": 390, "height": 844}


def _phone(browser: Any) -> Any:
    context = browser.new_context(locale="sv-SE", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(60_000)  # slow CI machines
    return context


def _answer(page: Any, label: str) -> None:
    page.get_by_label(label, exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Nästa").click()


def test_on_a_phone_back_and_reload_never_post_again_on_any_step(browser_page: Any, server: str) -> None:
    """Every answer is a POST answered by a redirect: Back, reload and the back gesture only ever GET."""
    _, browser = browser_page
    context = _phone(browser)
    page = context.new_page()
    methods: list[str] = []
    page.on("request", lambda request: methods.append(request.method) if request.resource_type == "document"
            else None)
    page.goto(f"{server}/sollentuna/vart-vander-jag-mig/")
    for label in ["Jag är förälder eller anhörig", "Under 18 år", "Nej", "Nej", "Nej"]:
        question = page.locator("h1").inner_text()
        _answer(page, label)
        after = page.url
        methods.clear()
        page.reload()  # a reload of the screen the redirect led to
        page.go_back()  # the back gesture: the question just answered, with its answer ticked
        assert page.locator("h1").inner_text() == question
        assert page.get_by_label(label, exact=True).is_checked()
        page.reload()
        page.go_forward()
        assert page.url == after
        assert methods, f"no request on {after}"
        assert set(methods) == {"GET"}, f"a browser re-posted on {after}: {methods}"
    page.get_by_label("Hat mot bestämda grupper").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Visa vart jag kan vända mig").click()
    methods.clear()
    page.reload()
    page.go_back()
    page.go_forward()
    assert set(methods) == {"GET"}
    assert page.url.endswith("/resultat/")
    assert page.get_by_role("heading", name="Här kan du vända dig").is_visible()
    # The Back link on a question leads to the previous one.
    page.goto(f"{server}/sollentuna/vart-vander-jag-mig/fara/")
    with page.expect_navigation():
        page.get_by_role("link", name="Tillbaka", exact=True).click()
    assert page.url.endswith("/alder/")
    assert page.get_by_label("Under 18 år", exact=True).is_checked()
    context.close()


def _top_of(page: Any, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None
    return box["y"] + box["height"]


def test_on_a_phone_112_is_on_the_first_screen_of_every_step_and_first_on_the_acute_result(
        browser_page: Any, server: str) -> None:
    _, browser = browser_page
    context = _phone(browser)
    page = context.new_page()
    page.goto(f"{server}/sollentuna/vart-vander-jag-mig/")
    for label in ["Jag är en vän", "18 år eller äldre"]:
        assert _top_of(page, 'a[href="tel:112"]') <= 600
        _answer(page, label)
    assert _top_of(page, 'a[href="tel:112"]') <= 600
    _answer(page, "Ja")  # someone is in danger right now
    assert page.url.endswith("/resultat/")
    button = page.locator('.danger-call--acute a[href="tel:112"]')
    assert button.is_visible()
    assert _top_of(page, '.danger-call--acute a[href="tel:112"]') <= 600
    box = button.bounding_box()
    assert box is not None
    assert box["height"] >= 44
    assert box["width"] >= 44
    # Nothing on the page scrolls sideways at phone width.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


@pytest.mark.parametrize("path", ["/sollentuna/vart-vander-jag-mig/kontakter/", "/sollentuna/knowledge/signs/"])
def test_quick_exit_stays_in_view_on_long_public_pages(browser_page: Any, server: str, path: str) -> None:
    _, browser = browser_page
    context = _phone(browser)
    page = context.new_page()
    page.goto(server + path)
    page.mouse.wheel(0, 3000)
    page.wait_for_function("window.scrollY > 500")
    box = page.get_by_role("link", name="Lämna sidan snabbt").bounding_box()
    assert box is not None
    assert 0 <= box["y"] < 100
    context.close()
