from __future__ import annotations

from typing import Any

from varna.core.models import Municipality, Role
from varna.core.permissions import has_role

COVERAGE_ROLES = (Role.COORDINATOR, Role.STEERING_GROUP, Role.WORKING_GROUP, Role.MANAGER)


def can_see_coverage(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, *COVERAGE_ROLES)
