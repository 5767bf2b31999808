"""Who may do what in the analysis: the working group and the coordinator write it, the steering group reads
it (DESIGN.md's roles), and whoever approves plan versions in the municipality records its approval."""

from __future__ import annotations

from typing import Any

from varna.core.models import Municipality, Role
from varna.core.permissions import has_role

WRITE_ROLES = (Role.WORKING_GROUP, Role.COORDINATOR)
READ_ROLES = (Role.WORKING_GROUP, Role.COORDINATOR, Role.STEERING_GROUP)


def can_read_analysis(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, *READ_ROLES)


def can_write_analysis(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, *WRITE_ROLES)


def can_approve_analysis(user: Any, municipality: Municipality) -> bool:
    """The body that approves plan versions by default records the analysis's approval too."""
    return has_role(user, municipality, municipality.plan_approval_role)


def can_manage_reporting(user: Any, municipality: Municipality) -> bool:
    """The coordinator sets which units report on a rhythm and follows who has not."""
    return has_role(user, municipality, Role.COORDINATOR)


def can_report_nothing(user: Any, duty: Any) -> bool:
    """The coordinator, or a member of the unit itself, may report that the unit saw nothing this period."""
    from varna.core.models import Membership

    municipality = duty.municipality
    if has_role(user, municipality, Role.COORDINATOR):
        return True
    return bool(getattr(user, "is_authenticated", False)) and Membership.objects.filter(
        user=user, municipality=municipality, organisation=duty.organisation).exists()


def can_see_reporting(user: Any, municipality: Municipality) -> bool:
    """The reporting duties: the readers of the analysis, and the staff and managers whose units report."""
    return has_role(user, municipality, *READ_ROLES, Role.STAFF, Role.MANAGER)
