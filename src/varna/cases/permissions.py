"""Who may see and do what with cases. See docs/adr/0005-case-access.md.

A case is visible to the coordinators of its municipality and to its participants, nobody else.
Views turn every "no" about a single case into a 404 so that a case's existence is never revealed.
"""

from __future__ import annotations

from typing import Any

from varna.cases.models import Case, Participant
from varna.core.models import Municipality, Role
from varna.core.permissions import has_role


def _active(user: Any) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_case_participant(user: Any) -> bool:
    """True for anyone taking part in a case: registered in VARNA_TWO_FACTOR_CHECKS, so they need 2FA."""
    return _active(user) and Participant.objects.filter(user=user).exists()


def is_coordinator(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, Role.COORDINATOR)


def participates_in(user: Any, case: Case) -> bool:
    return _active(user) and case.participants.filter(user=user).exists()


def can_list_cases(user: Any, municipality: Municipality) -> bool:
    return _active(user) and (is_coordinator(user, municipality)
                              or Participant.objects.filter(user=user, case__municipality=municipality).exists())


def can_open_case(user: Any, municipality: Municipality) -> bool:
    return is_coordinator(user, municipality)


def can_see_case(user: Any, case: Case) -> bool:
    return _active(user) and (is_coordinator(user, case.municipality) or participates_in(user, case))


def can_manage_case(user: Any, case: Case) -> bool:
    """Participants, status, concern override, legal hold, identity record: the coordinator's."""
    return is_coordinator(user, case.municipality)


def can_contribute_to_case(user: Any, case: Case) -> bool:
    """Notes, signs and referrals: everyone who may see the case, while it is open."""
    return can_see_case(user, case) and not case.is_closed


def can_reveal_identity(user: Any, case: Case) -> bool:
    return can_see_case(user, case)


def can_export_case(user: Any, case: Case) -> bool:
    return is_coordinator(user, case.municipality)


def can_export_case_list(user: Any, municipality: Municipality) -> bool:
    """Files leave Värna: like the handover PDF, the case list is exported by coordinators only (ADR 0005)."""
    return _active(user) and is_coordinator(user, municipality)


def can_see_case_access_log(user: Any, case: Case) -> bool:
    """The case's own access log: those who may see the case (participants included)."""
    return can_see_case(user, case)


def can_review_access_log(user: Any, municipality: Municipality) -> bool:
    """The municipality-wide log review is its own permission: a coordinator who also holds
    ``cases.review_access_log`` (granted to the people who do the regular log checks)."""
    return is_coordinator(user, municipality) and user.has_perm("cases.review_access_log")


def can_manage_legal_bases(user: Any, municipality: Municipality) -> bool:
    return is_coordinator(user, municipality)


def can_see_statistics(user: Any, municipality: Municipality) -> bool:
    """Suppressed counts for the annual report: coordinator and steering group."""
    return has_role(user, municipality, Role.COORDINATOR, Role.STEERING_GROUP)
