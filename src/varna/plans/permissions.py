from typing import Any

from varna.core.models import Municipality, Role
from varna.core.permissions import has_role


def can_edit_plan(user: Any, municipality: Municipality) -> bool:
    """Only the coordinator edits drafts."""
    return has_role(user, municipality, Role.COORDINATOR)


def can_approve_plan(user: Any, municipality: Municipality) -> bool:
    """The municipality decides whether the steering group or the coordinator approves."""
    return has_role(user, municipality, municipality.plan_approval_role)


def can_see_drafts(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, Role.COORDINATOR, Role.STEERING_GROUP)


def can_export_plan_file(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, Role.COORDINATOR, Role.STEERING_GROUP, Role.ADMINISTRATOR)
