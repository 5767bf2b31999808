"""Who may change the contact directory."""

from __future__ import annotations

from typing import Any

from varna.core.models import Municipality, Role
from varna.core.permissions import has_role, is_system

NATIONAL_PERMISSION = "guidance.maintain_national_contacts"


def is_platform_administrator(user: Any) -> bool:
    """Keeps the national contacts for every municipality: a superuser, or someone given the permission."""
    if is_system(user):
        return True  # the operator's command line and the demo loader
    return bool(user is not None and user.is_authenticated and user.is_active and user.has_perm(NATIONAL_PERMISSION))


def can_edit_national_contacts(user: Any, municipality: Municipality | None = None) -> bool:
    return is_platform_administrator(user)


def can_edit_contacts(user: Any, municipality: Municipality | None) -> bool:
    """A municipality's coordinators keep its own contacts; ``municipality`` None is the national list."""
    if municipality is None:
        return is_platform_administrator(user)
    return has_role(user, municipality, Role.COORDINATOR)


def needs_two_factor(user: Any) -> bool:
    """Registered in VARNA_TWO_FACTOR_CHECKS: whoever can change every municipality's numbers signs in with 2FA."""
    return is_platform_administrator(user)
