"""Every HTML page of the URL table, as the role that sees most of it, fits a phone and a desktop.

Each page is loaded once at 1280 px and then resized (not reloaded) to 390 and 320 px. At each width it
fails on: the page scrolling sideways, a table cut off by a container that hides its overflow, and a
control (button, field, button-styled link) smaller than 24 × 24 px (WCAG 2.2, 2.5.8). Links inside
running text are exempt, as the criterion allows. Both languages; about 70 s, so it runs in `make test`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser.test_every_page_accessibility import _pages
from tests.security.test_authorization_matrix import build_people

WIDTHS = [1280, 390, 320]
LANGUAGES = ["sv", "en"]

CHECK = (Path(__file__).with_name("layout_check.js")).read_text(encoding="utf-8")


def test_every_page_fits_every_width(new_page: Any, live_server: Any) -> None:
    people = build_people()
    pages = _pages(people)
    assert len(pages) >= 60
    # The check itself first: a page that is too wide, with a tiny button, must be caught.
    probe = new_page("sv")
    probe.set_content('<main><div style="width:2000px">x</div><button style="width:10px;height:10px">b</button></main>')
    assert len(probe.evaluate(CHECK)) == 2
    problems = []
    tabs: dict[tuple[str, str], Any] = {}
    for language, (name, path, role) in [(lang, p) for lang in LANGUAGES for p in pages]:
        page = tabs.get((language, role)) or tabs.setdefault(
            (language, role), new_page(language, user=people.get(role)))
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        response = page.goto(path)
        if response is None or response.status != 200:
            problems.append(f"({language}) {name} {path} as {role}: HTTP {response.status if response else '?'}")
            continue
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for problem in page.evaluate(CHECK):
                problems.append(f"({language}) {name} {path} as {role} at {width}px: {problem}")
    assert not problems, f"{len(problems)} problems on {len(pages)} pages:\n" + "\n".join(problems)
