"""Writes for core: municipalities, organisations, roles. Each writes its audit event."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from varna.core import audit
from varna.core.models import Group, GroupMembership, Membership, Municipality, Organisation, Role, User, UserSession
from varna.core.permissions import forget_roles


class CoreError(Exception):
    pass


@transaction.atomic
def municipality_get_or_create(*, name: str, code: str, slug: str, national_opt_in: bool = False,
                               actor: Any = None) -> Municipality:
    municipality, created = Municipality.objects.get_or_create(
        code=code, defaults={"name": name, "slug": slug, "national_opt_in": national_opt_in})
    if created:
        municipality.full_clean()
        audit.record(actor=actor, action="core.municipality.created", municipality=municipality, obj=municipality)
    return municipality


@transaction.atomic
def organisation_upsert(*, municipality: Municipality, key: str, name: str, kind: str,
                        parent: Organisation | None = None, actor: Any = None) -> Organisation:
    organisation, created = Organisation.objects.get_or_create(
        municipality=municipality, key=key, defaults={"name": name, "kind": kind, "parent": parent})
    if not created and (organisation.name, organisation.kind, organisation.parent) != (name, kind, parent):
        organisation.name, organisation.kind, organisation.parent = name, kind, parent
        organisation.full_clean()
        organisation.save()
        audit.record(actor=actor, action="core.organisation.changed", municipality=municipality, obj=organisation)
    elif created:
        organisation.full_clean()
        audit.record(actor=actor, action="core.organisation.created", municipality=municipality, obj=organisation)
    return organisation


@transaction.atomic
def membership_grant(*, actor: Any, municipality: Municipality | None, user: User, role: str,
                     organisation: Organisation | None = None) -> Membership:
    """Give `user` a role. Idempotent: granting a role the user already has changes nothing."""
    if role not in Role.values:
        raise CoreError(_("Unknown role: %(role)s") % {"role": role})
    if (role == Role.NATIONAL_ANALYST) != (municipality is None):
        raise CoreError(_("National analysts hold their role outside any municipality; other roles within one."))
    membership, created = Membership.objects.get_or_create(
        user=user, municipality=municipality, role=role, organisation=organisation)
    if created:
        try:
            membership.full_clean()
        except ValidationError as exc:
            raise CoreError("; ".join(exc.messages)) from exc
        audit.record(actor=actor, action="core.membership.granted", municipality=municipality, obj=membership,
                     data={"user": user.email, "role": role,
                           "organisation": organisation.key if organisation else None})
        forget_roles(user)
    return membership


@transaction.atomic
def membership_revoke(*, actor: Any, membership: Membership) -> None:
    audit.record(actor=actor, action="core.membership.revoked", municipality=membership.municipality,
                 obj=membership, data={"user": membership.user.email, "role": membership.role})
    membership.delete()
    forget_roles(membership.user)


@transaction.atomic
def user_get_or_create(*, email: str, full_name: str, password: str | None = None, actor: Any = None) -> User:
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, full_name=full_name)
        audit.record(actor=actor, action="core.user.created", obj=user, data={"email": email})
    return user


@transaction.atomic
def group_add_member(*, actor: Any, group: Group, user: User,
                     organisation: Organisation | None = None) -> GroupMembership:
    member, created = GroupMembership.objects.get_or_create(group=group, user=user,
                                                            defaults={"organisation": organisation})
    if created:
        audit.record(actor=actor, action="core.group.member_added", municipality=group.municipality, obj=group,
                     data={"user": user.email})
    return member


@transaction.atomic
def session_end(*, actor: Any, user_session: UserSession) -> None:
    """End one of the actor's own sessions: the session store forgets it, so its cookie no longer logs in."""
    from importlib import import_module

    from django.conf import settings

    if user_session.user_id != actor.pk:
        raise CoreError(_("You can only end your own sessions."))
    import_module(settings.SESSION_ENGINE).SessionStore(session_key=user_session.session_key).delete()
    audit.record(actor=actor, action="core.session.ended", obj=actor,
                 data={"started": user_session.created_at.isoformat()})
    user_session.delete()


def list_exported(*, actor: Any, municipality: Municipality, what: str, file_format: str, filters: dict[str, str],
                  rows: int) -> None:
    """An export of one of core's lists (`what`: people, audit_log): format, filters and row count only."""
    audit.record(actor=actor, action=f"core.{what}.exported", municipality=municipality,
                 data={"format": file_format, "filters": filters, "rows": rows})
