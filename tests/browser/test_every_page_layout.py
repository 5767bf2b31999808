"""Every HTML page of the URL table, as the role that sees most of it, fits a phone and a desktop.

Each page is loaded once at 1280 px and then resized (not reloaded) to 390 and 320 px. At each width it
fails on: the page scrolling sideways, a table cut off by a container that hides its overflow, and a
control (button, field, button-styled link) smaller than 24 × 24 px (WCAG 2.2, 2.5.8). Links inside
running text are exempt, as the criterion allows. Both languages; about 70 s, so it runs in `make test`.
On every Swedish page it also fails on an English sentence of our catalogues shown untranslated.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

from tests.browser.test_every_page_accessibility import _pages
from tests.security.test_authorization_matrix import build_people

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


def test_every_page_fits_every_width(new_page: Any, live_server: Any) -> None:
    people = build_people()
    pages = _pages(people)
    assert len(pages) >= 60
    # The check itself first: a page that is too wide, with a tiny button, must be caught.
    probe = new_page("sv")
    probe.set_content('<main><div style="width:2000px">x</div><button style="width:10px;height:10px">b</button></main>')
    assert len(probe.evaluate(CHECK)) == 2
    english = english_sentences()
    assert len(english) > 500
    sample = sorted(english)[0]
    probe.set_content(f"<main><p>{sample}</p><p lang='en'>{sorted(english)[1]}</p></main>")
    shown = probe.evaluate(SWEDISH_TEXT)
    assert sample in shown
    assert sorted(english)[1] not in shown
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
        if language == "sv":
            text = page.evaluate(SWEDISH_TEXT)
            problems += [f"(sv) {name} {path} as {role}: untranslated “{sentence}”"
                         for sentence in english if sentence in text]
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for problem in page.evaluate(CHECK):
                problems.append(f"({language}) {name} {path} as {role} at {width}px: {problem}")
    assert not problems, f"{len(problems)} problems on {len(pages)} pages:\n" + "\n".join(problems)
