"""Who may do what. Predicates take the user and the municipality and return a bool."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings

from varna.core.models import Membership, Municipality, Role

_CACHE_ATTR = "_varna_roles_cache"


def roles_in(user: Any, municipality: Municipality | None) -> frozenset[str]:
    """The roles `user` holds in `municipality` (cached on the user object for the request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cache: dict[int | None, frozenset[str]] = user.__dict__.setdefault(_CACHE_ATTR, {})
    key = municipality.pk if municipality else None
    if key not in cache:
        cache[key] = frozenset(
            Membership.objects.filter(user=user, municipality=municipality).values_list("role", flat=True)
        )
    return cache[key]


def forget_roles(user: Any) -> None:
    user.__dict__.pop(_CACHE_ATTR, None)


def has_role(user: Any, municipality: Municipality | None, *roles: str) -> bool:
    return bool(roles_in(user, municipality) & set(roles))


def is_member(user: Any, municipality: Municipality) -> bool:
    return bool(roles_in(user, municipality))


def is_national_analyst(user: Any) -> bool:
    return has_role(user, None, Role.NATIONAL_ANALYST)


def is_platform_admin(user: Any) -> bool:
    """The operator of the Värna installation (a superuser): creates municipalities, keeps national data."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def can_manage_people(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, Role.ADMINISTRATOR)


def can_set_up(user: Any, municipality: Municipality) -> bool:
    """Units, groups and the rest of a municipality's setup: its administrator and its coordinator."""
    return has_role(user, municipality, Role.ADMINISTRATOR, Role.COORDINATOR)


def municipalities_of(user: Any) -> list[Municipality]:
    if not user.is_authenticated:
        return []
    return list(Municipality.objects.filter(memberships__user=user).distinct().order_by("name"))


def requires_two_factor(user: Any) -> bool:
    """True when any role of the user demands a second factor at login."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    roles: Iterable[str] = settings.VARNA_TWO_FACTOR_ROLES
    if Membership.objects.filter(user=user, role__in=list(roles)).exists() or is_partner(user):
        return True
    # Other apps (case coordination, the national contact list) add theirs through the
    # `requires_two_factor` hook without core importing them.
    from varna.core.plugins import hooks

    return any(hook(user) for hook in hooks("requires_two_factor"))


def is_partner(user: Any) -> bool:
    """Someone from another organisation let into one group (or, through an app, one case) without any role:
    they log in with two factors like the roles that see cases."""
    from varna.core.models import GroupMembership

    if not getattr(user, "is_authenticated", False) or Membership.objects.filter(user=user).exists():
        return False
    return GroupMembership.objects.filter(user=user).exists() or bool(getattr(user, "organisation_name", ""))
