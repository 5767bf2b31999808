"""Synthetic training for the demo: two terms of events with attendance. Idempotent, marked as demo."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from varna.core.actors import SYSTEM
from varna.core.models import Municipality, Organisation
from varna.core.terms import Term
from varna.core.vocabulary import GENDERS
from varna.training import services
from varna.training.models import TrainingEvent

SUFFIX = " (demo)"

# (days into the term, title, topic, audience, organising unit, attendance: [(unit, female, male, other)])
_EVENTS: list[tuple[int, str, str, str, str, list[tuple[str | None, int, int, int]]]] = [
    (40, "Tecken och symboler – fritidsgårdarna", "signs_symbols", "staff", "samordnare",
     [("fritidsgardar", 9, 7, 0), ("arena-satelliten", 3, 4, 1)]),
    (75, "Våldsbejakande extremism – introduktion för medarbetare", "staff", "staff", "samordnare",
     [("buk", 22, 6, 0), ("soc", 14, 4, 1), ("kfk", 5, 5, 0)]),
    (110, "Demokrati och källkritik – årskurs 8", "democracy", "pupils", "forskolor-skolor",
     [("forskolor-skolor", 31, 29, 2)]),
    (130, "Föräldrakväll: nätet, grupptryck och extrema budskap", "parents", "parents", "samordnare",
     [(None, 18, 9, 0)]),
]


@transaction.atomic
def load(municipality: Municipality, *, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    current = Term.of(today)
    created = 0
    units = {o.key: o for o in Organisation.objects.filter(municipality=municipality)}
    for term in (current.previous(), current):
        for days, title, topic, audience, organiser, rows in _EVENTS:
            day = term.start + dt.timedelta(days=days)
            if day >= today:
                continue
            if TrainingEvent.objects.filter(municipality=municipality, title=title + SUFFIX, date=day).exists():
                continue
            services.event_create(
                actor=SYSTEM, municipality=municipality, title=title + SUFFIX, topic=topic, audience=audience, date=day,
                organiser=units.get(organiser), description="Syntetiskt demoexempel.",
                attendance=[services.AttendanceRow(units.get(key) if key else None,
                                                   dict(zip([g.value for g in GENDERS], counts, strict=True)))
                            for key, *counts in rows])
            created += 1
    return f"{created} training events added"
