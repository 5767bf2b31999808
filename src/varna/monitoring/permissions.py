"""Who may do what in media monitoring.

Items are public news, but what the working group makes of them is its own work:
- the coordinator, the working group and the steering group read the items (the steering group
  follows the working group's material, as it does for meetings);
- the coordinator and the working group handle items: tag, link to an observation, dismiss;
- the coordinator alone chooses the feeds and keeps the keyword lists.
Managers and staff have no part in it (403); members of another municipality get 404.
Which observation an item is linked to is shown only to those who may list single observations.
"""

from __future__ import annotations

from typing import Any

from varna.core.models import Municipality, Role
from varna.core.permissions import has_role

READ_ROLES = (Role.COORDINATOR, Role.WORKING_GROUP, Role.STEERING_GROUP)
WORK_ROLES = (Role.COORDINATOR, Role.WORKING_GROUP)
MANAGE_ROLES = (Role.COORDINATOR,)


def can_view_monitoring(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, *READ_ROLES)


def can_work_items(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, *WORK_ROLES)


def can_manage_sources(user: Any, municipality: Municipality) -> bool:
    """Feeds and keyword lists."""
    return has_role(user, municipality, *MANAGE_ROLES)


def can_see_linked_observation(user: Any, municipality: Municipality) -> bool:
    from varna.situation import permissions as situation_permissions

    return situation_permissions.can_list_observations(user, municipality)
