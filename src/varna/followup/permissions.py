"""Who may read and write follow-up. Staff and managers log for their own unit; the coordinator for any."""

from __future__ import annotations

from typing import Any

from varna.core.models import Membership, Municipality, Organisation, Role
from varna.core.permissions import has_role, is_member

# Roles that log for the unit their membership names.
UNIT_ROLES = (Role.STAFF, Role.MANAGER, Role.WORKING_GROUP)


def can_view_followup(user: Any, municipality: Municipality) -> bool:
    """Every role of the municipality sees the follow-up: it holds no personal data."""
    return is_member(user, municipality)


def can_export_compliance(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, Role.COORDINATOR, Role.STEERING_GROUP, Role.WORKING_GROUP, Role.MANAGER)


def can_log_anything(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, Role.COORDINATOR, *UNIT_ROLES)


def own_units(user: Any, municipality: Municipality) -> set[int]:
    """The units the user logs for through a staff, manager or working-group membership."""
    if not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user, municipality=municipality, role__in=UNIT_ROLES,
                                         organisation__isnull=False).values_list("organisation_id", flat=True))


def can_log_for(user: Any, municipality: Municipality, organisation: Organisation | None) -> bool:
    """The coordinator logs for any unit (or for all responsible units together); others for their own."""
    if organisation is not None and organisation.municipality_id != municipality.pk:
        return False
    if has_role(user, municipality, Role.COORDINATOR):
        return True
    return organisation is not None and organisation.pk in own_units(user, municipality)


def can_delete_log(user: Any, municipality: Municipality, log: Any) -> bool:
    if has_role(user, municipality, Role.COORDINATOR):
        return True
    return log.logged_by_id == getattr(user, "pk", None) and can_log_for(user, municipality, log.organisation)


def logs_for_any_unit(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, Role.COORDINATOR)


def can_choose_for_report(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, Role.COORDINATOR)
