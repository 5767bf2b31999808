"""In Täby (not the demo's municipality): the coordinator sends a draft for approval, the steering group finds it
on its task list and returns it with a comment, and the coordinator finds it back on theirs; axe on each page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from playwright.sync_api import expect

from tests.plans import timeline
from tests.plans.timeline import Row
from varna.plans import services

TITLE = "Strategi mot extremism"


def test_a_draft_goes_to_the_steering_group_and_back_with_a_comment(new_page: Any, axe: Any, taby: Any,
                                                                    tove: Any, make_person: Any) -> None:
    plan = timeline.plan(taby, "strategi", TITLE)
    timeline.version(plan, 1, levels=[("forebygga", "Förebygga")],
                     rows=[Row("samtal-skolor", "forebygga", "per_term(1)", ["skolor"])],
                     valid_from=dt.date(2025, 1, 1), adopted_on=dt.date(2024, 12, 1))
    services.version_create_draft(actor=tove, plan=plan)
    stina = make_person("stina@taby.example", "steering_group", taby)

    page = new_page("sv", user=tove)
    page.goto("/taby/plans/strategi/versions/2/edit/")
    page.get_by_role("link", name="Skicka för godkännande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skicka utkast 2 för godkännande")
    assert axe(page) == []
    page.get_by_role("button", name="Skicka för godkännande").click()
    expect(page.get_by_text("Utkast 2 skickades för godkännande.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Lägg till en aktivitet"))).to_have_count(0)

    page = new_page("sv", user=stina)
    page.goto("/taby/")
    page.get_by_role("link", name=f"Besluta om utkast 2 av ”{TITLE}”").click()
    page.get_by_role("link", name="Skicka tillbaka med en kommentar").click()
    page.get_by_role("button", name="Skicka tillbaka utkastet").click()
    expect(page.get_by_text("Detta fält måste fyllas i.").first).to_be_visible()
    assert axe(page) == []
    page.get_by_label("Vad som behöver ändras").fill("Lägg till en aktivitet för fritidsgårdarna.")
    page.get_by_role("button", name="Skicka tillbaka utkastet").click()
    expect(page.get_by_text("Utkast 2 skickades tillbaka med din kommentar.")).to_be_visible()

    page = new_page("sv", user=tove)
    page.goto("/taby/")
    page.get_by_role("link", name=f"Utkast 2 av ”{TITLE}” skickades tillbaka: läs kommentaren och skicka det igen"
                     ).click()
    expect(page.locator("#approval-state")).to_contain_text("Lägg till en aktivitet för fritidsgårdarna.")
    expect(page.get_by_role("link", name="Skicka för godkännande")).to_be_visible()
    assert axe(page) == []
