"""Keyboard only: the first Tab reaches the skip link, Enter moves focus to the main content."""

from __future__ import annotations

from typing import Any

import pytest


# (The login page puts focus in the e-mail field on load, so it starts past the skip link by design.)
@pytest.mark.parametrize("path", ["/", "/sollentuna/", "/sollentuna/plans/handlingsplan-vbe/activities/"])
def test_tab_reaches_the_skip_link_and_enter_lands_on_main(new_page: Any, demo_plan: Any, path: str) -> None:
    page = new_page("sv")
    page.goto(path)
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert focused == ["ds-skip-link", "#main"]
    assert page.evaluate("() => getComputedStyle(document.activeElement).clip") != "rect(0px, 0px, 0px, 0px)"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # The next Tab continues inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.getElementById('main').contains(document.activeElement)")
