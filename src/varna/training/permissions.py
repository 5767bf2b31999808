from __future__ import annotations

from typing import Any

from varna.core.models import Municipality, Role
from varna.core.permissions import has_role, is_member

RECORD_ROLES = (Role.COORDINATOR, Role.WORKING_GROUP, Role.MANAGER)


def can_view_training(user: Any, municipality: Municipality) -> bool:
    return is_member(user, municipality)


def can_record_training(user: Any, municipality: Municipality) -> bool:
    """The coordinator, the working group and managers register training and its attendance."""
    return has_role(user, municipality, *RECORD_ROLES)


def can_delete_training(user: Any, municipality: Municipality, event: Any) -> bool:
    return has_role(user, municipality, Role.COORDINATOR) or event.created_by_id == getattr(user, "pk", None)
