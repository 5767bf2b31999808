"""Reads for training: events, and coverage per unit and term."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.expressions import CombinedExpression
from django.http import Http404

from varna.core.models import Municipality, Organisation
from varna.core.selectors import scoped
from varna.core.terms import Term
from varna.core.vocabulary import GENDER_COUNT_FIELDS
from varna.plans import selectors as plan_selectors
from varna.training.models import Attendance, TrainingEvent


def _participants(prefix: str = "") -> CombinedExpression | F:
    """The sum of an attendance row's counts over every gender of the national list (``prefix``: a relation)."""
    expression: CombinedExpression | F = F(prefix + GENDER_COUNT_FIELDS[0][0])
    for name, _gender in GENDER_COUNT_FIELDS[1:]:
        expression = expression + F(prefix + name)
    return expression


def events_of(municipality: Municipality) -> QuerySet[TrainingEvent]:
    return scoped(TrainingEvent.objects.all(), municipality).select_related("organiser", "municipality")


def events_with_participants(municipality: Municipality, *, topic: str = "") -> QuerySet[TrainingEvent]:
    """The training list, newest first, with each event's participants; only one topic if given."""
    events = events_of(municipality).filter(topic=topic) if topic else events_of(municipality)
    return events.annotate(
        participants=Sum(_participants("attendance__"))).order_by(
        "-date", "-id")


def activities_fulfilled(municipality: Municipality, topic: str, day: dt.date | None = None) -> QuerySet:
    """The plan activities a training on `topic` on `day` (today) counts for: those of the versions in force then
    whose `fulfilled_by` names the topic (e.g. `training: signs_symbols`)."""
    return plan_selectors.activities_fulfilled_by(municipality, "training", topic, day=day)


def topics_fulfilling_nothing(municipality: Municipality) -> list[str]:
    """Labels of the topics no approved activity names, so the registration form can say so."""
    return [str(label) for value, label in TrainingEvent.Topic.choices
            if not activities_fulfilled(municipality, value).exists()]


def event_get(municipality: Municipality, pk: int) -> TrainingEvent:
    event = events_of(municipality).filter(pk=pk).prefetch_related("attendance__organisation").first()
    if event is None:
        raise Http404
    return event


@dataclass
class CoverageRow:
    organisation: Organisation | None
    by_term: dict[str, int] = field(default_factory=dict)  # term code → participants
    events: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_term.values())

    @property
    def headcount(self) -> int | None:
        return self.organisation.headcount if self.organisation is not None else None

    @property
    def share(self) -> int | None:
        """Participants as a percentage of the unit's staff (its headcount), or None without a headcount.

        Attendance is counted per training, not per person, so someone at two trainings counts twice and the
        share can pass 100."""
        return round(100 * self.total / self.headcount) if self.headcount else None


def coverage(municipality: Municipality, terms: list[Term], *, topic: str | None = None) -> list[CoverageRow]:
    """Participants per organisation and term, over `terms`: which units training has reached."""
    codes = [t.key for t in terms]
    attendance = Attendance.objects.filter(event__municipality=municipality, event__term__in=codes)
    if topic:
        attendance = attendance.filter(event__topic=topic)
    rows: dict[int | None, CoverageRow] = {}
    for item in (attendance.values("organisation_id", "event__term")
                 .annotate(n=Sum(_participants()))):
        row = rows.setdefault(item["organisation_id"], CoverageRow(None))
        row.by_term[item["event__term"]] = row.by_term.get(item["event__term"], 0) + (item["n"] or 0)
    events: dict[int | None, int] = dict(attendance.values("organisation_id").annotate(n=Count("event", distinct=True))
                  .values_list("organisation_id", "n"))
    # Units with a headcount that no training reached yet are rows too: 0 % is the figure that matters most.
    for unit_id in Organisation.objects.filter(municipality=municipality, headcount__gt=0).values_list("pk", flat=True):
        rows.setdefault(unit_id, CoverageRow(None))
    organisations = Organisation.objects.in_bulk([k for k in rows if k is not None])
    for key, row in rows.items():
        row.organisation = organisations.get(key) if key is not None else None
        row.events = events.get(key, 0)
    return sorted(rows.values(), key=lambda r: (r.organisation is None, r.organisation.name if r.organisation else ""))


def totals(municipality: Municipality, terms: list[Term]) -> dict[str, int]:
    """Events, participants, and participants by gender over `terms`, each under its gender key of the national
    list (``female``, ``male``, ``other``)."""
    codes = [t.key for t in terms]
    attendance = Attendance.objects.filter(event__municipality=municipality, event__term__in=codes)
    sums = attendance.aggregate(**{gender.value: Sum(name) for name, gender in GENDER_COUNT_FIELDS})
    result = {k: v or 0 for k, v in sums.items()}
    result["participants"] = sum(result.values())
    result["events"] = events_of(municipality).filter(term__in=codes).count()
    return result
