"""Writes for training. Registering a training logs the matching plan activity in the follow-up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from varna.core import audit
from varna.core.models import Municipality, Organisation, field_label
from varna.core.permissions import NotPermitted, require
from varna.core.vocabulary import GENDER_COUNT_FIELDS, GENDERS
from varna.disclosure import guard as personal_data_guard
from varna.followup import services as followup_services
from varna.training import permissions, selectors
from varna.training.models import Attendance, TrainingEvent


class TrainingError(Exception):
    pass


class TrainingPermissionError(TrainingError, NotPermitted):
    pass


class TrainingPersonalData(TrainingError, personal_data_guard.PersonalDataError):
    """A training's title or notes held personal data; the message says what and where, never the text."""


@dataclass(frozen=True)
class AttendanceRow:
    """How many came from one organisation: ``counts`` maps a gender key of the national list to a number."""

    organisation: Organisation | None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _fulfil(actor: Any, event: TrainingEvent) -> list[str]:
    """Log the training against every approved activity whose `fulfilled_by` names its topic."""
    fulfilled = []
    participants = sum(a.total for a in event.attendance.all())
    for activity in selectors.activities_fulfilled(event.municipality, event.topic, event.date):
        # Counted for the organising unit when it is responsible; otherwise for the responsible units together.
        organisation = event.organiser if event.organiser and event.organiser in activity.responsible.all() else None
        followup_services.log_from_source(
            actor=actor, municipality=event.municipality, activity=activity, date=event.date,
            description=_("Training: %(title)s") % {"title": event.title}, source="training",
            source_ref=f"training.event:{event.pk}", participants=participants, organisation=organisation)
        fulfilled.append(f"{activity.version.plan.slug}/{activity.key}")
    return fulfilled


@transaction.atomic
def event_create(*, actor: Any, municipality: Municipality, title: str, topic: str, audience: str,
                 date: dt.date, organiser: Organisation | None = None, organiser_text: str = "",
                 description: str = "", attendance: Iterable[AttendanceRow] = ()) -> TrainingEvent:
    """Register a training that took place, with attendance by organisation and gender."""
    if not permissions.can_record_training(actor, municipality):
        raise TrainingPermissionError(_("Your role does not register training."))
    if date > timezone.localdate():
        raise TrainingError(_("Register a training once it has taken place."))
    rows = [row for row in attendance if row.total]
    known = {gender.value for gender in GENDERS}
    for row in rows:
        if set(row.counts) - known:
            raise TrainingError(_("Attendance is counted by the national genders only: %(keys)s.")
                                % {"keys": ", ".join(sorted(known))})
        if any(n < 0 for n in row.counts.values()):
            raise TrainingError(_("A number of participants can't be negative."))
        if row.organisation is not None and row.organisation.municipality_id != municipality.pk:
            raise TrainingError(_("The organisation belongs to another municipality."))
    if organiser is not None and organiser.municipality_id != municipality.pk:
        raise TrainingError(_("The organisation belongs to another municipality."))
    # The register and its notes are read by everyone who follows the plan up: what was taught, to whom
    # as a group, never about a participant.
    personal_data_guard.check_fields(
        {"title": title, "description": description},
        {name: field_label(TrainingEvent, name) for name in ("title", "description")},
        error=TrainingPersonalData)
    event = TrainingEvent.objects.create(
        municipality=municipality, title=title, topic=topic, audience=audience, organiser=organiser,
        organiser_text=organiser_text, date=date, description=description,
        created_by=actor if getattr(actor, "is_authenticated", False) else None)
    for row in rows:
        Attendance.objects.create(event=event, organisation=row.organisation,
                                  **{name: row.counts.get(gender.value, 0) for name, gender in GENDER_COUNT_FIELDS})
    fulfilled = _fulfil(actor, event)
    audit.record(actor=actor, action="training.event.created", municipality=municipality, obj=event,
                 data={"topic": topic, "participants": sum(r.total for r in rows),
                       "fulfils": fulfilled})
    return event


@transaction.atomic
def event_delete(*, actor: Any, event: TrainingEvent) -> None:
    municipality = event.municipality
    if not permissions.can_delete_training(actor, municipality, event):
        raise TrainingPermissionError(_("You may not remove this training."))
    followup_services.log_remove_source(actor=actor, municipality=municipality,
                                        source_ref=f"training.event:{event.pk}")
    audit.record(actor=actor, action="training.event.deleted", municipality=municipality, obj=event,
                 data={"title": event.title})
    event.delete()


def list_exported(*, actor: Any, municipality: Municipality, what: str, file_format: str,
                  filters: dict[str, str], rows: int) -> None:
    """An export of the training list or coverage (`what`): format, filters and row count, never the rows."""
    require(permissions.can_view_training(actor, municipality), _("Your role does not see the training register."),
            TrainingPermissionError)
    audit.record(actor=actor, action=f"training.{what}.exported", municipality=municipality,
                 data={"format": file_format, "filters": filters, "rows": rows})
