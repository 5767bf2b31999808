"""A new meeting's agenda gets one item listing the relevant news since the last meeting (titles and feeds)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from varna.core.models import Group, GroupMembership
from varna.meetings import services as meeting_services
from varna.meetings.models import AgendaItem, Meeting
from varna.monitoring import agenda, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(sollentuna: Any, alice: Any) -> Group:
    group = Group.objects.create(municipality=sollentuna, kind=Group.Kind.WORKING, name="Arbetsgruppen")
    GroupMembership.objects.create(group=group, user=alice)
    return group


def _meeting(alice: Any, sollentuna: Any, days_ago: float = 0) -> Meeting:
    starts = timezone.now().replace(microsecond=0) - dt.timedelta(days=days_ago)
    return meeting_services.meeting_create(actor=alice, municipality=sollentuna, starts_at=starts,
                                           ends_at=starts + dt.timedelta(hours=2))


def _media(meeting: Meeting) -> list[AgendaItem]:
    return list(meeting.agenda_items.filter(kind=agenda.KIND))


def test_a_new_meeting_lists_relevant_news_but_not_dismissed_or_irrelevant_items(
        alice: Any, group: Group, sollentuna: Any, items: dict[str, Any], taby_item: Any) -> None:
    services.item_dismiss(actor=alice, item=items["report"])
    [item] = _media(_meeting(alice, sollentuna))
    assert item.title == "Mediebevakning: 2 relevanta nyheter sedan förra mötet"
    assert item.notes.splitlines() == ["Nazistiska klistermärken vid stationen (Lokaltidningen)",
                                       "Hakkors på skolgården (Lokaltidningen)"]
    assert "simhallen" not in item.notes
    assert "jihadist" not in item.notes
    assert "Täby" not in item.notes


def test_only_items_fetched_since_the_previous_meeting(alice: Any, group: Group, sollentuna: Any, news: Any,
                                                       make_item: Callable[..., Any]) -> None:
    make_item(news, "Hakkors före förra mötet", milieus=["white-power"], days_ago=20)
    first = _meeting(alice, sollentuna, days_ago=10)
    assert [i.notes for i in _media(first)] == ["Hakkors före förra mötet (Lokaltidningen)"]
    make_item(news, "Hakkors efter förra mötet", milieus=["white-power"], days_ago=5)
    [item] = _media(_meeting(alice, sollentuna))
    assert item.notes == "Hakkors efter förra mötet (Lokaltidningen)"
    assert item.source_ref == f"monitoring:since:{timezone.localtime(first.starts_at).date().isoformat()}"


def test_the_digest_is_capped_and_not_proposed_twice(alice: Any, group: Group, sollentuna: Any, news: Any,
                                                     make_item: Callable[..., Any]) -> None:
    for n in range(agenda.MAX_TITLES + 3):
        make_item(news, f"Hakkors nummer {n}", milieus=["white-power"], days_ago=1 + n / 100)
    meeting = _meeting(alice, sollentuna)
    [item] = _media(meeting)
    lines = item.notes.splitlines()
    assert len(lines) == agenda.MAX_TITLES + 1
    assert lines[0] == "Hakkors nummer 0 (Lokaltidningen)"
    assert lines[-1] == "och 3 till"
    meeting_services.agenda_refresh(actor=alice, meeting=meeting)
    assert len(_media(meeting)) == 1


def test_no_item_when_nothing_relevant_came_in(alice: Any, group: Group, sollentuna: Any, news: Any,
                                               make_item: Callable[..., Any]) -> None:
    make_item(news, "Nya simhallen öppnar")
    assert _media(_meeting(alice, sollentuna)) == []
