"""A working-group member reports an observation and sees it in the dashboard, suppressed."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

SITUATION = "/sollentuna/situation/"


def test_working_group_reports_an_observation_and_the_dashboard_hides_the_small_count(
        new_page: Any, walter: Any, sollentuna: Any) -> None:
    from varna.situation import demo

    demo.load_districts(sollentuna)
    page = new_page("en", walter)
    page.goto(SITUATION + "observations/new/")
    page.get_by_label("District").select_option(label="Tureberg")
    page.get_by_label("Category").select_option("propaganda")
    page.get_by_label("Milieu").select_option("white-power")
    page.get_by_label("Boys/men, 15–17").fill("3")
    page.get_by_label("Short description").fill("Stickers at the bus stop by the upper-secondary school.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Thank you. The observation was saved.")).to_be_visible()

    page.goto(SITUATION)
    table = page.locator("#table-district")
    row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Tureberg", exact=True))
    # Three people: shown as "≤5", never as the exact count.
    expect(row.locator("td.total")).to_have_text("≤5")
    expect(table).not_to_contain_text("3")
