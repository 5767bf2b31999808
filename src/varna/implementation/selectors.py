"""Reads for implementation: the current round and its coverage per unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404

from varna.core.models import Membership, Municipality, Organisation, Role
from varna.core.selectors import scoped
from varna.implementation.models import Acknowledgement, Round, UnitConfirmation
from varna.plans import selectors as plan_selectors
from varna.plans.selectors import plans_of, version_in_force


def rounds_of(municipality: Municipality, plan: Any = None) -> Any:
    """Every round of the municipality (or of one plan), newest first: all of them stay reachable."""
    rounds = scoped(Round.objects.all(), municipality).select_related("version__plan")
    return rounds.filter(version__plan=plan) if plan is not None else rounds


def round_get(municipality: Municipality, pk: int | str | None) -> Round:
    """One round of the municipality by id; anything else (another municipality's, not a number) is a 404."""
    if pk is None or not str(pk).isdigit():
        raise Http404
    round_ = rounds_of(municipality).filter(pk=int(pk)).first()
    if round_ is None:
        raise Http404
    return round_


def current_rounds(municipality: Municipality) -> list[Round]:
    """Per plan, by title: the round of the version in force today, or the plan's newest round if it has none."""
    found = []
    for plan in plans_of(municipality).order_by("title", "pk"):
        rounds = list(rounds_of(municipality, plan))
        if not rounds:
            continue
        in_force = version_in_force(plan)
        found.append(next((r for r in rounds if in_force and r.version_id == in_force.pk), rounds[0]))
    return found


def current_round(municipality: Municipality) -> Round | None:
    """The first plan's current round (see `current_rounds`); pages with several plans list them all."""
    rounds = current_rounds(municipality)
    return rounds[0] if rounds else None


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

    @property
    def headcount(self) -> int | None:
        return self.organisation.headcount

    @property
    def share_of_staff(self) -> int | None:
        """Acknowledged employees as a percentage of everyone working in the unit (its headcount), those without
        an account in Värna included; None without a headcount."""
        return min(100, round(100 * self.acknowledged / self.headcount)) if self.headcount else None


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
        if membership.organisation is None:  # excluded by the query above; narrowed for the type checker
            continue
        row = rows.setdefault(membership.organisation.pk, UnitCoverage(membership.organisation))
        if membership.role == Role.MANAGER:
            row.managers.append(membership.user)
        else:
            row.employees += 1
            row.acknowledged += membership.user_id in acknowledged
    # A unit with a headcount and nobody in Värna yet is a row too: its coverage is 0 % of its staff.
    for unit in Organisation.objects.filter(municipality=municipality, headcount__gt=0):
        rows.setdefault(unit.pk, UnitCoverage(unit))
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
