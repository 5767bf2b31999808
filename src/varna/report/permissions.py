from __future__ import annotations

from typing import Any

from varna.core.models import Municipality, Role
from varna.core.permissions import has_role


def can_read_report(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, Role.COORDINATOR, Role.STEERING_GROUP, Role.WORKING_GROUP)


def can_assess(user: Any, municipality: Municipality) -> bool:
    """The coordinator scores the recommendations."""
    return has_role(user, municipality, Role.COORDINATOR)
