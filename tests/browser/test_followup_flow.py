"""A staff member logs an activity for their own unit on the follow-up pages and sees it counted."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from varna.plans.selectors import approved_activities_of

FOLLOWUP = "/sollentuna/followup/"


def test_staff_logs_an_activity_and_sees_it_counted(new_page: Any, demo_plan: Any, bob: Any,
                                                    sollentuna: Any) -> None:
    from varna.core.models import Organisation

    direction = approved_activities_of(sollentuna).get(key="implement-managers").direction
    unit = Organisation.objects.get(municipality=sollentuna, key="buk").name
    page = new_page("en", bob)
    page.goto(FOLLOWUP)
    # Staff first see their own unit's rows.
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=direction, exact=True))
    expect(row.locator('td[data-label="Unit"]')).to_have_text(unit)
    expect(row.locator('td[data-label="Done"]')).to_have_text("0")

    row.get_by_role("link", name="Log").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_label("What was done").fill("Went through the plan at the staff meeting")
    page.get_by_label("Number of participants").fill("12")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Logged. Thank you!")).to_be_visible()
    expect(row.locator('td[data-label="Done"]')).to_have_text("1")
