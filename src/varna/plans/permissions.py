from __future__ import annotations

from typing import TYPE_CHECKING, Any

from varna.core.models import Municipality, Role
from varna.core.permissions import has_role

if TYPE_CHECKING:
    from varna.plans.models import Plan


def can_edit_plan(user: Any, municipality: Municipality) -> bool:
    """Only the coordinator edits drafts."""
    return has_role(user, municipality, Role.COORDINATOR)


def can_approve_plan(user: Any, plan: Plan) -> bool:
    """Each plan says whether its steering group or the coordinator records the approval of its versions."""
    return has_role(user, plan.municipality, plan.approval_role)


def can_see_drafts(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, Role.COORDINATOR, Role.STEERING_GROUP)


def can_export_plan_file(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, Role.COORDINATOR, Role.STEERING_GROUP, Role.ADMINISTRATOR)
