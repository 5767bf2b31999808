"""Writes for core: municipalities, organisations, roles. Each writes its audit event."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from varna.core import audit, two_factor
from varna.core.actors import SYSTEM
from varna.core.models import (
    Group,
    GroupMembership,
    Invitation,
    Membership,
    Municipality,
    Organisation,
    Role,
    RoleRequest,
    User,
    UserSession,
)
from varna.core.permissions import NotPermitted, forget_roles, is_system
from varna.core.selectors import invitation_digest


class CoreError(Exception):
    pass


class CorePermissionError(CoreError, NotPermitted):
    """Refused by a permission predicate (a 403 wherever it is not turned into a message)."""


# Sent inside the accepting transaction with `invitation` and `user`: apps grant what `invitation.grants` names
# (core knows nothing about cases or other apps' objects).
invitation_accepted = Signal()


def slug_for(name: str) -> str:
    """An address name from a municipality's name: å/ä → a, ö → o, other letters and digits kept, rest hyphens."""
    text = name.lower().translate(str.maketrans("åäöéü", "aaoeu"))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60]


# First path segments of Värna's own pages, which a municipality's address name would hide.
RESERVED_SLUGS = frozenset({"account", "admin", "api", "i18n", "healthz", "platform", "national", "static", "media",
                            "about", "om", "sso", "passkeys"})


@transaction.atomic
def municipality_guide_publish(*, actor: Any, municipality: Municipality) -> None:
    """End the setup: the public guide now gives the municipality's own contacts and routes. The caller (the
    onboarding checklist) has checked that the minimum is in place."""
    _check_set_up(actor, municipality)
    if not municipality.in_setup:
        return
    municipality.in_setup = False
    municipality.save(update_fields=["in_setup"])
    audit.record(actor=actor, action="core.municipality.guide_published", municipality=municipality,
                 obj=municipality)


@transaction.atomic
def municipality_create(*, actor: Any, name: str, code: str, slug: str = "",
                        administrators: list[str] | tuple[str, ...] = ()) -> tuple[Municipality, list[Invitation]]:
    """A new municipality, in setup (its guide shows only national contacts until the checklist allows more),
    with an e-mailed invitation for each first administrator.

    For the operator's command (``actor=SYSTEM``) and for a platform administrator (a superuser); validated like
    any form: four-digit code, unique code and address name."""
    from varna.core.permissions import is_platform_admin

    if not is_platform_admin(actor):
        raise CorePermissionError(_("Only a platform administrator creates municipalities."))
    name, code = name.strip(), code.strip()
    municipality = Municipality(name=name, code=code, slug=(slug.strip() or slug_for(name)), in_setup=True)
    try:
        municipality.full_clean()
    except ValidationError as exc:
        raise CoreError(" ".join(exc.messages)) from exc
    if municipality.slug in RESERVED_SLUGS:
        raise CoreError(_("The address name %(slug)s is taken by Värna itself; choose another.")
                        % {"slug": municipality.slug})
    municipality.save()
    audit.record(actor=actor, action="core.municipality.created", municipality=municipality, obj=municipality,
                 data={"code": code, "slug": municipality.slug, "administrators": len(administrators)})
    # Apps prepare what a new municipality starts with (the national contact list, say) through their
    # AppConfig's `municipality_created` hook, as `load_demo` does, so that core imports none of them.
    from varna.core.plugins import hooks

    for hook in hooks("municipality_created"):
        hook(municipality, actor=actor)
    invitations = [invitation_create(actor=actor, municipality=municipality, email=email, role=Role.ADMINISTRATOR,
                                     system=is_platform_admin(actor))[0]
                   for email in dict.fromkeys(e.strip().lower() for e in administrators if e.strip())]
    return municipality, invitations


@transaction.atomic
def municipality_get_or_create(*, name: str, code: str, slug: str, national_opt_in: bool = False,
                               actor: Any = SYSTEM) -> Municipality:
    municipality, created = Municipality.objects.get_or_create(
        code=code, defaults={"name": name, "slug": slug, "national_opt_in": national_opt_in})
    if created:
        municipality.full_clean()
        audit.record(actor=actor, action="core.municipality.created", municipality=municipality, obj=municipality)
    return municipality


@transaction.atomic
def organisation_upsert(*, municipality: Municipality, key: str, name: str, kind: str,
                        parent: Organisation | None = None, actor: Any = SYSTEM) -> Organisation:
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


def roles_needing_approval() -> frozenset[str]:
    """Roles a second administrator must approve: those that see cases, and the administrator role itself
    (an administrator who could make administrators could approve their own requests through a second account)."""
    return frozenset(settings.VARNA_ROLES_NEEDING_APPROVAL)


def _refuse_own(actor: Any, user: User) -> None:
    if getattr(actor, "pk", None) == user.pk:
        raise CoreError(_("Nobody can grant or change their own roles. Ask another administrator."))


def _require_may_grant(actor: Any, municipality: Municipality | None) -> None:
    from varna.core.permissions import can_manage_people, is_platform_admin

    # The admin site's staff passed Django's model permissions there.
    admin_site = bool(getattr(actor, "is_staff", False) and actor.is_active)
    if not (is_platform_admin(actor) or admin_site
            or (municipality is not None and can_manage_people(actor, municipality))):
        raise CorePermissionError(_("Only an administrator of the municipality grants roles."))


@transaction.atomic
def membership_grant(*, actor: Any, municipality: Municipality | None, user: User, role: str,
                     organisation: Organisation | None = None, name: str = "") -> Membership:
    """Give `user` a role. Idempotent: granting a role the user already has changes nothing.

    Nobody grants a role to themselves. A role in ``VARNA_ROLES_NEEDING_APPROVAL`` is granted here only by the
    system (``actor=SYSTEM``: the demo, a command run by the operator) or a superuser (the admin site); an
    administrator asks for it with :func:`role_request_create` and another one approves it.
    """
    from varna.core.permissions import is_platform_admin

    _require_may_grant(actor, municipality)
    _refuse_own(actor, user)
    if role in roles_needing_approval() and not is_platform_admin(actor):
        raise CoreError(_("This role needs the approval of a second administrator."))
    return _grant(actor=actor, municipality=municipality, user=user, role=role, organisation=organisation,
                  name=name)


def _grant(*, actor: Any, municipality: Municipality | None, user: User, role: str,
           organisation: Organisation | None, name: str = "", data: dict[str, Any] | None = None) -> Membership:
    if role not in Role.values:
        raise CoreError(_("Unknown role: %(role)s") % {"role": role})
    if (role == Role.NATIONAL_ANALYST) != (municipality is None):
        raise CoreError(_("National analysts hold their role outside any municipality; other roles within one."))
    membership, created = Membership.objects.get_or_create(
        user=user, municipality=municipality, role=role, organisation=organisation,
        defaults={"name": _recorded_name(user, municipality, name, trusted=_trusted(actor))})
    if created:
        try:
            membership.full_clean()
        except ValidationError as exc:
            raise CoreError("; ".join(exc.messages)) from exc
        audit.record(actor=actor, action="core.membership.granted", municipality=municipality, obj=membership,
                     data={"user": user.email, "role": role,
                           "organisation": organisation.key if organisation else None, **(data or {})})
        forget_roles(user)
        if municipality is not None and role in roles_needing_approval() and not is_system(actor):
            _tell_coordinators(municipality, exclude=user, subject=_("A role was granted in Värna"),
                               template="core/email/role_granted.txt",
                               context={"membership": membership, "actor": actor, **(data or {})})
    return membership


def _trusted(actor: Any) -> bool:
    """The system (the demo, the operator's commands) and superusers see every account anyway."""
    return is_system(actor) or bool(getattr(actor, "is_superuser", False))


def _recorded_name(user: User, municipality: Municipality | None, typed: str, *, trusted: bool) -> str:
    """The name this municipality knows the person by: what its administrator typed, else the name on the
    person's other roles here. Never the account's name, which another municipality may have written (only
    the system and superusers, who see every account, fall back to it)."""
    typed = typed.strip()
    if typed or municipality is None:
        return typed or user.full_name
    known = (Membership.objects.filter(user=user, municipality=municipality).exclude(name="")
             .values_list("name", flat=True).first())
    return known or (user.full_name if trusted else "")


def _people_of(municipality: Municipality, role: str, *, exclude: Any = None) -> list[User]:
    people = User.objects.filter(memberships__municipality=municipality, memberships__role=role, is_active=True)
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return list(people.distinct().order_by("email"))


def _mail(people: list[User], *, subject: str, template: str, context: dict[str, Any]) -> None:
    from django.core.mail import send_mass_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, {**context, "public_url": settings.VARNA_PUBLIC_URL})
        subject = str(subject)
    messages = [(subject, body, None, [person.email]) for person in people if person.email]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))


def _tell_coordinators(municipality: Municipality, *, exclude: Any, subject: str, template: str,
                       context: dict[str, Any]) -> None:
    _mail(_people_of(municipality, Role.COORDINATOR, exclude=exclude), subject=subject, template=template,
          context={"municipality": municipality, **context})


@transaction.atomic
def role_grant_or_request(*, actor: Any, municipality: Municipality, email: str, name: str, role: str,
                          organisation: Organisation | None = None) -> Membership | RoleRequest:
    """What the people page does: the account for `email` (made if there is none), then the role at once, or,
    for a role needing approval, a request that another administrator approves.

    The answer is the same whether or not the address has an account, here or in another municipality."""
    from varna.core.permissions import can_manage_people

    if not can_manage_people(actor, municipality):
        raise CorePermissionError(_("Only an administrator of the municipality grants roles."))
    user = user_get_or_create(email=email, full_name=name, actor=actor)
    _refuse_own(actor, user)
    if role in roles_needing_approval():
        return role_request_create(actor=actor, municipality=municipality, user=user, role=role,
                                   organisation=organisation, name=name)
    return _grant(actor=actor, municipality=municipality, user=user, role=role, organisation=organisation,
                  name=name)


@transaction.atomic
def role_request_create(*, actor: Any, municipality: Municipality, user: User, role: str,
                        organisation: Organisation | None = None, name: str = "") -> Membership | RoleRequest:
    """Ask for a role that needs a second administrator. The coordinators and the other administrators are told.

    Returns the membership if the person already has the role, or the request already waiting for it."""
    from varna.core.permissions import can_manage_people

    if not can_manage_people(actor, municipality):
        raise CorePermissionError(_("Only an administrator of the municipality grants roles."))
    _refuse_own(actor, user)
    if role not in Role.values or role == Role.NATIONAL_ANALYST:
        raise CoreError(_("Unknown role: %(role)s") % {"role": role})
    existing = Membership.objects.filter(user=user, municipality=municipality, role=role,
                                         organisation=organisation).first()
    if existing is not None:
        return existing
    pending = RoleRequest.objects.filter(municipality=municipality, user=user, role=role,
                                         status=RoleRequest.Status.PENDING).first()
    if pending is not None:
        return pending
    if organisation is not None and organisation.municipality_id != municipality.pk:
        raise CoreError(_("The unit must belong to the same municipality."))
    request = RoleRequest.objects.create(municipality=municipality, user=user, role=role, organisation=organisation,
                                         name=_recorded_name(user, municipality, name, trusted=False),
                                         requested_by=actor)
    audit.record(actor=actor, action="core.role_request.created", municipality=municipality, obj=request,
                 data={"user": user.email, "role": role, "organisation": organisation.key if organisation else None})
    context = {"request": request, "actor": actor}
    subject = _("A role in Värna waits for a second administrator")
    _mail(_people_of(municipality, Role.ADMINISTRATOR, exclude=actor), subject=subject,
          template="core/email/role_requested.txt", context={"municipality": municipality, **context})
    _tell_coordinators(municipality, exclude=user, subject=subject, template="core/email/role_requested.txt",
                       context=context)
    return request


def _decidable(actor: Any, role_request: RoleRequest) -> None:
    from varna.core.permissions import can_manage_people

    if not can_manage_people(actor, role_request.municipality):
        raise CorePermissionError(_("Only an administrator of the municipality decides on roles."))
    if role_request.status != RoleRequest.Status.PENDING:
        raise CoreError(_("This request has already been decided."))


@transaction.atomic
def role_request_approve(*, actor: Any, role_request: RoleRequest) -> Membership:
    """A second administrator approves: neither the one who asked nor the person who gets the role."""
    role_request = RoleRequest.objects.select_for_update().get(pk=role_request.pk)
    _decidable(actor, role_request)
    if actor.pk == role_request.requested_by_id:
        raise CoreError(_("Another administrator must approve a role you asked for."))
    _refuse_own(actor, role_request.user)
    role_request.status = RoleRequest.Status.APPROVED
    role_request.decided_by, role_request.decided_at = actor, timezone.now()
    role_request.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(actor=actor, action="core.role_request.approved", municipality=role_request.municipality,
                 obj=role_request, data={"user": role_request.user.email, "role": role_request.role})
    return _grant(actor=actor, municipality=role_request.municipality, user=role_request.user,
                  role=role_request.role, organisation=role_request.organisation, name=role_request.name,
                  data={"requested_by": role_request.requested_by.email, "approved_by": actor.email})


@transaction.atomic
def role_request_refuse(*, actor: Any, role_request: RoleRequest) -> None:
    """Any administrator of the municipality refuses a waiting request; the one who asked withdraws it so."""
    role_request = RoleRequest.objects.select_for_update().get(pk=role_request.pk)
    _decidable(actor, role_request)
    role_request.status = RoleRequest.Status.REFUSED
    role_request.decided_by, role_request.decided_at = actor, timezone.now()
    role_request.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(actor=actor, action="core.role_request.refused", municipality=role_request.municipality,
                 obj=role_request, data={"user": role_request.user.email, "role": role_request.role})


@transaction.atomic
def membership_revoke(*, actor: Any, membership: Membership) -> None:
    _require_may_grant(actor, membership.municipality)
    audit.record(actor=actor, action="core.membership.revoked", municipality=membership.municipality,
                 obj=membership, data={"user": membership.user.email, "role": membership.role})
    membership.delete()
    forget_roles(membership.user)


@transaction.atomic
def user_get_or_create(*, email: str, full_name: str, password: str | None = None, actor: Any = SYSTEM) -> User:
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, full_name=full_name)
        audit.record(actor=actor, action="core.user.created", obj=user, data={"email": email})
    return user


@transaction.atomic
def group_add_member(*, actor: Any, group: Group, user: User,
                     organisation: Organisation | None = None) -> GroupMembership:
    _check_set_up(actor, group.municipality)
    return _group_add_member(actor=actor, group=group, user=user, organisation=organisation)


def _group_add_member(*, actor: Any, group: Group, user: User, organisation: Organisation | None) -> GroupMembership:
    member, created = GroupMembership.objects.get_or_create(group=group, user=user,
                                                            defaults={"organisation": organisation})
    if created:
        audit.record(actor=actor, action="core.group.member_added", municipality=group.municipality, obj=group,
                     data={"user": user.email})
    return member


def _check_set_up(actor: Any, municipality: Municipality) -> None:
    from varna.core.permissions import can_set_up

    if not can_set_up(actor, municipality):
        raise CorePermissionError(_("Only the municipality's administrator or coordinator changes its setup."))


def _clean(obj: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise CoreError(" ".join(exc.messages)) from exc


@transaction.atomic
def organisation_save(*, actor: Any, municipality: Municipality, name: str, kind: str, key: str = "",
                      parent: Organisation | None = None, headcount: int | None = None,
                      organisation: Organisation | None = None) -> Organisation:
    """Create a unit (key from its name when not given) or change one, with the number of people working there."""
    _check_set_up(actor, municipality)
    if organisation is not None and organisation.municipality_id != municipality.pk:
        raise CoreError(_("The unit must belong to the same municipality."))
    if parent is not None and (parent.municipality_id != municipality.pk
                               or (organisation is not None and parent.pk == organisation.pk)):
        raise CoreError(_("A unit can only be part of another unit in the same municipality."))
    created = organisation is None
    if organisation is None:
        key = key.strip() or slug_for(name)
        if Organisation.objects.filter(municipality=municipality, key=key).exists():
            raise CoreError(_("There already is a unit with this key: %(key)s") % {"key": key})
        organisation = Organisation(municipality=municipality, key=key)
    before = {"name": organisation.name, "kind": organisation.kind, "headcount": organisation.headcount}
    organisation.name, organisation.kind, organisation.parent = name.strip(), kind, parent
    organisation.headcount = headcount
    _clean(organisation)
    organisation.save()
    after = {"name": organisation.name, "kind": organisation.kind, "headcount": organisation.headcount}
    audit.record(actor=actor, action="core.organisation.created" if created else "core.organisation.changed",
                 municipality=municipality, obj=organisation,
                 data={"key": organisation.key, **after, **({} if created else {"before": before})})
    return organisation


@transaction.atomic
def group_create(*, actor: Any, municipality: Municipality, kind: str, name: str) -> Group:
    _check_set_up(actor, municipality)
    group = Group(municipality=municipality, kind=kind, name=name.strip())
    _clean(group)
    group.save()
    audit.record(actor=actor, action="core.group.created", municipality=municipality, obj=group,
                 data={"kind": kind, "name": group.name})
    return group


@transaction.atomic
def group_member_add(*, actor: Any, group: Group, user: User,
                     organisation: Organisation | None = None) -> GroupMembership:
    """Add someone who already holds a role in the municipality (others are invited to the group instead)."""
    _check_set_up(actor, group.municipality)
    if not Membership.objects.filter(user=user, municipality=group.municipality).exists():
        raise CoreError(_("Only people with a role in the municipality are added here; invite anyone else."))
    if organisation is not None and organisation.municipality_id != group.municipality_id:
        raise CoreError(_("The unit must belong to the same municipality."))
    return group_add_member(actor=actor, group=group, user=user, organisation=organisation)


@transaction.atomic
def group_member_remove(*, actor: Any, member: GroupMembership) -> None:
    _check_set_up(actor, member.group.municipality)
    audit.record(actor=actor, action="core.group.member_removed", municipality=member.group.municipality,
                 obj=member.group, data={"user": member.user.email})
    member.delete()


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
    _check_set_up(actor, municipality)
    audit.record(actor=actor, action=f"core.{what}.exported", municipality=municipality,
                 data={"format": file_format, "filters": filters, "rows": rows})


# --- The second factor -------------------------------------------------------------------------------------------
# Views call these with the person who is logging in (not yet `request.user` during the two-step login).

def _device_kind(device: Any) -> str:
    return {"totpdevice": "authenticator", "staticdevice": "backup_code", "emaildevice": "e-mail"}.get(
        device._meta.model_name, device._meta.model_name)


@transaction.atomic
def two_factor_verify(*, user: User, device: Any, code: str) -> tuple[bool, int]:
    """Check `code` on one of the person's devices: (accepted, seconds to wait first).

    Past a few wrong codes a pause applies (`two_factor.device_wait_seconds`); during it no code is checked, so
    guessing gets nowhere, and the person is told how long. Backup codes are compared by their keyed hash and
    removed when used (django-otp's static device)."""
    from django_otp.plugins.otp_static.models import StaticDevice

    wait = two_factor.device_wait_seconds(device)
    if wait:
        return False, wait
    kind = _device_kind(device)
    token = two_factor.backup_code_digest(code) if isinstance(device, StaticDevice) else code
    if device.verify_token(token):
        if isinstance(device, StaticDevice):
            audit.record(actor=user, action="core.backup_code.used", obj=user,
                         data={"remaining": device.token_set.count()})
        return True, 0
    audit.record(actor=user, action="core.two_factor.failed", obj=user, data={"device": kind})
    return False, 0


@transaction.atomic
def backup_codes_create(*, actor: User) -> list[str]:
    """New backup codes for `actor`, replacing any earlier ones (each works once).

    The codes are returned to be shown once; only keyed hashes are stored."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    device = StaticDevice.objects.filter(user=actor).first() or StaticDevice.objects.create(
        user=actor, name="backup codes", confirmed=True)
    replaced = device.token_set.count()
    device.token_set.all().delete()
    device.throttle_reset(commit=False)
    device.confirmed = True
    device.save()
    codes = [two_factor.new_backup_code() for _ in range(two_factor.BACKUP_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=two_factor.backup_code_digest(code))
                                     for code in codes])
    audit.record(actor=actor, action="core.backup_codes.created", obj=actor,
                 data={"count": len(codes), "replaced_unused": replaced})
    return codes


def backup_codes_left(user: User) -> int:
    from django_otp.plugins.otp_static.models import StaticToken

    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def enrolment_check_send(*, user: User) -> bool:
    """Send a one-time code to the person's e-mail address, the check before an authenticator app is shown.

    A password alone must not be enough to tie a new app to the account (someone who only learnt the password
    would then hold both factors). False while the previous code is too fresh to send another."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django_otp.plugins.otp_email.models import EmailDevice

    device = EmailDevice.objects.filter(user=user, name="enrolment").first() or EmailDevice.objects.create(
        user=user, name="enrolment", confirmed=False)
    allowed, _why = device.generate_is_allowed()
    if not allowed:
        return False
    device.generate_token(valid_secs=settings.VARNA_ENROLMENT_CODE_SECONDS, commit=False)
    device.cooldown_set(commit=False)
    device.save()
    body = render_to_string("core/email/enrolment_code.txt", {
        "token": device.token, "minutes": settings.VARNA_ENROLMENT_CODE_SECONDS // 60})
    audit.record(actor=user, action="core.two_factor.enrolment_code_sent", obj=user)
    # Sent now, not on commit: the person is waiting for it on the page, and nothing here is rolled back.
    send_mail(str(_("Your code for setting up two-factor login in Värna")), body, None, [user.email],
              fail_silently=False)
    return True


@transaction.atomic
def enrolment_check_verify(*, user: User, code: str) -> tuple[bool, int]:
    """The code from the e-mail: (accepted, seconds to wait first)."""
    from django_otp.plugins.otp_email.models import EmailDevice

    device = EmailDevice.objects.filter(user=user, name="enrolment").first()
    if device is None:
        return False, 0
    return two_factor_verify(user=user, device=device, code=code)


@transaction.atomic
def two_factor_enrol(*, user: User, device: Any, code: str) -> tuple[list[str] | None, int]:
    """Confirm a new authenticator app with its first code; the answer holds the first backup codes."""
    accepted, wait = two_factor_verify(user=user, device=device, code=code)
    if not accepted:
        return None, wait
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(actor=user, action="core.two_factor.enrolled", obj=user, data={"device": _device_kind(device)})
    return backup_codes_create(actor=user), 0


# --- Invitations --------------------------------------------------------------------------------------------------

def _may_invite(actor: Any, municipality: Municipality, role: str, group: Group | None) -> bool:
    from varna.core.permissions import can_manage_people, has_role

    if can_manage_people(actor, municipality):
        return True
    # The coordinator convenes the groups, so they may bring someone into a group (without a role of the
    # municipality's; a partner, say).
    # Likewise into what another app grants (a case: that app's own service checks the coordinator may, and its
    # receiver checks again on acceptance).
    return not role and has_role(actor, municipality, Role.COORDINATOR)


@transaction.atomic
def invitation_create(*, actor: Any, municipality: Municipality, email: str, name: str = "", role: str = "",
                      organisation: Organisation | None = None, group: Group | None = None,
                      grants: dict[str, Any] | None = None, system: bool = False) -> tuple[Invitation, str]:
    """Invite `email` (by a link, mailed on commit; no password is sent) to a role, a group, or what `grants`
    names. Returns the invitation and the link's token, which is stored only as a hash.

    `system` is for the operator's command and the platform administrator creating a municipality: the first
    administrators have nobody to approve them."""
    if not system and not _may_invite(actor, municipality, role, group):
        raise CorePermissionError(_("Only an administrator of the municipality invites people with a role."))
    if role and (role not in Role.values or role == Role.NATIONAL_ANALYST):
        raise CoreError(_("Unknown role: %(role)s") % {"role": role})
    if not role and group is None and not grants:
        raise CoreError(_("Choose a role or a group for the invitation."))
    for item, label in ((organisation, "organisation"), (group, "group")):
        if item is not None and item.municipality_id != municipality.pk:
            raise CoreError(_("The %(what)s must belong to the same municipality.") % {"what": label})
    email = User.objects.normalize_email(email.strip()).lower()
    if actor is not None and getattr(actor, "email", None) == email:
        raise CoreError(_("Nobody can grant or change their own roles. Ask another administrator."))
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        municipality=municipality, email=email, name=name.strip(), role=role, organisation=organisation, group=group,
        grants=(grants or {}) | ({"system": True} if system else {}), token_digest=invitation_digest(token),
        created_by=actor if getattr(actor, "pk", None) else None,
        expires_at=timezone.now() + dt.timedelta(days=settings.VARNA_INVITATION_DAYS))
    try:
        invitation.full_clean()
    except ValidationError as exc:
        raise CoreError(" ".join(exc.messages)) from exc
    invitation.save()
    audit.record(actor=actor, action="core.invitation.created", municipality=municipality, obj=invitation,
                 data={"email": email, "role": role, "group": group.pk if group else None,
                       "organisation": organisation.key if organisation else None})
    _mail([User(email=email)], subject=_("You are invited to Värna"), template="core/email/invitation.txt",
          context={"invitation": invitation, "municipality": municipality, "days": settings.VARNA_INVITATION_DAYS,
                   "link": settings.VARNA_PUBLIC_URL + invitation_path(token)})
    return invitation, token


def invitation_path(token: str) -> str:
    from django.urls import reverse

    return reverse("core:invitation", kwargs={"token": token})


@transaction.atomic
def invitation_revoke(*, actor: Any, invitation: Invitation) -> None:
    """Withdraw an invitation not yet used: its link stops working at once."""
    if not _may_invite(actor, invitation.municipality, invitation.role, invitation.group):
        raise CorePermissionError(_("Only an administrator of the municipality withdraws invitations."))
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise CoreError(_("This invitation has already been used or withdrawn."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action="core.invitation.revoked", municipality=invitation.municipality, obj=invitation,
                 data={"email": invitation.email})


@transaction.atomic
def invitation_accept(*, token: str, user: User | None = None, password: str = "",
                      full_name: str = "") -> User:
    """Use an invitation: once, before it expires. A person without an account chooses a password here (never
    one sent to them); one who has an account must be logged in as the invited address.

    The role applies at once, except one needing a second administrator: then the invitation becomes a
    request that another administrator approves (unless the system made the invitation)."""
    from django.contrib.auth.password_validation import validate_password

    invitation = Invitation.objects.select_for_update().filter(token_digest=invitation_digest(token)).first()
    if invitation is None or not invitation.is_usable_at(timezone.now()):
        raise CoreError(_("This invitation link is not valid: it has expired, been used or been withdrawn. "
                          "Ask the person who invited you for a new one."))
    existing = User.objects.filter(email=invitation.email).first()
    if user is not None and user.is_authenticated:
        if user.email != invitation.email:
            raise CoreError(_("This invitation is for another e-mail address. Log out and open the link again."))
        person = user
    elif existing is not None and existing.has_usable_password():
        raise CoreError(_("You already have an account. Log in first, then open the link again."))
    else:
        try:
            validate_password(password, user=existing or User(email=invitation.email))
        except ValidationError as exc:
            raise CoreError(" ".join(exc.messages)) from exc
        person = existing or User.objects.create_user(email=invitation.email, full_name=full_name.strip()
                                                      or invitation.name)
        person.set_password(password)
        person.save(update_fields=["password"])
        if existing is None:
            audit.record(actor=person, action="core.user.created", obj=person, data={"email": person.email})
    invitation.accepted_at, invitation.accepted_by = timezone.now(), person
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if not invitation.role and invitation.organisation is not None \
            and not Membership.objects.filter(user=person).exists():
        # A partner: their organisation goes next to their name everywhere it appears.
        person.organisation_name = invitation.organisation.name
        person.save(update_fields=["organisation_name"])
    municipality, inviter = invitation.municipality, invitation.created_by
    audit.record(actor=person, action="core.invitation.accepted", municipality=municipality, obj=invitation,
                 data={"email": person.email, "role": invitation.role})
    if invitation.role:
        name = invitation.name or full_name
        if invitation.role in roles_needing_approval() and not invitation.grants.get("system"):
            # Only the system's own invitations have no inviter, and they skip approval (narrowed for mypy).
            assert inviter is not None  # nosec B101
            if not Membership.objects.filter(user=person, municipality=municipality, role=invitation.role).exists() \
                    and not RoleRequest.objects.filter(municipality=municipality, user=person, role=invitation.role,
                                                       status=RoleRequest.Status.PENDING).exists():
                request = RoleRequest.objects.create(
                    municipality=municipality, user=person, role=invitation.role,
                    organisation=invitation.organisation, name=name.strip(), requested_by=inviter)
                audit.record(actor=inviter, action="core.role_request.created", municipality=municipality,
                             obj=request, data={"user": person.email, "role": invitation.role, "via": "invitation"})
                _mail(_people_of(municipality, Role.ADMINISTRATOR, exclude=inviter),
                      subject=_("A role in Värna waits for a second administrator"),
                      template="core/email/role_requested.txt",
                      context={"municipality": municipality, "request": request, "actor": inviter})
        else:
            _grant(actor=inviter, municipality=municipality, user=person, role=invitation.role,
                   organisation=invitation.organisation, name=name, data={"via": "invitation"})
    if invitation.group is not None:
        # The invitation is the permission: its creator was checked when it was made.
        _group_add_member(actor=inviter, group=invitation.group, user=person, organisation=invitation.organisation)
    invitation_accepted.send(sender=Invitation, invitation=invitation, user=person)
    return person


def second_factor_reset(*, actor: Any, municipality: Municipality, user: User, code: str) -> int:
    """An administrator resets a person's second factor (a lost phone, no backup codes left): every device goes
    (app, backup codes, passkeys, e-mail codes) and every session ends, so the person sets up a new one at their
    next login, after the e-mailed check. Returns the number of devices removed.

    Guarded (ASVS V2.5, V4.3.3): the municipality's administrator only, never for themselves, with a fresh code
    from their own app (a stolen session alone can't do it); only for a person whose roles are all in this
    municipality (an account used elsewhere is the platform operator's). The person is told by e-mail. Not one
    transaction: a refused code is audited even though nothing else happens."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from varna.core.permissions import can_manage_people

    if not can_manage_people(actor, municipality):
        raise CorePermissionError(_("Only an administrator of the municipality resets a second factor."))
    if actor.pk == user.pk:
        raise CoreError(_("Nobody can reset their own second factor. Ask another administrator."))
    if not Membership.objects.filter(user=user, municipality=municipality).exists():
        raise CoreError(_("This person has no role in the municipality."))
    if user.is_staff or user.is_superuser or Membership.objects.filter(user=user).exclude(
            municipality=municipality).exists():
        raise CoreError(_("This account is used outside the municipality: the platform's operator resets it."))
    fresh = any(two_factor_verify(user=actor, device=device, code=code)[0]
                for device in TOTPDevice.objects.filter(user=actor, confirmed=True))
    if not fresh:
        audit.record(actor=actor, action="core.second_factor.reset_refused", municipality=municipality, obj=user,
                     data={"user": user.email})
        raise CoreError(_("Type the code your own authenticator app shows now."))
    return _second_factor_remove(actor=actor, municipality=municipality, user=user)


@transaction.atomic
def _second_factor_remove(*, actor: Any, municipality: Municipality, user: User) -> int:
    from django_otp import devices_for_user

    devices = list(devices_for_user(user, confirmed=None))
    kinds = sorted({device._meta.label_lower for device in devices})
    for device in devices:
        device.delete()
    ended = _end_sessions(user)
    audit.record(actor=actor, action="core.second_factor.reset", municipality=municipality, obj=user,
                 data={"user": user.email, "devices": len(devices), "kinds": kinds, "sessions_ended": ended})
    _mail([user], subject=_("Your second factor in Värna was reset"), template="core/email/second_factor_reset.txt",
          context={"municipality": municipality, "actor": actor})
    return len(devices)


def sessions_end_all(*, user: User) -> int:
    """End every session of `user` (single logout from an identity provider); the caller audits why."""
    return _end_sessions(user)


def _end_sessions(user: User) -> int:
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = list(UserSession.objects.filter(user=user))
    for user_session in sessions:
        store(session_key=user_session.session_key).delete()
    UserSession.objects.filter(user=user).delete()
    return len(sessions)
