"""Reads for implementation: the current round and its coverage per unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from varna.core.models import Membership, Municipality, Organisation, Role
from varna.core.selectors import scoped
from varna.implementation.models import Acknowledgement, Round, UnitConfirmation
from varna.plans import selectors as plan_selectors


def rounds_of(municipality: Municipality) -> Any:
    return scoped(Round.objects.all(), municipality).select_related("version__plan")


def current_round(municipality: Municipality) -> Round | None:
    return rounds_of(municipality).first()


def activities_fulfilled(round_: Round) -> Any:
    """The activities of the round's own plan version that a manager's confirmation counts for: those whose
    `fulfilled_by` names `implementation: managers`."""
    return plan_selectors.activities_fulfilled_by(round_.municipality, "implementation", "managers",
                                                  version=round_.version)


def managed_units(municipality: Municipality, user: Any) -> list[Organisation]:
    return list(Organisation.objects.filter(memberships__user=user, memberships__municipality=municipality,
                                            memberships__role=Role.MANAGER).distinct().order_by("name"))


def is_employee(municipality: Municipality, user: Any) -> bool:
    return Membership.objects.filter(user=user, municipality=municipality, role=Role.STAFF).exists()


def confirmation_of(round_: Round, organisation: Organisation) -> UnitConfirmation | None:
    return round_.confirmations.filter(organisation=organisation).first()


def acknowledgement_of(round_: Round, user: Any) -> Acknowledgement | None:
    return round_.acknowledgements.filter(user=user).first()


@dataclass
class UnitCoverage:
    organisation: Organisation
    managers: list[Any] = field(default_factory=list)
    confirmation: UnitConfirmation | None = None
    employees: int = 0
    acknowledged: int = 0

    @property
    def share(self) -> int | None:
        """Acknowledged employees in percent, or None when the unit has no employees in Värna."""
        return round(100 * self.acknowledged / self.employees) if self.employees else None


def coverage(round_: Round, *, as_of: dt.datetime | None = None) -> list[UnitCoverage]:
    """Per unit with managers or employees: whether a manager confirmed, and how many employees acknowledged.

    `as_of` counts only what was confirmed or acknowledged before that moment (a past year's report).
    """
    municipality = round_.municipality
    rows: dict[int, UnitCoverage] = {}
    memberships = (Membership.objects.filter(municipality=municipality, role__in=[Role.MANAGER, Role.STAFF],
                                             organisation__isnull=False).select_related("user", "organisation"))
    acknowledgements, confirmations = round_.acknowledgements.all(), round_.confirmations.all()
    if as_of is not None:
        acknowledgements = acknowledgements.filter(acknowledged_at__lt=as_of)
        confirmations = confirmations.filter(confirmed_at__lt=as_of)
    acknowledged = set(acknowledgements.values_list("user_id", flat=True))
    for membership in memberships:
        row = rows.setdefault(membership.organisation_id, UnitCoverage(membership.organisation))
        if membership.role == Role.MANAGER:
            row.managers.append(membership.user)
        else:
            row.employees += 1
            row.acknowledged += membership.user_id in acknowledged
    for confirmation in confirmations.select_related("confirmed_by"):
        if confirmation.organisation_id in rows:
            rows[confirmation.organisation_id].confirmation = confirmation
    return sorted(rows.values(), key=lambda r: r.organisation.name)


def pending_people(round_: Round) -> tuple[list[Any], list[Any]]:
    """Managers whose unit has not confirmed, and employees who have not acknowledged."""
    managers, employees = [], []
    for row in coverage(round_):
        if row.confirmation is None:
            managers.extend(row.managers)
    acknowledged = set(round_.acknowledgements.values_list("user_id", flat=True))
    for membership in Membership.objects.filter(municipality=round_.municipality, role=Role.STAFF).select_related(
            "user"):
        if membership.user_id not in acknowledged:
            employees.append(membership.user)
    return _unique(managers), _unique(employees)


def _unique(people: list[Any]) -> list[Any]:
    return list({person.pk: person for person in people}.values())
