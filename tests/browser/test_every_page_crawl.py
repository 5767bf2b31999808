"""The crawl: every HTML page of the URL table, as every role the table lets open it, in Swedish and English.

The pages come from tests/security/url_access.yaml, as for the authorization matrix, so a module's new page
is crawled the day it is routed. Each (URL, role) pair the table answers with 200 is rendered by the test
client first; a page whose HTML is the same as another role's (once the person's name and the form tokens
are set aside) is crawled once. Downloads and the JSON API are left out by their content type.

In the browser each page is loaded at 1280 px, checked with axe-core (WCAG 2.0/2.1 A and AA), and then
resized (not reloaded) to 390 and 320 px. At each width it fails on: the page scrolling sideways, a table
cut off by a container that hides its overflow, and a control (button, field, button-styled link) smaller
than 24 × 24 px (WCAG 2.2, 2.5.8; links inside running text are exempt, as the criterion allows). On every
Swedish page it also fails on an English sentence of our catalogues shown untranslated.

One test per language, so that `make crawl` (`-n 2`) runs the two side by side; one browser context per role.
It takes minutes, so it is not part of `make test`.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from babel.messages.pofile import read_po
from django.urls import reverse

from tests.security.test_authorization_matrix import (
    LIKE,
    ROLES,
    _client_for,
    _expected,
    _kwargs,
    build_people,
    load_table,
    routes,
)

pytestmark = pytest.mark.crawl

WIDTHS = [1280, 390, 320]
LANGUAGES = ["sv", "en"]

CHECK = (Path(__file__).with_name("layout_check.js")).read_text(encoding="utf-8")
SRC = Path(__file__).resolve().parents[2] / "src" / "varna"
# The page's text outside any element marked as another language (the "English" switch, quoted names).
SWEDISH_TEXT = """() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const parts = [];
    while (walker.nextNode()) {
        const node = walker.currentNode, parent = node.parentElement;
        if (!parent || parent.closest('script, style, [hidden], [lang]:not([lang^="sv"])')) continue;
        parts.push(node.textContent);
    }
    return parts.join(' ').replace(/\\s+/g, ' ');
}"""
TOKENS = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"|<meta name="csrf-token" content="[^"]*"')


def english_sentences() -> set[str]:
    """The English source of every catalogue entry that Swedish translates differently: if one of these
    shows on a Swedish page, a string escaped translation. Short ones and ones with placeholders are left
    out: they are words Swedish shares ("Status", "Administration") or are filled in at run time."""
    sentences = set()
    for path in SRC.glob("**/locale/sv/LC_MESSAGES/django.po"):
        with path.open("rb") as handle:
            for message in read_po(handle):
                if not isinstance(message.id, str) or not isinstance(message.string, str) or not message.string:
                    continue
                text = " ".join(message.id.split())
                if len(text) >= 20 and text != " ".join(message.string.split()) and not any(
                        mark in text for mark in ("%", "{", "<", "&")):
                    sentences.add(text)
    return sentences


def _answer(expect: dict[str, Any], role: str) -> Any:
    """What the table promises `role` (the matrix's rule: a role like another answers as it unless named)."""
    if role in LIKE:
        return expect.get(role, expect.get(LIKE[role], expect.get("default")))
    return expect.get(role, expect.get("default"))


def _anonymised(html: bytes, person: Any) -> bytes:
    html = TOKENS.sub(b"", html)
    if person is not None:
        for value in {person.email, person.full_name, str(person)} - {""}:
            html = html.replace(value.encode(), b"")
    return html


def crawl_pages(people: dict[str, Any], language: str) -> list[tuple[str, str, str]]:
    """(URL name, path, role) for every HTML page each role may open, with duplicates left out."""
    table = load_table()
    pages, seen = [], set()
    # Which pages are HTML is asked of Django directly; a PDF need not be drawn to learn it is one.
    with mock.patch("weasyprint.HTML.write_pdf", return_value=b"%PDF-1.7 crawl"):
        clients = {role: _client_for(people.get(role)) for role in ROLES}
        for client in clients.values():
            client.cookies["django_language"] = language
        for route in sorted(routes(), key=lambda r: r.name):
            if route.admin or route.name.startswith("api:"):
                continue
            entry = _expected(table, route)
            if entry is None:
                continue
            path = reverse(route.name, kwargs=_kwargs(table, route, entry) or None)
            for role in ROLES:
                if _answer(entry["expect"], role) != 200:
                    continue
                response = clients[role].get(path)
                if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                    continue
                digest = hashlib.sha256(_anonymised(response.content, people.get(role))).hexdigest()
                if (path, digest) not in seen:
                    seen.add((path, digest))
                    pages.append((route.name, path, role))
    return pages


def test_the_checks_catch_what_they_look_for(new_page: Any, live_server: Any) -> None:
    probe = new_page("sv")
    probe.set_content('<main><div style="width:2000px">x</div><button style="width:10px;height:10px">b</button></main>')
    assert len(probe.evaluate(CHECK)) == 2
    english = sorted(english_sentences())
    assert len(english) > 500
    probe.set_content(f"<main><p>{english[0]}</p><p lang='en'>{english[1]}</p></main>")
    shown = probe.evaluate(SWEDISH_TEXT)
    assert english[0] in shown
    assert english[1] not in shown


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_as_every_role_that_may_open_it(language: str, new_page: Any, axe: Any, live_server: Any) -> None:
    people = build_people()
    pages = crawl_pages(people, language)
    roles = {role for _name, _path, role in pages}
    # Every role of the table that has pages of its own is crawled, each start page per role.
    assert {"anonymous", "staff", "manager", "working_group", "steering_group", "coordinator", "administrator",
            "national_analyst", "partner"} <= roles, sorted(roles)
    home = reverse("core:municipality_home", kwargs={"municipality": "sollentuna"})
    assert {r for _n, p, r in pages if p == home} >= {"staff", "steering_group", "coordinator"}
    print(f"crawl ({language}): {len(pages)} pages as {len(roles)} roles")  # shown with -s
    english = english_sentences() if language == "sv" else set()
    problems = []
    tabs: dict[str, Any] = {}
    for name, path, role in pages:
        page = tabs.get(role) or tabs.setdefault(role, new_page(language, user=people.get(role)))
        where = f"({language}) {name} {path} as {role}"
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        response = page.goto(path)
        if response is None or response.status != 200:
            problems.append(f"{where}: HTTP {response.status if response else '?'}")
            continue
        if english:
            text = page.evaluate(SWEDISH_TEXT)
            problems += [f"{where}: untranslated “{sentence}”" for sentence in english if sentence in text]
        for violation in axe(page):
            problems.append(f"{where} [{violation['impact']}] {violation['id']}: {violation['help']}\n    "
                            + "\n    ".join(violation["nodes"]))
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            problems += [f"{where} at {width}px: {problem}" for problem in page.evaluate(CHECK)]
    assert not problems, f"{len(problems)} problems on {len(pages)} pages:\n" + "\n".join(problems)
