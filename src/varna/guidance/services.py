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
