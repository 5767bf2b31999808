"""Core's own lists (people and roles, the audit log) as cells: one definition for the page and both files."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varna.core.exports import Column, Table, table_of
from varna.core.models import AuditEvent, Membership, RoleRequest

PEOPLE_COLUMNS: list[Column[Membership]] = [
    # The name this municipality recorded, never the account's (another municipality may have written it).
    Column(gettext_lazy("Person"), lambda m: m.name or m.user.email),
    Column(gettext_lazy("E-mail"), lambda m: m.user.email),
    Column(gettext_lazy("Role"), lambda m: m.get_role_display()),
    Column(gettext_lazy("Unit"), lambda m: m.organisation.name if m.organisation else "–"),
]


def people_table(memberships: Iterable[Membership], *, heading: list[str] | None = None) -> Table:
    return table_of(PEOPLE_COLUMNS, memberships, title=_("Roles in this municipality"), heading=heading or [])


ROLE_REQUEST_COLUMNS: list[Column[RoleRequest]] = [
    Column(gettext_lazy("Person"), lambda r: r.name or r.user.email),
    Column(gettext_lazy("E-mail"), lambda r: r.user.email),
    Column(gettext_lazy("Role"), lambda r: r.get_role_display()),
    Column(gettext_lazy("Unit"), lambda r: r.organisation.name if r.organisation else "–"),
    Column(gettext_lazy("Asked by"), lambda r: r.requested_by.email),
    Column(gettext_lazy("Asked"), lambda r: r.requested_at),
]


def role_request_table(requests: Iterable[RoleRequest]) -> Table:
    return table_of(ROLE_REQUEST_COLUMNS, requests, title=_("Roles waiting for a second administrator"))


AUDIT_COLUMNS: list[Column[AuditEvent]] = [
    Column(gettext_lazy("When"), lambda e: e.created_at),
    Column(gettext_lazy("Who"), lambda e: e.actor_label or "–"),
    Column(gettext_lazy("Action"), lambda e: e.action_label),
    Column(gettext_lazy("Code"), lambda e: e.action),
    Column(gettext_lazy("Object"), lambda e: f"{e.object_type} {e.object_id}".strip()),
    Column(gettext_lazy("Purpose"), lambda e: e.purpose or "–"),
]


def audit_table(events: Iterable[AuditEvent], *, heading: list[str] | None = None) -> Table:
    return table_of(AUDIT_COLUMNS, events, title=_("Events, newest first"), heading=heading or [])
