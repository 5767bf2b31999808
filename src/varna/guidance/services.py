"""Writes for the contact directory: each checks who may do it, keeps the contact's history and writes an audit
event in the same transaction. The guide itself writes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from varna.core import audit
from varna.core.models import AuditEvent, Membership, Municipality, Role
from varna.guidance import engine, permissions, selectors
from varna.guidance.models import Contact, ContactChange, DirectorySettings, VerificationMethod

_LOADED_FIELDS = ("name", "organisation", "kind", "phone", "url", "opening_hours", "description", "min_age",
                  "max_age", "asker_roles", "source", "source_date", "last_verified_at", "verified_by_label")
# What a coordinator (or, for the national list, the platform administrator) may change.
EDITABLE_FIELDS = ("name", "organisation", "kind", "phone", "url", "opening_hours", "description", "min_age",
                   "max_age", "asker_roles", "source_date")
REMINDER_INTERVAL = dt.timedelta(days=7)


class ContactError(Exception):
    pass


@dataclass(frozen=True)
class Verification:
    """How someone checked a contact: required with every verification, creation and change."""

    method: str
    source: str
    checked_on: dt.date

    def __post_init__(self) -> None:
        if self.method not in VerificationMethod.values:
            raise ContactError(_("Say how the details were checked."))
        if not self.source.strip():
            raise ContactError(_("Say where the details were checked: the page, the person, the e-mail."))
        if self.checked_on > timezone.localdate():
            raise ContactError(_("The day of the check cannot be in the future."))


def _check(actor: Any, municipality: Municipality | None) -> None:
    if not permissions.can_edit_contacts(actor, municipality):
        raise PermissionDenied


def _check_owner(contact: Contact, municipality: Municipality | None) -> None:
    owner = municipality.pk if municipality is not None else None
    if contact.municipality_id != owner:
        # A municipality overrides a national contact with its own instead of changing it.
        raise ContactError("The contact belongs to another directory.")


def _text(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _label(actor: Any) -> str:
    return actor.get_username() if actor is not None and actor.is_authenticated else ""


def _apply_verification(contact: Contact, actor: Any, verification: Verification) -> None:
    contact.last_verified_at = verification.checked_on
    contact.verification_method = verification.method
    contact.source = verification.source.strip()
    contact.verified_by = actor if actor is not None and actor.is_authenticated else None
    contact.verified_by_label = _label(actor)


def _history(contact: Contact, *, kind: str, actor: Any, changes: dict[str, Any] | None = None,
             verification: Verification | None = None) -> ContactChange:
    return ContactChange.objects.create(
        contact=contact, kind=kind, actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=_label(actor), changes=changes or {},
        method=verification.method if verification else "", source=verification.source.strip() if verification else "",
        checked_on=verification.checked_on if verification else None)


def _audit(action: str, *, actor: Any, municipality: Municipality | None, contact: Contact,
           data: dict[str, Any]) -> None:
    audit.record(actor=actor, action=action, municipality=municipality, obj=contact,
                 data={"key": contact.key, "national": contact.municipality_id is None, **data})


@transaction.atomic
def contact_create(*, actor: Any, municipality: Municipality | None, key: str, values: dict[str, Any],
                   verification: Verification) -> Contact:
    """A new contact in the municipality's directory (``municipality`` None: the national list), with how its
    details were checked."""
    _check(actor, municipality)
    if Contact.objects.filter(municipality=municipality, key=key, retired_at__isnull=True).exists():
        raise ContactError(_("The directory already has a contact with this key."))
    contact = Contact(municipality=municipality, key=key, changed_at=timezone.now(),
                      **{name: values[name] for name in EDITABLE_FIELDS if name in values})
    _apply_verification(contact, actor, verification)
    contact.full_clean()
    contact.save()
    changes = {name: [None, _text(getattr(contact, name))] for name in EDITABLE_FIELDS
               if getattr(contact, name) not in ("", None, [])}
    _history(contact, kind=ContactChange.Kind.CREATED, actor=actor, changes=changes, verification=verification)
    _audit("guidance.contact.created", actor=actor, municipality=municipality, contact=contact,
           data={"fields": sorted(changes), "method": verification.method})
    return contact


ROUTING_MAX_CHARS = 200_000


@transaction.atomic
def routing_save(*, actor: Any, municipality: Municipality, text: str) -> Any:
    """Save the municipality's routing rules once the guide's own engine accepts them with its directory.

    Only the coordinator and the administrator of the municipality; a bad file changes nothing and the error
    names the field (and line) at fault."""
    from django.utils.translation import gettext as _

    from varna.core.permissions import can_set_up
    from varna.guidance import engine
    from varna.guidance.catalogue import bump_version
    from varna.guidance.models import RoutingRules
    from varna.guidance.selectors import routing_check

    if not can_set_up(actor, municipality):
        raise ContactError(_("Only the municipality's coordinator or administrator changes the routing."))
    if len(text) > ROUTING_MAX_CHARS:
        raise ContactError(_("The rules are too long (at most %(n)s characters).") % {"n": ROUTING_MAX_CHARS})
    try:
        rules = routing_check(municipality, text)
    except (engine.RuleFileError, engine.GuidanceInputError) as exc:
        raise ContactError(_("The rules are not valid: %(error)s") % {"error": exc}) from exc
    if rules.municipality != municipality.slug:
        raise ContactError(_("The rules name the municipality %(found)s; this is %(slug)s.")
                           % {"found": rules.municipality, "slug": municipality.slug})
    previous = RoutingRules.objects.filter(municipality=municipality).first()
    routing, _created = RoutingRules.objects.update_or_create(
        municipality=municipality, defaults={"text": text, "saved_by": actor, "saved_at": timezone.now()})
    audit.record(actor=actor, action="guidance.routing.saved", municipality=municipality, obj=routing,
                 data={"rules": len(rules.rule_ids), "first": previous is None,
                       "duties": sorted(rules.duty_ids)})
    transaction.on_commit(bump_version)
    return routing


@transaction.atomic
def contact_update(*, actor: Any, municipality: Municipality | None, contact: Contact, values: dict[str, Any],
                   verification: Verification) -> Contact:
    """Change a contact's details; a change is a verification too, so it says how the new details were checked."""
    _check(actor, municipality)
    _check_owner(contact, municipality)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.is_retired:
        raise ContactError(_("A retired contact cannot be changed."))
    before = {name: getattr(contact, name) for name in EDITABLE_FIELDS}
    for name in EDITABLE_FIELDS:
        if name in values:
            setattr(contact, name, values[name])
    changes = {name: [_text(before[name]), _text(getattr(contact, name))] for name in EDITABLE_FIELDS
               if before[name] != getattr(contact, name)}
    _apply_verification(contact, actor, verification)
    contact.changed_at = timezone.now()
    contact.full_clean()
    contact.save()
    _history(contact, kind=ContactChange.Kind.EDITED if changes else ContactChange.Kind.VERIFIED, actor=actor,
             changes=changes, verification=verification)
    _audit("guidance.contact.changed" if changes else "guidance.contact.verified", actor=actor,
           municipality=municipality, contact=contact,
           data={"fields": sorted(changes), "method": verification.method,
                 "verified": verification.checked_on.isoformat()})
    return contact


@transaction.atomic
def contact_verify(*, actor: Any, municipality: Municipality | None, contact: Contact,
                   verification: Verification) -> Contact:
    """Record that ``actor`` checked the contact's details, how and against what, and found them right."""
    _check(actor, municipality)
    _check_owner(contact, municipality)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.is_retired:
        raise ContactError(_("A retired contact cannot be verified."))
    previous = contact.last_verified_at
    _apply_verification(contact, actor, verification)
    contact.save(update_fields=["last_verified_at", "verification_method", "source", "verified_by",
                                "verified_by_label"])
    _history(contact, kind=ContactChange.Kind.VERIFIED, actor=actor, verification=verification)
    _audit("guidance.contact.verified", actor=actor, municipality=municipality, contact=contact,
           data={"previous": previous.isoformat() if previous else None,
                 "verified": verification.checked_on.isoformat(), "method": verification.method})
    return contact


@transaction.atomic
def contact_retire(*, actor: Any, municipality: Municipality | None, contact: Contact) -> Contact:
    """Take a contact out of the guide. It is kept, with its history; its key is free for a new contact."""
    _check(actor, municipality)
    _check_owner(contact, municipality)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.is_retired:
        raise ContactError(_("The contact is already retired."))
    contact.retired_at = timezone.now()
    contact.save(update_fields=["retired_at"])
    # The guide must still have an answer for everyone: refuse (and roll back) a retirement that leaves a
    # municipality's guide with none of its rules' fallback contacts.
    affected = [municipality] if municipality is not None else list(Municipality.objects.all())
    for each in affected:
        try:
            selectors.rules_for(each).check_directory(selectors.directory_for(each))
        except engine.GuidanceInputError as exc:
            raise ContactError(_("%(name)s is the last contact the guide of %(municipality)s can always offer. "
                                 "Add another contact first.") % {"name": contact.name,
                                                                  "municipality": each.name}) from exc
    _history(contact, kind=ContactChange.Kind.RETIRED, actor=actor)
    _audit("guidance.contact.retired", actor=actor, municipality=municipality, contact=contact, data={})
    return contact


@transaction.atomic
def directory_settings_update(*, actor: Any, municipality: Municipality, stale_after_days: int) -> DirectorySettings:
    _check(actor, municipality)
    current = DirectorySettings.objects.select_for_update().filter(municipality=municipality).first() \
        or DirectorySettings(municipality=municipality)
    before = current.stale_after_days if current.pk else None
    current.stale_after_days = stale_after_days
    try:
        current.full_clean()
    except ValidationError as exc:
        raise ContactError(" ".join(exc.messages)) from exc
    current.save()
    audit.record(actor=actor, action="guidance.directory_settings.changed", municipality=municipality, obj=current,
                 data={"stale_after_days": [before, stale_after_days]})
    return current


def contacts_exported(*, actor: Any, municipality: Municipality, file_format: str, rows: int) -> None:
    """Audit a download of the contact review (contacts are public; who took the list is still recorded)."""
    audit.record(actor=actor, action="guidance.contacts.exported", municipality=municipality,
                 data={"format": file_format, "rows": rows})


def stale_contacts_remind(*, municipality: Municipality, today: dt.date | None = None) -> int:
    """E-mail the municipality's coordinators the contacts that need checking: not verified within the
    municipality's chosen age, or hidden by a newer national entry. At most once a week; returns the e-mails sent.
    """
    today = today or timezone.localdate()
    stale = selectors.stale_contacts(municipality, today)
    overridden = selectors.overridden_by_national(municipality)
    if not stale and not overridden:
        return 0
    since = timezone.now() - REMINDER_INTERVAL
    if AuditEvent.objects.filter(municipality=municipality, action="guidance.contacts.reminder_sent",
                                 created_at__gte=since).exists():
        return 0
    recipients = sorted({m.user.email for m in Membership.objects.filter(
        municipality=municipality, role=Role.COORDINATOR, user__is_active=True).select_related("user")})
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        count = len(stale) + len(overridden)
        subject = ngettext("%(n)s contact in the directory needs checking",
                           "%(n)s contacts in the directory need checking", count) % {"n": count}
        body = render_to_string("guidance/stale_contacts_email.txt", {
            "municipality": municipality, "stale": stale, "overridden": overridden, "today": today,
            "days": selectors.stale_after(municipality).days,
            "url": settings.VARNA_PUBLIC_URL + reverse("guidance:contact_review", args=[municipality.slug])})
    with transaction.atomic():
        audit.record(actor=None, action="guidance.contacts.reminder_sent", municipality=municipality,
                     data={"stale": sorted(c.key for c in stale), "overridden": sorted(c.key for c, _n in overridden),
                           "recipients": len(recipients)})
        transaction.on_commit(lambda: send_mail(subject, body, None, recipients))
    return len(recipients)


def stale_national_contacts_remind(*, today: dt.date | None = None) -> int:
    """E-mail the platform administrators the national entries not verified within the national list's age
    (``VARNA_NATIONAL_CONTACTS_STALE_DAYS``). Every municipality inherits them, so no municipality's coordinator is
    told: they hear only of their own contacts, including their own entry for a national key. At most once a week;
    returns the e-mails sent."""
    today = today or timezone.localdate()
    stale = selectors.stale_national_contacts(today)
    if not stale:
        return 0
    since = timezone.now() - REMINDER_INTERVAL
    if AuditEvent.objects.filter(municipality__isnull=True, action="guidance.national_contacts.reminder_sent",
                                 created_at__gte=since).exists():
        return 0
    recipients = [user.email for user in selectors.platform_administrators()]
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = ngettext("%(n)s national contact needs checking",
                           "%(n)s national contacts need checking", len(stale)) % {"n": len(stale)}
        body = render_to_string("guidance/stale_national_contacts_email.txt", {
            "stale": stale, "today": today, "days": selectors.stale_after(None).days,
            "url": settings.VARNA_PUBLIC_URL + reverse("guidance:national_contacts")})
    with transaction.atomic():
        audit.record(actor=None, action="guidance.national_contacts.reminder_sent", municipality=None,
                     data={"stale": sorted(c.key for c in stale), "recipients": len(recipients)})
        transaction.on_commit(lambda: send_mail(subject, body, None, recipients))
    return len(recipients)


@transaction.atomic
def contacts_load(*, actor: Any, municipality: Municipality | None, items: list[dict[str, Any]]) -> int:
    """Create the contacts in ``items`` that don't exist yet (by key). Existing ones are left alone, so
    a coordinator's later verification or correction survives loading the demo again."""
    created = 0
    for item in items:
        values = {name: item[name] for name in _LOADED_FIELDS if name in item}
        for name in ("source_date", "last_verified_at"):
            if isinstance(values.get(name), str):
                values[name] = dt.date.fromisoformat(values[name])
        contact, was_created = Contact.objects.get_or_create(municipality=municipality, key=item["key"],
                                                             retired_at__isnull=True, defaults=values)
        if was_created:
            contact.full_clean()
            ContactChange.objects.create(contact=contact, kind=ContactChange.Kind.CREATED,
                                         actor_label=_label(actor) or "import",
                                         source=contact.source, checked_on=contact.last_verified_at)
            created += 1
    if created:
        audit.record(actor=actor, action="guidance.contacts.loaded", municipality=municipality,
                     data={"created": created, "national": municipality is None})
    return created
