"""WCAG 2.1 A and AA by axe-core on every public page and each role's start pages, in Swedish and English.

Pages are found by following the site's own links, so a module's pages are checked as soon as they
are linked from the municipality's start page or the plan.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urldefrag, urlparse

import pytest
from django.core import mail
from django.urls import Resolver404, resolve
from django_otp.plugins.otp_email.models import EmailDevice

LANGUAGES = ["sv", "en"]
SKIP = ("/admin/", "/static/", "/media/", "/account/logout/", "/i18n/")
SKIP_SUFFIXES = (".pdf", ".yaml", ".ics", ".csv", ".xlsx",
                 "/lamna/")  # the guide's quick exit leaves for a neutral site on another host
PLAN = "/sollentuna/plans/handlingsplan-vbe/"


def _links(page: Any, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    found = []
    for href in hrefs:
        url, _ = urldefrag(href)
        parsed = urlparse(url)
        if f"{parsed.scheme}://{parsed.netloc}" != origin:
            continue
        path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        if path.startswith(SKIP) or parsed.path.endswith(SKIP_SUFFIXES):
            continue
        found.append(path)
    return found


def _kind(path: str) -> str:
    try:
        return resolve(urlparse(path).path).view_name
    except Resolver404:
        return path


def _check(page: Any, axe: Callable[[Any], list[dict[str, Any]]], origin: str, start: list[str], *,
           depth: int, limit: int = 80) -> tuple[list[str], list[str]]:
    """Visit `start` and what they link to, `depth` links deep; return (problems, visited).

    Links are followed to one page per URL name (one activity's edit form stands for all 25): the
    templates are what is checked, and that keeps the run short.
    """
    problems: list[str] = []
    seen: set[str] = set()
    kinds: set[str] = set()
    frontier = list(start)
    for level in range(depth + 1):
        following: list[str] = []
        for path in frontier:
            kind = _kind(path)
            if path in seen or len(seen) >= limit or (level > 0 and kind in kinds):
                continue
            seen.add(path)
            kinds.add(kind)
            response = page.goto(path)
            if response is None or response.status >= 400:
                problems.append(f"{path}: HTTP {response.status if response else '?'}")
                continue
            for violation in axe(page):
                problems.append(f"{page.url} [{violation['impact']}] {violation['id']}: {violation['help']}\n    "
                                + "\n    ".join(violation["nodes"]))
            if level < depth:
                following.extend(_links(page, origin))
        frontier = following
    return problems, sorted(seen)


def test_public_pages_have_no_wcag_violations(new_page: Any, axe: Any, live_server: Any, demo_plan: Any) -> None:
    problems = []
    for language in LANGUAGES:
        page = new_page(language)
        found, visited = _check(page, axe, live_server.url, ["/", "/account/login/", "/sollentuna/", PLAN,
                                                             PLAN + "compare/?from=1&to=1"], depth=2)
        assert len(visited) >= 8
        page.goto("/no-such-page/")
        found += [f"404 page: {v['id']}: {v['help']}" for v in axe(page)]
        problems += [f"({language}) {problem}" for problem in found]
    assert not problems, "\n".join(problems)


ROLE_FIXTURES = ["bob", "maria", "walter", "sten", "alice", "ada", "nils"]


@pytest.mark.parametrize("person", ROLE_FIXTURES)
def test_each_roles_start_pages_have_no_wcag_violations(new_page: Any, axe: Any, live_server: Any, demo_plan: Any,
                                                        request: pytest.FixtureRequest, person: str) -> None:
    from varna.plans import services

    user = request.getfixturevalue(person)
    coordinator = request.getfixturevalue("alice")
    draft = services.version_create_draft(actor=coordinator, plan=demo_plan)
    problems = []
    for language in LANGUAGES:
        page = new_page(language, user=user)
        page.goto("/")
        found, visited = _check(page, axe, live_server.url, [urlparse(page.url).path, *_editor_pages(person, draft)],
                                depth=1, limit=40)
        assert visited
        problems += [f"({language}) {problem}" for problem in found]
    assert not problems, "\n".join(problems)


def _editor_pages(person: str, draft: Any) -> list[str]:
    start: list[str] = []
    # The editor's pages, for those who work in them.
    editor = PLAN + f"versions/{draft.number}/"
    if person == "alice":
        activity = draft.activities.first().key
        start += [PLAN + "versions/", editor + "edit/", editor + "activities/new/",
                  editor + f"activities/{activity}/edit/", editor + "levels/prevent/edit/", "/sollentuna/plans/import/",
                  "/sollentuna/manage/audit/"]
    if person == "sten":
        start += [editor + "edit/", editor + "approve/"]
    if person == "ada":
        start += ["/sollentuna/manage/people/", "/sollentuna/manage/audit/"]
    return start


def test_the_two_factor_enrolment_page_has_no_wcag_violations(new_page: Any, axe: Any, alice: Any) -> None:
    problems = []
    for language in LANGUAGES:
        page = new_page(language)
        page.goto("/account/login/")
        page.locator("input[name=email]").fill(alice.email)
        page.locator("input[name=password]").fill("correct horse battery")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/account/two-factor/")
        problems += [f"({language}) {v['id']}: {v['help']} {v['nodes']}" for v in axe(page)]
        mail.outbox.clear()
        EmailDevice.objects.filter(user=alice).delete()  # the e-mail's half-minute pause, so each language gets one
        page.locator("main form:has(input[value=send]) button[type=submit]").click()  # step 1: a code by e-mail
        page.locator("input[name=code]").wait_for()
        problems += [f"({language}, code sent) {v['id']}: {v['help']} {v['nodes']}" for v in axe(page)]
        page.locator("input[name=code]").fill("000000")
        page.locator("main form:has(input[value=check]) button[type=submit]").click()  # the error state
        problems += [f"({language}, with error) {v['id']}: {v['help']} {v['nodes']}" for v in axe(page)]
        code = re.search(r"\b(\d{3}) ?(\d{3})\b", mail.outbox[-1].body)
        assert code, mail.outbox[-1].body
        page.locator("input[name=code]").fill("".join(code.groups()))
        page.locator("main form:has(input[value=check]) button[type=submit]").click()
        page.locator("main img, main svg").first.wait_for()  # step 2: the app's key as a QR code
        problems += [f"({language}, app's key) {v['id']}: {v['help']} {v['nodes']}" for v in axe(page)]
        page.context.clear_cookies()
    assert not problems, "\n".join(problems)


def test_axe_does_report_a_violation_when_there_is_one(new_page: Any, axe: Any, db: Any) -> None:
    """Guards the checks above against passing because axe never ran."""
    page = new_page("sv")
    page.goto("/account/login/")
    page.evaluate("() => { const i = document.createElement('img'); i.src = '/x.png';"
                  " document.getElementById('main').appendChild(i); }")
    assert "image-alt" in {v["id"] for v in axe(page)}
