"""Meetings as iCalendar (RFC 5545): one event per meeting, a calendar per download or feed."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vText

from varna.meetings.models import Meeting

# RFC 5545 § 3.3.11: text may hold no control characters but HTAB; a line break is written escaped (\n).
_CONTROL = {code: None for code in (*range(0, 9), *range(11, 32), 127)}


def _text(value: str) -> vText:
    """A TEXT value as the RFC allows it: line breaks kept (icalendar escapes them, with , ; and \\, and folds
    long lines), every other control character dropped. Every text property goes through here: a line break
    in a meeting's title once made the calendar of every reader a server error."""
    return vText(str(value).replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL))


def _event(meeting: Meeting) -> Event:
    event = Event()
    event.add("uid", f"{meeting.uid}@varna")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", _text(meeting.title))
    event.add("sequence", meeting.sequence)
    if meeting.place:
        event.add("location", _text(meeting.place))
    event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
    url = settings.VARNA_PUBLIC_URL + reverse("meetings:meeting_detail", args=[meeting.municipality.slug, meeting.pk])
    event.add("url", url)
    # The agenda lives in Värna, behind login: the calendar carries only the link to it.
    event.add("description", _text(url))
    return event


def calendar_of(meetings: Iterable[Meeting], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Värna//meetings//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _text(name))
    for meeting in meetings:
        calendar.add_component(_event(meeting))
    return calendar.to_ical()
