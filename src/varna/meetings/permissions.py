"""Who may read and run meetings. The coordinator convenes and minutes; the groups read; owners update actions."""

from __future__ import annotations

from typing import Any

from varna.core.models import Municipality, Role
from varna.core.permissions import has_role

READ_ROLES = (Role.COORDINATOR, Role.WORKING_GROUP, Role.STEERING_GROUP)


def can_view_meetings(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, *READ_ROLES)


def can_manage_meetings(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, Role.COORDINATOR)


def can_update_action(user: Any, municipality: Municipality, action: Any) -> bool:
    return action.owner_id == getattr(user, "pk", None) or can_manage_meetings(user, municipality)


def can_use_calendar_feed(user: Any, municipality: Municipality) -> bool:
    return can_view_meetings(user, municipality)


def can_read_meeting(user: Any, meeting: Any) -> bool:
    """The read roles read every meeting; a partner let into one group reads that group's meetings only."""
    from varna.core.selectors import partner_group_ids

    if can_view_meetings(user, meeting.municipality):
        return True
    return meeting.group_id is not None and meeting.group_id in partner_group_ids(user, meeting.municipality)


def can_see_actions(user: Any, municipality: Municipality) -> bool:
    """The list of actions: the readers of meetings, and the managers and staff who may own an action."""
    return has_role(user, municipality, *READ_ROLES, Role.MANAGER, Role.STAFF)
