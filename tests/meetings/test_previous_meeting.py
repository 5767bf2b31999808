"""`meetings.selectors.previous_meeting`: where "since the last meeting" starts for every agenda source."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from varna.core.models import Group
from varna.meetings import selectors
from varna.meetings.models import Meeting

NOW = timezone.make_aware(dt.datetime(2026, 10, 15, 13, 0))  # noqa: DTZ001 (made aware in Stockholm time)


def _meeting(group: Group, days: int, status: str = "planned") -> Meeting:
    starts = NOW + dt.timedelta(days=days)
    return Meeting.objects.create(municipality=group.municipality, group=group, title=f"Möte {days}",
                                  starts_at=starts, ends_at=starts + dt.timedelta(hours=2), status=status)


def test_the_previous_meeting_is_the_last_one_before_not_cancelled_and_of_the_same_municipality(
        taby: Any, sollentuna: Any) -> None:
    working = Group.objects.create(municipality=taby, kind=Group.Kind.WORKING, name="Samverkansgruppen")
    steering = Group.objects.create(municipality=taby, kind=Group.Kind.STEERING, name="Styrgruppen")
    elsewhere = Group.objects.create(municipality=sollentuna, kind=Group.Kind.WORKING, name="Arbetsgruppen")
    older = _meeting(working, -60, status="held")
    steering_meeting = _meeting(steering, -30, status="held")
    _meeting(working, -10, status="cancelled")
    _meeting(elsewhere, -5, status="held")
    this = _meeting(working, 0)
    _meeting(working, 30)
    assert selectors.previous_meeting(this) == steering_meeting
    assert selectors.previous_meeting(steering_meeting) == older
    assert selectors.previous_meeting(older) is None
