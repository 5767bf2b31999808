from __future__ import annotations

from typing import Any

from varna.core.models import Membership, Municipality, Organisation, Role
from varna.core.permissions import has_role, is_member, is_system

COVERAGE_ROLES = (Role.COORDINATOR, Role.STEERING_GROUP, Role.WORKING_GROUP, Role.MANAGER)


def can_see_coverage(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, *COVERAGE_ROLES)


def can_start_round(user: Any, municipality: Municipality) -> bool:
    """A round starts by itself when a version is approved (the system actor); the coordinator may start one."""
    return has_role(user, municipality, Role.COORDINATOR)


def can_confirm_unit(user: Any, municipality: Municipality, organisation: Organisation) -> bool:
    """Only a manager of that very unit confirms that it has been informed."""
    if is_system(user):
        return True
    return Membership.objects.filter(user=user, municipality=municipality, role=Role.MANAGER,
                                     organisation=organisation).exists()


def can_acknowledge(user: Any, municipality: Municipality) -> bool:
    """Everyone with a role in the municipality acknowledges the plan for themselves."""
    return is_member(user, municipality) and not is_system(user)


def can_confirm_for_a_unit(user: Any, municipality: Municipality) -> bool:
    """The page where managers confirm; which unit each may confirm for is `can_confirm_unit`."""
    return has_role(user, municipality, Role.MANAGER)
