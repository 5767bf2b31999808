"""Who may do what in the situation picture."""

from __future__ import annotations

from typing import Any

from varna.core.models import Municipality, Role
from varna.core.permissions import has_role
from varna.disclosure.suppression import INTERNAL, PUBLISHED, Policy
from varna.situation.models import Observation

# The working group's own picture; the steering group reads what leaves the working group.
INTERNAL_ROLES = (Role.WORKING_GROUP, Role.COORDINATOR)
DASHBOARD_ROLES = (Role.WORKING_GROUP, Role.COORDINATOR, Role.STEERING_GROUP)
REPORTING_ROLES = (Role.WORKING_GROUP, Role.COORDINATOR, Role.STAFF)


def can_report(user: Any, municipality: Municipality) -> bool:
    """Working group and coordinator; staff too where the municipality allows it."""
    if has_role(user, municipality, *INTERNAL_ROLES):
        return True
    return municipality.staff_may_report_observations and has_role(user, municipality, Role.STAFF)


def can_view_dashboard(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, *DASHBOARD_ROLES)


def can_list_observations(user: Any, municipality: Municipality) -> bool:
    """Single observations (not only aggregates) are for the working group and the coordinator."""
    return has_role(user, municipality, *INTERNAL_ROLES)


def can_import(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, *INTERNAL_ROLES)


def can_see_description(user: Any, municipality: Municipality) -> bool:
    """An observation's free text is for those who list single observations (never in aggregates)."""
    return can_list_observations(user, municipality)


def can_see_reporter(user: Any, municipality: Municipality) -> bool:
    """Who reported an observation is shown to the coordinator only."""
    return has_role(user, municipality, Role.COORDINATOR)


def can_change_observation(user: Any, observation: Observation) -> bool:
    municipality = observation.municipality
    if has_role(user, municipality, Role.COORDINATOR):
        return True
    return (observation.reported_by_id == getattr(user, "pk", None)
            and has_role(user, municipality, *INTERNAL_ROLES))


def can_manage_surveys(user: Any, municipality: Municipality) -> bool:
    """The coordinator builds surveys, shares the links and reads the free-text answers."""
    return has_role(user, municipality, Role.COORDINATOR)


def can_upload_district_map(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, Role.COORDINATOR)


def may_use_internal_policy(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, *INTERNAL_ROLES)


def policy_for(user: Any, municipality: Municipality, *, published: bool = False) -> Policy:
    """INTERNAL for the working group's own view, PUBLISHED for everyone else and anything marked for
    publication (the steering group, reports that become public records)."""
    if published or not may_use_internal_policy(user, municipality):
        return PUBLISHED
    return INTERNAL
