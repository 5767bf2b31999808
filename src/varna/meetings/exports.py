"""The meeting and action lists as cells: one definition each for the page, the CSV and the XLSX file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from varna.core.exports import Column, Table, table_of
from varna.meetings.models import Action, Meeting


def _meeting_link(meeting: Meeting) -> str:
    return reverse("meetings:meeting_detail", kwargs={"municipality": meeting.municipality.slug, "pk": meeting.pk})


MEETING_COLUMNS: list[Column[Meeting]] = [
    Column(gettext_lazy("Date"), lambda m: m.starts_at),
    Column(gettext_lazy("Meeting"), lambda m: m.title, link=_meeting_link),
    Column(gettext_lazy("Place"), lambda m: m.place or "–"),
    Column(gettext_lazy("Status"), lambda m: m.get_status_display()),
]


def meeting_tables(upcoming: Iterable[Meeting], earlier: Iterable[Meeting]) -> list[Table]:
    """The list's two tables: meetings to come (soonest first) and earlier ones (latest first)."""
    return [table_of(MEETING_COLUMNS, upcoming, title=_("Upcoming meetings"), key="upcoming"),
            table_of(MEETING_COLUMNS, earlier, title=_("Earlier meetings"), key="earlier")]


def action_columns(today: dt.date) -> list[Column[Action]]:
    return [
        Column(pgettext_lazy("meeting action", "Action"), lambda a: a.title),
        Column(gettext_lazy("Meeting"), lambda a: str(a.meeting), link=lambda a: _meeting_link(a.meeting)),
        Column(gettext_lazy("Owner"), lambda a: str(a.owner)),
        Column(gettext_lazy("Due date"), lambda a: a.due_date),
        Column(gettext_lazy("Overdue"), lambda a: a.is_open and a.due_date < today),
        Column(gettext_lazy("Status"), lambda a: a.get_status_display()),
        Column(gettext_lazy("Comment"), lambda a: a.status_note),
    ]


def action_table(actions: Iterable[Action], *, today: dt.date, heading: list[str] | None = None) -> Table:
    return table_of(action_columns(today), actions, title=_("Actions from working-group meetings"),
                    heading=heading or [])
