"""The situation picture as an item on the working group's agenda (the ``agenda_sources`` hook).

:func:`since_last_meeting` summarises the observations since the previous meeting of the same
municipality, by category, through :func:`varna.situation.selectors.situation_tables` with the
``INTERNAL`` policy (counts 1–5 are never shown). Only suppressed counts go on the agenda: no free text,
no reporter, no district below the table's own suppression. The situation picture is kept per term, so
"since the last meeting" means the terms from the previous meeting's term to this meeting's term (this
term and the last when there is no earlier meeting).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from varna.core.plugins import AgendaProposal
from varna.core.terms import Term, term_label
from varna.disclosure.suppression import INTERNAL
from varna.meetings.selectors import previous_meeting
from varna.situation import selectors

KIND = "situation"  # the agenda kind this app registers (SituationConfig.agenda_kinds)


def since_last_meeting(meeting: Any) -> list[AgendaProposal]:
    this_term = Term.of(timezone.localtime(meeting.starts_at).date())
    previous = previous_meeting(meeting)
    term_to = this_term.key
    term_from = Term.of(timezone.localtime(previous.starts_at).date()).key if previous else this_term.previous().key
    filters = selectors.Filters(term_from=term_from, term_to=term_to)
    if not filters.apply(selectors.observations_of(meeting.municipality)).exists():
        return []
    spec = selectors.TableSpec("agenda", _("Observations per category since the last meeting"), "category",
                               ("term",), measure="observations")
    table = selectors.situation_tables(municipality=meeting.municipality, filters=filters, policy=INTERNAL,
                                       specs=[spec])[0]
    period = term_label(term_from) if term_from == term_to else f"{term_label(term_from)}–{term_label(term_to)}"
    lines = [_("%(category)s: %(count)s") % {"category": row.label, "count": row.total.display}
             for row in table.rows if row.total.value != 0]
    notes = _("Observations in the situation picture, %(period)s (small counts are not shown): %(lines)s. "
              "Total: %(total)s.") % {"period": period, "lines": "; ".join(lines), "total": table.grand_total.display}
    return [AgendaProposal(kind=KIND, title=_("Situation picture since the last meeting"),
                           source_ref=f"situation:{term_from}:{term_to}", notes=notes)]
