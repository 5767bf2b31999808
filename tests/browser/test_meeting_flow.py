"""A meeting is planned, held, and the action agreed on it appears in the owner's action list."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone
from playwright.sync_api import expect

MEETINGS = "/sollentuna/meetings/"


def test_a_meeting_is_held_and_its_action_appears(new_page: Any, demo_plan: Any, alice: Any, walter: Any,
                                                  sollentuna: Any) -> None:
    from varna.core.models import Group, GroupMembership, Organisation

    group = Group.objects.create(municipality=sollentuna, kind=Group.Kind.WORKING, name="Arbetsgruppen")
    GroupMembership.objects.create(group=group, user=alice)
    GroupMembership.objects.create(group=group, user=walter,
                                   organisation=Organisation.objects.get(municipality=sollentuna, key="kfk"))
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    due = timezone.localdate() + dt.timedelta(days=14)

    page = new_page("en", alice)
    page.goto(MEETINGS)
    page.get_by_role("link", name="Plan a meeting").click()
    page.get_by_label("Date").fill(yesterday.isoformat())
    page.get_by_label("Starts").fill("13:00")
    page.get_by_label("Ends").fill("15:00")
    page.get_by_label("Place").fill("Kommunhuset")
    page.get_by_role("button", name="Plan the meeting").click()
    expect(page.get_by_text("The meeting is planned and its agenda built.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Arbetsgruppen")

    page.get_by_role("link", name="Mark as held").click()
    # Everyone invited is ticked as present to begin with.
    expect(page.get_by_role("checkbox", name=re.compile("walter"))).to_be_checked()
    page.get_by_label("Minutes").fill("Went through the situation picture.")
    page.get_by_role("button", name="Mark as held").click()
    expect(page.get_by_text("The meeting is marked as held and logged in the follow-up.")).to_be_visible()

    page.get_by_label("Action", exact=True).fill("Book the hall for the parents' evening")
    page.get_by_label("Owner").select_option(label="walter")
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("rowheader", name="Book the hall for the parents' evening")).to_be_visible()

    owner = new_page("en", walter)
    owner.goto(MEETINGS + "actions/")
    expect(owner.get_by_role("heading", level=1)).to_have_text("My actions")
    expect(owner.get_by_role("rowheader", name=re.compile("^Book the hall for the parents' evening"))).to_be_visible()
    expect(owner.get_by_role("cell", name=due.isoformat())).to_be_visible()
