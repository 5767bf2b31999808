"""Keyboard users see where focus is, and a form with errors leads them to each field that needs fixing."""

from __future__ import annotations

from typing import Any

PLAN = "/sollentuna/plans/handlingsplan-vbe/"


def test_every_element_tab_reaches_shows_a_visible_focus_ring(new_page: Any, demo_plan: Any, alice: Any) -> None:
    page = new_page("sv", user=alice)
    page.goto("/sollentuna/")
    rings = []
    for _ in range(15):
        page.keyboard.press("Tab")
        rings.append(page.evaluate("""() => {
            const el = document.activeElement, style = getComputedStyle(el);
            return [el.tagName + ' ' + (el.textContent || '').trim().slice(0, 30), style.outlineStyle,
                    parseFloat(style.outlineWidth)];
        }"""))
    invisible = [name for name, style, width in rings if style == "none" or width < 2]
    assert not invisible, invisible


def test_the_error_summary_takes_focus_and_its_links_lead_to_the_fields(new_page: Any, demo_plan: Any,
                                                                         alice: Any) -> None:
    from varna.plans import services

    draft = services.version_create_draft(actor=alice, plan=demo_plan)
    page = new_page("en", user=alice)
    page.goto(f"{PLAN}versions/{draft.number}/activities/new/")
    page.locator("main form[method=post] button").last.click()
    page.wait_for_selector("#error-summary")
    assert page.evaluate("() => document.activeElement.id") == "error-summary"
    links = page.locator("#error-summary a")
    assert links.count() >= 1
    target = links.first.get_attribute("href").removeprefix("#")
    # Every link names a field that exists, described by its error message.
    for href in links.evaluate_all("els => els.map(e => e.getAttribute('href').slice(1))"):
        described = page.evaluate("id => document.getElementById(id)?.getAttribute('aria-describedby') || ''", href)
        assert f"{href}_error" in described, href
    links.first.click()
    assert page.evaluate("() => document.activeElement.id") == target
