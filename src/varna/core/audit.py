"""Writing audit events. Services call `record`; nothing else writes to the audit table."""

from __future__ import annotations

import contextvars
from typing import Any

from django.db import models

from varna.core.models import AuditEvent, Municipality

# The client address of the request being handled, set by middleware, so that services
# can record it without taking the request as an argument.
current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("varna_current_ip", default=None)


def _label(actor: Any) -> str:
    # A partner's organisation goes with their address, so that the log never passes them off as staff.
    organisation = getattr(actor, "organisation_name", "")
    return f"{actor.get_username()} ({organisation})"[:254] if organisation else actor.get_username()


def record(
    *,
    actor: Any,
    action: str,
    municipality: Municipality | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    purpose: str = "",
    data: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one audit event. `action` is dotted: `<app>.<entity>.<verb>`, e.g. `plans.version.approved`."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_label=_label(actor) if authenticated else "",
        municipality=municipality,
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        purpose=purpose[:500],
        ip_address=ip_address or current_ip.get(),
        data=data or {},
    )
