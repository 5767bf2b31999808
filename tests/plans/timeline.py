"""Plans with versions adopted on given days, for tests that run a municipality over several years.

Versions are written straight to the database, as a restore would: their adoption day is part of the test's
story (a council decision in 2025), which the approval service can only stamp with today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings

from varna.core.models import Municipality, Organisation
from varna.plans.cadence import Cadence
from varna.plans.models import Activity, Level, Plan, PlanVersion


@dataclass
class Row:
    key: str
    level: str
    cadence: str  # as in the plan file: "per_term(2)", "per_year(1)", "continuous", ...
    units: list[str] = field(default_factory=list)
    direction: str = ""


def organisation(municipality: Municipality, key: str) -> Organisation:
    org, _created = Organisation.objects.get_or_create(
        municipality=municipality, key=key, defaults={"name": key.replace("-", " ").title(), "kind": "other"})
    return org


def plan(municipality: Municipality, slug: str, title: str) -> Plan:
    return Plan.objects.create(municipality=municipality, slug=slug, title=title)


def version(plan: Plan, number: int, *, levels: list[tuple[str, str]], rows: list[Row], valid_from: dt.date,
            adopted_on: dt.date, valid_to: dt.date | None = None) -> PlanVersion:
    """An approved version adopted on `adopted_on`; the one approved before it becomes superseded."""
    draft = PlanVersion.objects.create(plan=plan, number=number)
    by_key = {key: Level.objects.create(version=draft, key=key, name=name, order=i)
              for i, (key, name) in enumerate(levels)}
    for order, row in enumerate(rows):
        cadence = Cadence.parse(row.cadence)
        activity = Activity.objects.create(
            version=draft, level=by_key[row.level], key=row.key, order=order,
            direction=row.direction or row.key.replace("-", " ").capitalize(), action="—",
            cadence_kind=cadence.kind, cadence_count=cadence.count)
        activity.responsible.set([organisation(plan.municipality, k) for k in row.units])
    # A queryset update: the adoption is history here, not an approval made today.
    PlanVersion.objects.filter(plan=plan, status=PlanVersion.Status.APPROVED).update(
        status=PlanVersion.Status.SUPERSEDED)
    adopted = dt.datetime.combine(adopted_on, dt.time(12), ZoneInfo(settings.TIME_ZONE))
    PlanVersion.objects.filter(pk=draft.pk).update(
        status=PlanVersion.Status.APPROVED, approved_at=adopted, valid_from=valid_from, valid_to=valid_to,
        decision_reference=f"{plan.title} v{number}")
    draft.refresh_from_db()
    return draft
