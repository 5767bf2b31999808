"""The meeting agenda proposes the situation picture since the last meeting, suppressed (INTERNAL)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from varna.core.models import Group, GroupMembership
from varna.meetings import services
from varna.meetings.models import AgendaItem, Meeting
from varna.situation import agenda as situation_agenda


@pytest.fixture
def group(sollentuna: Any, alice: Any) -> Group:
    group = Group.objects.create(municipality=sollentuna, kind=Group.Kind.WORKING, name="Arbetsgruppen")
    GroupMembership.objects.create(group=group, user=alice)
    return group


def _meeting(alice: Any, sollentuna: Any, days_ago: int = 0) -> Meeting:
    starts = timezone.now().replace(microsecond=0) - dt.timedelta(days=days_ago)
    return services.meeting_create(actor=alice, municipality=sollentuna, starts_at=starts,
                                   ends_at=starts + dt.timedelta(hours=2), place="Kommunhuset")


def _small_counts(text: str) -> list[str]:
    """Standalone numbers 1–5 (years such as 2026 and the "≤5" label are not counts shown)."""
    return re.findall(r"(?<![\d≤])[1-5](?!\d)", text)


def _situation_items(meeting: Meeting) -> list[AgendaItem]:
    return list(meeting.agenda_items.filter(kind=situation_agenda.KIND))


def test_agenda_summarises_the_situation_picture_without_small_counts(alice: Any, group: Group,
                                                                       demo_situation: Any) -> None:
    meeting = _meeting(alice, demo_situation)
    [item] = _situation_items(meeting)
    assert item.source_ref.startswith("situation:")
    assert "Total" in item.notes or "Totalt" in item.notes
    assert _small_counts(item.title + " " + item.notes) == []


def test_a_single_observation_shows_as_at_most_five_with_no_free_text_or_reporter(
        alice: Any, group: Group, sollentuna: Any, make_observation: Callable[..., Any]) -> None:
    make_observation(alice, date=timezone.localdate(), category="propaganda",
                     description="Klistermärken vid busshållplatsen", **{"n_male_15_17": 2})
    meeting = _meeting(alice, sollentuna)
    [item] = _situation_items(meeting)
    assert "≤5" in item.notes
    assert _small_counts(item.notes) == []
    assert "Klistermärken" not in item.notes
    assert alice.email not in item.notes
    assert str(alice) not in item.notes


def test_since_the_previous_meeting_and_not_proposed_twice(alice: Any, group: Group, demo_situation: Any) -> None:
    first = _meeting(alice, demo_situation, days_ago=40)
    second = _meeting(alice, demo_situation)
    [item] = _situation_items(second)
    start = timezone.localtime(first.starts_at).date()
    assert item.source_ref.split(":")[1] == f"{start.year}-{1 if start.month <= 6 else 2}"
    services.agenda_refresh(actor=alice, meeting=second)
    assert len(_situation_items(second)) == 1


def test_no_item_without_observations(alice: Any, group: Group, sollentuna: Any) -> None:
    assert _situation_items(_meeting(alice, sollentuna)) == []
