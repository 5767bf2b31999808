"""Synthetic follow-up for the demo: two terms of logged activities. Idempotent, clearly marked as demo."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from varna.core.models import Municipality
from varna.core.terms import Term
from varna.followup import selectors
from varna.followup.expectations import expected_in_window, expected_occurrences
from varna.followup.models import ActivityLog

DEMO_PREFIX = "[Demo] "
_WHAT = [
    "Tema på arbetsplatsträffen, med diskussion i smågrupper",
    "Lektionsserie i två klasser, utvärderad med eleverna",
    "Samtal i personalgruppen om hur vi agerar vid oro",
    "Information på föräldramöte",
    "Genomgång med chefsgruppen och uppföljning av tidigare beslut",
    "Aktivitet på fritidsgården tillsammans med föreningslivet",
]


def _dates(term: Term, count: int, today: dt.date) -> list[dt.date]:
    last = min(term.end, today - dt.timedelta(days=1))
    if last < term.start:
        return []
    span = max((last - term.start).days, 1)
    return [term.start + dt.timedelta(days=span * (k + 1) // (count + 1)) for k in range(count)]


def _planned(index: int, unit_index: int, expected: int, current: bool) -> int:
    """A deterministic, believable mix: mostly done last term, under way this term, some gaps."""
    turn = index + unit_index
    if expected == 0:
        return 1 if turn % 4 == 0 else 0  # "when needed" happened now and then
    if not current:
        return expected if turn % 5 else max(expected - 1, 0)
    return expected if turn % 3 == 0 else (max(1, expected // 2) if turn % 3 == 1 else 0)


@transaction.atomic
def load(municipality: Municipality, *, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    current = Term.of(today)
    created = 0
    # Activities that held meetings fulfil (the plan's `fulfilled_by`) are logged by the demo meetings.
    activities = [a for a in selectors.loggable_activities(municipality).prefetch_related("fulfilled_by")
                  if not any(f.source == "meeting" for f in a.fulfilled_by.all())]
    for term in (current.previous(), current):
        for index, activity in enumerate(activities):
            for unit_index, unit in enumerate(activity.responsible.order_by("key")):
                # The first demo term also makes up for the school year's earlier term, which has no demo data.
                expected = (expected_occurrences(activity.cadence, term) if term == current
                            else expected_in_window(activity.cadence, term))
                count = _planned(index, unit_index, expected, term == current)
                for n, day in enumerate(_dates(term, count, today)):
                    ref = f"demo:{unit.key}:{term.key}:{n}"
                    # By the stable key, not the row: after a revision the same activity is a new row, and the
                    # demo's past logs must not be written again for it.
                    if ActivityLog.objects.filter(municipality=municipality, activity_key=activity.key,
                                                  source_ref=ref).exists():
                        continue
                    what = _WHAT[(index + unit_index + n) % len(_WHAT)]
                    ActivityLog.objects.create(
                        municipality=municipality, activity=activity, activity_key=activity.key, organisation=unit,
                        date=day, description=f"{DEMO_PREFIX}{what}.", participants=5 + (index * 7) % 40,
                        source=ActivityLog.Source.MANUAL, source_ref=ref)
                    created += 1
    return f"{created} activity log entries added"
