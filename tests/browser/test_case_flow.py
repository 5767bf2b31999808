"""A coordinator opens a case and adds a participant; another staff member gets 404 until added too."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect


def test_a_case_is_seen_only_by_those_added_to_it(new_page: Any, alice: Any, walter: Any, bob: Any,
                                                  sollentuna: Any) -> None:
    coordinator = new_page("en", alice)
    coordinator.goto("/sollentuna/cases/")
    coordinator.get_by_role("link", name="Open a case").click()
    coordinator.get_by_label("Age band").select_option(index=1)
    coordinator.get_by_label("Gender").select_option(index=1)
    coordinator.get_by_role("button", name="Open the case").click()
    expect(coordinator.get_by_text("The case was opened.")).to_be_visible()
    heading = coordinator.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^Case VX-[A-Z0-9]{4}$"))
    title = heading.inner_text()
    case_url = coordinator.url
    participants = case_url + "participants/"

    coordinator.goto(participants)
    coordinator.get_by_label("Person").select_option(label=f"walter <{walter.email}>")
    coordinator.get_by_role("button", name="Add", exact=True).click()
    expect(coordinator.get_by_text("The person now takes part in the case.")).to_be_visible()
    expect(coordinator.get_by_role("listitem").filter(has_text=walter.email)).to_be_visible()

    # Bob is staff in the same municipality but takes no part: the case does not exist for him.
    other = new_page("en", bob)
    response = other.goto(case_url)
    assert response is not None
    assert response.status == 404
    expect(other.get_by_text(re.compile(r"VX-[A-Z0-9]{4}"))).to_have_count(0)

    coordinator.get_by_label("Person").select_option(label=f"bob <{bob.email}>")
    coordinator.get_by_role("button", name="Add", exact=True).click()
    expect(coordinator.get_by_role("listitem").filter(has_text=bob.email)).to_be_visible()

    response = other.goto(case_url)
    assert response is not None
    assert response.status == 200
    expect(other.get_by_role("heading", level=1)).to_have_text(title)
