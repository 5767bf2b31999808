"""Reads for meetings, always scoped to one municipality."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from varna.core.models import Group, Municipality
from varna.core.selectors import scoped
from varna.meetings.models import Action, Attendee, CalendarToken, Meeting
from varna.plans import selectors as plan_selectors


def meetings_of(municipality: Municipality) -> QuerySet[Meeting]:
    return scoped(Meeting.objects.all(), municipality).select_related("group", "municipality")


def activities_fulfilled(meeting: Meeting) -> QuerySet[Any]:
    """The plan activities a held meeting of this group counts for: those whose `fulfilled_by` names the
    group's kind (e.g. `meeting: working`), in every plan's version in force on the meeting's day."""
    return plan_selectors.activities_fulfilled_by(meeting.municipality, "meeting", meeting.group.kind,
                                                  day=timezone.localtime(meeting.starts_at).date())


def meeting_get(municipality: Municipality, pk: int) -> Meeting:
    attendees = Prefetch("attendees", queryset=Attendee.objects.select_related("user", "organisation"))
    meeting = meetings_of(municipality).filter(pk=pk).prefetch_related(attendees, "agenda_items", "decisions").first()
    if meeting is None:
        raise Http404
    return meeting


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The municipality's last meeting before `meeting` that was not cancelled (any group), or None: where
    "since the last meeting" starts for the agenda sources."""
    return (meetings_of(meeting.municipality).filter(starts_at__lt=meeting.starts_at).exclude(pk=meeting.pk)
            .exclude(status=Meeting.Status.CANCELLED).order_by("-starts_at").first())


def meetings_upcoming(municipality: Municipality, *, now: Any) -> QuerySet[Meeting]:
    return meetings_of(municipality).filter(starts_at__gte=now).order_by("starts_at", "id")


def meetings_earlier(municipality: Municipality, *, now: Any) -> QuerySet[Meeting]:
    return meetings_of(municipality).filter(starts_at__lt=now).order_by("-starts_at", "-id")


def action_list_for(municipality: Municipality, user: Any, *, mine: bool) -> QuerySet[Action]:
    """The action list: the user's own actions, or every action of the municipality; open ones first."""
    actions = actions_owned_by(municipality, user) if mine else actions_of(municipality)
    return actions.order_by("status", "due_date", "id")


def working_group_of(municipality: Municipality) -> Group | None:
    return scoped(Group.objects.all(), municipality).filter(kind=Group.Kind.WORKING).order_by("id").first()


def actions_of(municipality: Municipality) -> QuerySet[Action]:
    return scoped(Action.objects.all(), municipality).select_related("owner", "meeting__municipality")


def open_actions_of(municipality: Municipality) -> QuerySet[Action]:
    """Actions decided at meetings that are not done yet."""
    return actions_of(municipality).filter(status__in=Action.OPEN_STATUSES)


def action_get(municipality: Municipality, pk: int) -> Action:
    action = actions_of(municipality).filter(pk=pk).first()
    if action is None:
        raise Http404
    return action


def actions_owned_by(municipality: Municipality, user: Any) -> QuerySet[Action]:
    return actions_of(municipality).filter(owner=user)


def meetings_for_user(municipality: Municipality, user: Any) -> QuerySet[Meeting]:
    """The meetings the user is invited to: what their calendar feed holds."""
    return meetings_of(municipality).filter(attendees__user=user).exclude(status=Meeting.Status.CANCELLED)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def calendar_token_lookup(raw: str) -> CalendarToken | None:
    return (CalendarToken.objects.filter(token_hash=hash_token(raw), revoked_at__isnull=True)
            .select_related("user", "municipality").first())


def active_calendar_token(municipality: Municipality, user: Any) -> CalendarToken | None:
    return CalendarToken.objects.filter(municipality=municipality, user=user, revoked_at__isnull=True).first()


def meetings_held_in(municipality: Municipality, year: int) -> QuerySet[Meeting]:
    return (meetings_of(municipality).filter(status=Meeting.Status.HELD, starts_at__year=year)
            .prefetch_related("decisions", "attendees").order_by("starts_at"))


def action_counts_in(municipality: Municipality, year: int) -> dict[str, int]:
    """Actions decided at the year's meetings, by status."""
    counts = {status: 0 for status in Action.Status.values}
    for status in actions_of(municipality).filter(meeting__starts_at__year=year).values_list("status", flat=True):
        counts[status] += 1
    return counts
