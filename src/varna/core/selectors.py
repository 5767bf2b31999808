"""Reads for core. Every tenant-owned query goes through `scoped`."""

from __future__ import annotations

import hashlib
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from varna.core.models import AuditEvent, Membership, Municipality, Organisation, RoleRequest, UserSession

M = TypeVar("M", bound=Model)


def scoped(queryset: QuerySet[M], municipality: Municipality, *, path: str = "municipality") -> QuerySet[M]:
    """Limit `queryset` to one municipality. `path` names the lookup to the tenant for child models,
    e.g. `version__plan__municipality`."""
    return queryset.filter(**{path: municipality})


def organisations_of(municipality: Municipality) -> QuerySet[Organisation]:
    return scoped(Organisation.objects.all(), municipality).select_related("parent")


def memberships_of(municipality: Municipality) -> QuerySet[Membership]:
    return scoped(Membership.objects.all(), municipality).select_related("user", "organisation").order_by(
        "user__email", "role")


def pending_role_requests_of(municipality: Municipality) -> QuerySet[RoleRequest]:
    """Role requests waiting for a second administrator, oldest first."""
    return scoped(RoleRequest.objects.filter(status=RoleRequest.Status.PENDING), municipality).select_related(
        "user", "organisation", "requested_by").order_by("requested_at", "id")


def audit_events_of(municipality: Municipality) -> QuerySet[AuditEvent]:
    return scoped(AuditEvent.objects.all(), municipality).select_related("actor")


def audit_log_of(municipality: Municipality, *, action_prefix: str = "") -> QuerySet[AuditEvent]:
    """The general audit log page (and its export), newest first, optionally by action prefix.

    Apps whose events name sensitive objects (case codes) keep them out of the general log and show them
    on their own, separately permitted log page (``VARNA_AUDIT_LOG_EXCLUDED_PREFIXES``).
    """
    from django.conf import settings

    events = audit_events_of(municipality)
    for prefix in getattr(settings, "VARNA_AUDIT_LOG_EXCLUDED_PREFIXES", []):
        events = events.exclude(action__startswith=prefix)
    if action_prefix:
        events = events.filter(action__startswith=action_prefix)
    return events.order_by("-created_at", "-id")


def sessions_of(user: Any) -> list[UserSession]:
    """The user's sessions that the session store still knows (expired ones are dropped from the list)."""
    from importlib import import_module

    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = list(UserSession.objects.filter(user=user))
    alive = []
    for item in sessions:
        if store().exists(item.session_key):
            alive.append(item)
        else:
            item.delete()
    return alive


def membership_exact(user: Any, municipality: Municipality, role: str,
                     organisation_id: int | None) -> Membership | None:
    """One role of `user` exactly as given (for apps that keep roles in step with something outside Värna)."""
    return Membership.objects.filter(user=user, municipality=municipality, role=role,
                                     organisation=organisation_id).first()


def has_roles_outside(user: Any, municipality: Municipality) -> bool:
    """Whether `user` holds a role anywhere but in `municipality` (another one, or the national view)."""
    return Membership.objects.filter(user=user).exclude(municipality=municipality).exists()


def invitation_digest(token: str) -> str:
    """What is stored of an invitation's token: its hash, so a leaked table opens no invitation."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_by_token(token: str) -> Any:
    """The invitation a link names, whatever its state (the view says why a used or old one no longer works)."""
    from varna.core.models import Invitation

    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("municipality", "group").filter(
        token_digest=invitation_digest(token)).first()


def invitations_of(municipality: Municipality) -> QuerySet:
    from varna.core.models import Invitation

    return scoped(Invitation.objects.all(), municipality).select_related("group", "organisation", "created_by")


def partner_group_ids(user: Any, municipality: Municipality) -> frozenset[int]:
    """The groups of `municipality` a partner belongs to: someone without any role there (the roles' own
    pages decide what the municipality's members see)."""
    from varna.core.models import GroupMembership
    from varna.core.permissions import is_member

    if not getattr(user, "is_authenticated", False) or is_member(user, municipality):
        return frozenset()
    return frozenset(GroupMembership.objects.filter(user=user, group__municipality=municipality)
                     .values_list("group_id", flat=True))


def partner_municipalities(user: Any) -> list[Municipality]:
    """Where a partner (no role anywhere) was let in: a group of the municipality, or an accepted invitation
    without a role (to one case, say). Their start page leads there."""
    from django.db.models import Q

    if not getattr(user, "is_authenticated", False) or Membership.objects.filter(user=user).exists():
        return []
    return list(Municipality.objects.filter(Q(groups__members__user=user) | Q(
        invitations__accepted_by=user, invitations__role="")).distinct().order_by("name"))


def open_invitation_exists(email: str, municipality: Municipality) -> bool:
    """Whether `email` has an invitation of `municipality` that can still be accepted."""
    from django.utils import timezone

    from varna.core.models import Invitation

    return Invitation.objects.filter(municipality=municipality, email=email.strip().lower(), accepted_at__isnull=True,
                                     revoked_at__isnull=True, expires_at__gt=timezone.now()).exists()
