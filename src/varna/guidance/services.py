"""Writes for the contact directory. The guide itself writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from varna.core import audit
from varna.core.models import Municipality
from varna.guidance.models import Contact

_LOADED_FIELDS = ("name", "organisation", "kind", "phone", "url", "opening_hours", "description", "min_age",
                  "max_age", "asker_roles", "source", "source_date", "last_verified_at", "verified_by_label")


class ContactError(Exception):
    pass


@transaction.atomic
def contact_verify(*, actor: Any, municipality: Municipality, contact: Contact,
                   day: dt.date | None = None) -> Contact:
    """Record that ``actor`` checked the contact's details today and found them right."""
    if contact.municipality_id != municipality.pk:
        # National contacts are maintained centrally; a municipality overrides them instead.
        raise ContactError("Only the municipality's own contacts can be verified here.")
    previous = contact.last_verified_at
    contact.last_verified_at = day or timezone.localdate()
    contact.verified_by = actor
    contact.verified_by_label = actor.get_username()
    contact.save(update_fields=["last_verified_at", "verified_by", "verified_by_label"])
    audit.record(actor=actor, action="guidance.contact.verified", municipality=municipality, obj=contact,
                 data={"key": contact.key, "previous": previous.isoformat() if previous else None,
                       "verified": contact.last_verified_at.isoformat()})
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


def contacts_exported(*, actor: Any, municipality: Municipality, file_format: str, rows: int) -> None:
    """Audit a download of the contact review (contacts are public; who took the list is still recorded)."""
    audit.record(actor=actor, action="guidance.contacts.exported", municipality=municipality,
                 data={"format": file_format, "rows": rows})


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
                                                             defaults=values)
        if was_created:
            contact.full_clean()
            created += 1
    if created:
        audit.record(actor=actor, action="guidance.contacts.loaded", municipality=municipality,
                     data={"created": created, "national": municipality is None})
    return created
