"""The start page's task list (GOV.UK pattern): what needs this person now, per role, in another municipality
than the demo's, with links only to actions that are possible."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from tests.plans import timeline
from tests.plans.timeline import Row
from varna.core.models import Group, GroupMembership
from varna.implementation import services as implementation
from varna.meetings import services as meetings
from varna.plans import services as plans

pytestmark = pytest.mark.django_db


def _tasks(html: str) -> list[str]:
    match = re.search(r'<ul [^>]*id="attention"[^>]*>(.*?)</ul>', html, re.S)
    return [re.sub(r"\s+", " ", i).strip() for i in re.findall(r"<a [^>]*>(.*?)</a>", match.group(1), re.S)] \
        if match else []


@pytest.fixture
def strategy(taby: Any) -> Any:
    plan = timeline.plan(taby, "strategi", "Strategi mot extremism")
    version = timeline.version(plan, 1, levels=[("prevent", "Förebygga")],
                               rows=[Row("prevent-talks", "prevent", "per_term(1)", ["skolor"])],
                               valid_from=dt.date(2025, 1, 1), adopted_on=dt.date(2024, 12, 1))
    implementation.round_start(version=version)
    return plan


def test_the_approver_is_asked_to_decide_on_the_draft(verified_client: Any, tove: Any, make_person: Any,
                                                      taby: Any, strategy: Any) -> None:
    steering = make_person("stina@taby.example", "steering_group", taby)
    before = _tasks(verified_client(steering).get("/taby/").content.decode())
    assert not any("utkast" in task for task in before)
    draft = plans.version_create_draft(actor=tove, plan=strategy)
    assert strategy.approval_role == "steering_group"
    # Not before the coordinator has sent it: a draft being written is nothing to decide on yet.
    assert not any("utkast" in task for task in _tasks(verified_client(steering).get("/taby/").content.decode()))
    plans.version_send_for_approval(actor=tove, version=draft)
    html = verified_client(steering).get("/taby/").content.decode()
    assert f"Besluta om utkast {draft.number} av ”Strategi mot extremism”" in _tasks(html)
    assert f"/taby/plans/strategi/versions/{draft.number}/approve/" in html


def test_staff_are_asked_to_acknowledge_the_plan_until_they_have(verified_client: Any, make_person: Any,
                                                                 taby: Any, strategy: Any) -> None:
    staff = make_person("sam@taby.example", "staff", taby, unit="skolor")
    client = verified_client(staff)
    assert "Läs och bekräfta ”Strategi mot extremism”" in _tasks(client.get("/taby/").content.decode())
    implementation.acknowledge(actor=staff, municipality=taby)
    html = client.get("/taby/").content.decode()
    assert _tasks(html) == []
    assert "Inget väntar på dig just nu." in html


def test_the_coordinator_prepares_the_next_meeting_and_cannot_mark_it_held_early(verified_client: Any,
                                                                                 tove: Any, taby: Any) -> None:
    group = Group.objects.create(municipality=taby, kind=Group.Kind.WORKING, name="Arbetsgruppen")
    GroupMembership.objects.create(group=group, user=tove)
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=5)
    meeting = meetings.meeting_create(actor=tove, municipality=taby, starts_at=starts,
                                      ends_at=starts + dt.timedelta(hours=1))
    client = verified_client(tove)
    html = client.get("/taby/").content.decode()
    assert any(task.startswith("Förbered mötet") for task in _tasks(html))
    detail = client.get(f"/taby/meetings/{meeting.pk}/").content.decode()
    assert f"/taby/meetings/{meeting.pk}/held/" not in detail
    assert "Du kan markera mötet som genomfört när det har börjat." in detail


def test_the_start_page_does_not_repeat_the_menu(verified_client: Any, tove: Any, taby: Any) -> None:
    html = verified_client(tove).get("/taby/").content.decode()
    main = html.split('<main', 1)[1].split("</main>", 1)[0]
    # The public pages' cards are the visitor's way in; what must not come back is the menu as a list.
    main = re.sub(r'<div class="card-grid">.*?</div>\n', "", main, flags=re.S)
    header = html.split("<header", 1)[1].split("</header>", 1)[0]
    header_links = set(re.findall(r'href="(/taby/[^"]+)"', header))
    assert header_links
    assert not header_links & set(re.findall(r'href="(/taby/[^"]+)"', main))
