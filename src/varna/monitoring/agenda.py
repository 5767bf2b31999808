"""New relevant news as an item on the working group's agenda (the ``agenda_sources`` hook).

:func:`new_relevant_items` proposes one agenda item listing the relevant items fetched since the previous
meeting that nobody dismissed: their titles and feeds only (no summary, no free text of anyone's), at most
:data:`MAX_TITLES` of them and a count of the rest. Before a municipality's first meeting it looks back
:data:`FIRST_MEETING_DAYS` days.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from varna.core.plugins import AgendaProposal
from varna.meetings.selectors import previous_meeting
from varna.monitoring import selectors

KIND = "media"  # the agenda kind this app registers (MonitoringConfig.agenda_kinds)
MAX_TITLES = 10
FIRST_MEETING_DAYS = 90


def new_relevant_items(meeting: Any) -> list[AgendaProposal]:
    previous = previous_meeting(meeting)
    since = previous.starts_at if previous else meeting.starts_at - dt.timedelta(days=FIRST_MEETING_DAYS)
    # Up to the meeting itself; for a meeting planned ahead, that is everything fetched so far.
    items = selectors.digest_items(meeting.municipality, since=since, until=meeting.starts_at)
    total = items.count()
    if not total:
        return []
    lines = [_("%(title)s (%(feed)s)") % {"title": item.title, "feed": item.source.name}
             for item in items[:MAX_TITLES]]
    if total > MAX_TITLES:
        rest = total - MAX_TITLES
        lines.append(ngettext("and %(n)s more", "and %(n)s more", rest) % {"n": rest})
    title = ngettext("Media monitoring: %(n)s relevant news item since the last meeting",
                     "Media monitoring: %(n)s relevant news items since the last meeting", total) % {"n": total}
    since_day = timezone.localtime(since).date().isoformat()
    return [AgendaProposal(kind=KIND, title=title, source_ref=f"monitoring:since:{since_day}",
                           notes="\n".join(lines))]
