"""Writes for implementation. A round starts when a plan version is approved (see signals.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from varna.core import audit
from varna.core.actors import SYSTEM
from varna.core.models import Membership, Municipality, Organisation
from varna.core.permissions import NotPermitted, require
from varna.followup import services as followup_services
from varna.implementation import permissions, selectors
from varna.implementation.models import Acknowledgement, Round, UnitConfirmation
from varna.plans.models import PlanVersion


class ImplementationError(Exception):
    pass


class ImplementationPermissionError(ImplementationError, NotPermitted):
    pass


def _mail(municipality: Municipality, people: list[Any], *, subject: str, body: str) -> None:
    messages = [(subject, body, None, [person.email]) for person in people if person.email]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))


def _texts(municipality: Municipality, version: PlanVersion) -> dict[str, str]:
    url = settings.VARNA_PUBLIC_URL + reverse("implementation:overview", args=[municipality.slug])
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "subject": _("New version of the action plan: %(title)s") % {"title": version.plan.title},
            "manager": _("Version %(n)s of “%(title)s” has been approved. Please make sure your unit knows it, "
                         "and confirm in Värna: %(url)s") % {"n": version.number, "title": version.plan.title,
                                                             "url": url},
            "employee": _("Version %(n)s of “%(title)s” has been approved. Please read it and acknowledge in "
                          "Värna: %(url)s") % {"n": version.number, "title": version.plan.title, "url": url},
        }


@transaction.atomic
def round_start(*, version: PlanVersion, actor: Any = SYSTEM) -> Round:
    """Start the round for an approved version (once) and ask managers and employees by e-mail."""
    # Started when a version is approved (by a signal, as the system) or by the plan's coordinator.
    require(permissions.can_start_round(actor, version.plan.municipality),
            _("Only the coordinator starts an implementation round."),
            ImplementationPermissionError)
    municipality = version.plan.municipality
    existing = Round.objects.filter(version=version).first()
    if existing is not None:
        return existing
    round_ = Round.objects.create(municipality=municipality, version=version)
    managers, employees = selectors.pending_people(round_)
    texts = _texts(municipality, version)
    _mail(municipality, managers, subject=texts["subject"], body=texts["manager"])
    _mail(municipality, employees, subject=texts["subject"], body=texts["employee"])
    audit.record(actor=actor, action="implementation.round.started", municipality=municipality, obj=round_,
                 data={"version": version.number, "managers": len(managers), "employees": len(employees)})
    return round_


@transaction.atomic
def unit_confirm(*, actor: Any, municipality: Municipality, organisation: Organisation,
                 how: str = "", round_: Round | None = None) -> UnitConfirmation:
    """A manager confirms that their unit has been informed about a plan version (`round_`: the first plan's now)."""
    round_ = round_ or selectors.current_round(municipality)
    if round_ is not None and round_.municipality_id != municipality.pk:
        raise ImplementationPermissionError(_("The round belongs to another municipality."))
    if round_ is None:
        raise ImplementationError(_("There is no approved plan version to confirm."))
    if not permissions.can_confirm_unit(actor, municipality, organisation):
        raise ImplementationPermissionError(_("Only a manager of the unit confirms for it."))
    confirmation, created = UnitConfirmation.objects.get_or_create(
        round=round_, organisation=organisation, defaults={"confirmed_by": actor, "how": how})
    if created:
        fulfilled = []
        for activity in selectors.activities_fulfilled(round_):
            # For the unit when it is responsible for the activity; otherwise for the responsible units together.
            unit = organisation if organisation in activity.responsible.all() else None
            followup_services.log_from_source(
                actor=actor, municipality=municipality, activity=activity,
                date=timezone.localdate(), organisation=unit, source="implementation",
                source_ref=f"implementation.confirmation:{confirmation.pk}",
                description=_("The manager confirmed that the unit knows plan version %(n)s.") % {
                    "n": round_.version.number} + (f" {how}" if how else ""))
            fulfilled.append(activity.key)
        audit.record(actor=actor, action="implementation.unit.confirmed", municipality=municipality,
                     obj=confirmation, data={"unit": organisation.key, "version": round_.version.number,
                                             "fulfils": fulfilled})
    return confirmation


@transaction.atomic
def acknowledge(*, actor: Any, municipality: Municipality, round_: Round | None = None) -> Acknowledgement:
    """An employee acknowledges having read a plan version (`round_`: the first plan's current one if not given)."""
    round_ = round_ or selectors.current_round(municipality)
    if round_ is not None and round_.municipality_id != municipality.pk:
        raise ImplementationPermissionError(_("The round belongs to another municipality."))
    if round_ is None:
        raise ImplementationError(_("There is no approved plan version to acknowledge."))
    require(permissions.can_acknowledge(actor, municipality),
            _("Only members of the municipality acknowledge the plan."), ImplementationPermissionError)
    # Counted for the unit the person belongs to, if any of their roles names one.
    membership = Membership.objects.filter(user=actor, municipality=municipality).order_by(
        F("organisation").asc(nulls_last=True)).first()
    acknowledgement, created = Acknowledgement.objects.get_or_create(
        round=round_, user=actor, defaults={"organisation": membership.organisation if membership else None})
    if created:
        audit.record(actor=actor, action="implementation.plan.acknowledged", municipality=municipality,
                     obj=acknowledgement, data={"version": round_.version.number})
    return acknowledgement


def coverage_exported(*, actor: Any, municipality: Municipality, round_: Round, file_format: str, rows: int) -> None:
    """The round's coverage left as a file: format and row count, never the rows."""
    require(permissions.can_see_coverage(actor, municipality), _("Your role does not see the coverage."),
            ImplementationPermissionError)
    audit.record(actor=actor, action="implementation.coverage.exported", municipality=municipality, obj=round_,
                 data={"format": file_format, "filters": {}, "rows": rows})


def reminders_send(*, municipality: Municipality) -> int:
    """Remind those who have not confirmed or acknowledged each plan's current round. Returns the e-mails sent."""
    sent = 0
    for round_ in selectors.current_rounds(municipality):
        managers, employees = selectors.pending_people(round_)
        texts = _texts(municipality, round_.version)
        with transaction.atomic():
            _mail(municipality, managers, subject=texts["subject"], body=texts["manager"])
            _mail(municipality, employees, subject=texts["subject"], body=texts["employee"])
            audit.record(actor=None, action="implementation.reminder.sent", municipality=municipality, obj=round_,
                         data={"managers": len(managers), "employees": len(employees)})
        sent += len(managers) + len(employees)
    return sent
