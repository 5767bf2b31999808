"""axe-core on every HTML page Värna routes, in Swedish and English, as a person allowed to see it.

The pages come from the same URL table as the authorization matrix (tests/security/url_access.yaml):
each URL is opened as the first role in `PREFERRED` that the table lets in, so a module's new page is
checked the day it is routed, whether or not anything links to it yet. Downloads (CSV, XLSX, PDF,
calendar files) and the JSON API are left out by their content type.
"""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.urls import reverse

from tests.security.test_authorization_matrix import (
    _client_for,
    _expected,
    _kwargs,
    build_people,
    load_table,
    routes,
)

LANGUAGES = ["sv", "en"]
# Who opens a page: the role that sees the most of it first.
PREFERRED = ["coordinator", "working_group", "steering_group", "manager", "staff", "administrator",
             "national_analyst", "anonymous"]


def _pages(people: dict[str, Any]) -> list[tuple[str, str, str]]:
    table = load_table()
    pages = []
    clients: dict[str, Any] = {}
    # Which pages are HTML is asked of Django directly; a PDF need not be drawn to learn it is one.
    with mock.patch("weasyprint.HTML.write_pdf", return_value=b"%PDF-1.7 axe"):
        for route in sorted(routes(), key=lambda r: r.name):
            if route.admin or route.name.startswith("api:"):
                continue
            entry = _expected(table, route)
            if entry is None:
                continue
            expect = entry["expect"]
            role = next((r for r in PREFERRED if expect.get(r, expect.get("default")) == 200), None)
            if role is None:
                continue
            path = reverse(route.name, kwargs=_kwargs(table, route, entry) or None)
            client = clients.setdefault(role, _client_for(people.get(role)))
            response = client.get(path)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                pages.append((route.name, path, role))
    return pages


def test_every_page_has_no_wcag_violations(new_page: Any, axe: Any, live_server: Any) -> None:
    people = build_people()
    pages = _pages(people)
    assert len(pages) >= 60, f"only {len(pages)} HTML pages found: is the URL table read?"
    print(f"axe: {len(pages)} pages × {len(LANGUAGES)} languages")  # shown with -s; the number is worth seeing
    problems = []
    for language in LANGUAGES:
        tabs: dict[str, Any] = {}
        for name, path, role in pages:
            page = tabs.get(role) or tabs.setdefault(role, new_page(language, user=people.get(role)))
            response = page.goto(path)
            if response is None or response.status != 200:
                problems.append(f"({language}) {name} {path} as {role}: HTTP {response.status if response else '?'}")
                continue
            for violation in axe(page):
                problems.append(f"({language}) {name} {path} as {role} [{violation['impact']}] {violation['id']}: "
                                f"{violation['help']}\n    " + "\n    ".join(violation["nodes"]))
    assert not problems, f"{len(problems)} problems on {len(pages)} pages:\n" + "\n".join(problems)
