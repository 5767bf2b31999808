"""Reads for the guide: the merged contact directory and the rules of a municipality."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from importlib import resources
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q, Subquery
from django.http import Http404
from django.utils import timezone

from varna.core.models import Municipality
from varna.guidance import engine, permissions
from varna.guidance.models import (
    STALE_AFTER,
    Contact,
    ContactChange,
    ContactKind,
    DirectorySettings,
    RoutingRules,
    VerificationMethod,
)

# The keys of how a contact can be checked, for readers outside the app (the API's schema).
VERIFICATION_METHODS: tuple[str, ...] = tuple(VerificationMethod.values)


def stale_after(municipality: Municipality | None) -> dt.timedelta:
    """How long a contact of this municipality (None: of the national list) may go unverified before it needs
    checking."""
    if municipality is None:
        return dt.timedelta(days=settings.VARNA_NATIONAL_CONTACTS_STALE_DAYS)
    days = DirectorySettings.objects.filter(municipality=municipality).values_list("stale_after_days",
                                                                                 flat=True).first()
    return dt.timedelta(days=days) if days else STALE_AFTER


def directory_settings_of(municipality: Municipality) -> DirectorySettings:
    """The municipality's directory settings (unsaved defaults if it never changed them)."""
    return DirectorySettings.objects.filter(municipality=municipality).first() or DirectorySettings(
        municipality=municipality)


def overrides_national(own: Contact, national: Contact) -> bool:
    """Whether the municipality's contact may replace the national entry with the same key in the guide.

    Only while its facts are at least as new as the national entry's: a local contact copied from a 2016 plan
    must not hide a national entry checked later. The coordinator restores the override by verifying the
    contact again (with how and against what), which the review page asks for."""
    national_date = national.fact_date
    if national_date is None:
        return True
    own_date = own.fact_date
    return own_date is not None and own_date >= national_date


def _active(municipality: Municipality) -> tuple[list[Contact], dict[str, Contact]]:
    # The municipality's stale age comes along in the same query: the guide reads this on every rebuild.
    chosen = DirectorySettings.objects.filter(municipality=municipality).values("stale_after_days")[:1]
    contacts = list(Contact.objects.filter(Q(municipality__isnull=True) | Q(municipality=municipality),
                                           retired_at__isnull=True)
                    .annotate(chosen_stale_days=Subquery(chosen)).order_by("name", "pk"))
    for contact in contacts:
        days = contact.chosen_stale_days
        contact.stale_after = dt.timedelta(days=days) if days else STALE_AFTER
    national: dict[str, Contact] = {c.key: c for c in contacts if c.municipality_id is None}
    return [c for c in contacts if c.municipality_id is not None], national


def directory_for(municipality: Municipality) -> dict[str, Contact]:
    """Every contact a municipality's guide may use, by key: the national list with the municipality's own
    contacts on top. A local contact replaces the national one with the same key unless the national entry's
    facts are newer (``overrides_national``)."""
    own, national = _active(municipality)
    directory = dict(national)
    for contact in own:
        shadowed = national.get(contact.key)
        if shadowed is None or overrides_national(contact, shadowed):
            directory[contact.key] = contact
    return directory


def overridden_by_national(municipality: Municipality) -> list[tuple[Contact, Contact]]:
    """The municipality's contacts that the guide does not show because the national entry is newer,
    each with that national entry."""
    own, national = _active(municipality)
    return [(contact, national[contact.key]) for contact in own
            if contact.key in national and not overrides_national(contact, national[contact.key])]


def national_counterpart(contact: Contact) -> Contact | None:
    """The active national entry with the same key as a municipality's contact, if there is one."""
    if contact.municipality_id is None:
        return None
    return Contact.objects.filter(municipality__isnull=True, key=contact.key, retired_at__isnull=True).first()


def emergency_contact(directory: Mapping[str, Contact]) -> Contact | None:
    """The number to call when someone is in danger (the directory's acute emergency contact, e.g. 112)."""
    found = [contact for contact in directory.values() if contact.kind == ContactKind.ACUTE_EMERGENCY and contact.phone]
    # The municipality's own entry wins over the national one, as everywhere in the directory.
    return min(found, key=lambda c: (c.is_national, c.name), default=None)


def contacts_for_review(municipality: Municipality) -> list[Contact]:
    """The directory as the coordinator reviews it: the guide's contacts and the municipality's own ones that
    a newer national entry hides, the coordinator's own stale ones first, then by name."""
    shown = directory_for(municipality)
    hidden = [own for own, _national in overridden_by_national(municipality)]
    for contact in hidden:
        contact.shown_in_guide = False
    return sorted([*shown.values(), *hidden],
                  key=lambda c: (not (c.is_stale and not c.is_national), c.name.lower(), c.pk))


def stale_contacts(municipality: Municipality, today: dt.date | None = None) -> list[Contact]:
    """The municipality's own contacts, in the guide or hidden by a newer national entry, that need checking."""
    own, _national = _active(municipality)
    today = today or timezone.localdate()
    return [contact for contact in own if contact.is_stale_on(today)]


def stale_national_contacts(today: dt.date | None = None) -> list[Contact]:
    """The active national entries not verified within the national list's age, by name."""
    today = today or timezone.localdate()
    return [contact for contact in national_contacts() if not contact.is_retired and contact.is_stale_on(today)]


def platform_administrators() -> list[Any]:
    """The active people who keep the national list (superusers and holders of the permission), by e-mail."""
    # The model backend is where this permission is granted (directly, through a group, or as a superuser).
    users = ModelBackend().with_perm(permissions.NATIONAL_PERMISSION, is_active=True, include_superusers=True)
    return [user for user in users.order_by("email") if user.email]


def local_verified_contact_count(municipality: Municipality) -> int:
    """How many of the municipality's own contacts the guide shows with a verification that is not stale:
    what the setup checklist's "local contacts" step counts."""
    return sum(1 for contact in directory_for(municipality).values()
               if not contact.is_national and not contact.is_stale)


def own_contact_get(municipality: Municipality, pk: int) -> Contact:
    """One of the municipality's own contacts (retired ones too, for their history); national ones and other
    municipalities' are 404."""
    contact = Contact.objects.filter(municipality=municipality, pk=pk).first()
    if contact is None:
        raise Http404
    contact.stale_after = stale_after(municipality)
    return contact


def national_contact_get(pk: int) -> Contact:
    contact = Contact.objects.filter(municipality__isnull=True, pk=pk).first()
    if contact is None:
        raise Http404
    return contact


def national_contact_by_key(key: str) -> Contact | None:
    return Contact.objects.filter(municipality__isnull=True, key=key, retired_at__isnull=True).first()


def national_contacts() -> list[Contact]:
    """The national list as the platform administrator keeps it: active first, stale first, then by name."""
    contacts = list(Contact.objects.filter(municipality__isnull=True))
    age = stale_after(None)
    for contact in contacts:
        contact.stale_after = age
    return sorted(contacts, key=lambda c: (c.is_retired, not c.is_stale, c.name.lower(), c.pk))


def retired_contacts(municipality: Municipality) -> list[Contact]:
    return list(Contact.objects.filter(municipality=municipality, retired_at__isnull=False).order_by("-retired_at"))


def contact_history(contact: Contact) -> list[ContactChange]:
    return list(contact.changes.select_related("actor").order_by("-at", "-pk"))


@functools.cache
def _rules_for_slug(slug: str) -> engine.RuleSet:
    folder = resources.files("varna.guidance").joinpath("data", "rules")
    own = folder.joinpath(f"{slug}.yaml")
    if own.is_file():
        return engine.load_rules(own.read_text("utf-8"), source=f"{slug}.yaml")
    # A municipality without its own file follows the demo routes, which are the common ones.
    return engine.load_demo_rules()


@functools.lru_cache(maxsize=256)
def _compiled(text: str) -> engine.RuleSet:
    return engine.load_rules(text, source="routing")


def rules_for(municipality: Municipality) -> engine.RuleSet:
    """The municipality's routing rules: those saved in the product, else the package's file (compiled once)."""
    from varna.guidance.models import RoutingRules

    text = RoutingRules.objects.filter(municipality=municipality).values_list("text", flat=True).first()
    if text is not None:
        return _compiled(text)
    return _rules_for_slug(municipality.slug)


def routing_of(municipality: Municipality) -> RoutingRules | None:
    """The municipality's saved routing rules (text, who saved them and when), or None."""
    return RoutingRules.objects.filter(municipality=municipality).select_related("saved_by").first()


def routing_template_text(municipality: Municipality) -> str:
    """The national template that ships with Värna (the package's rule file), named for this municipality:
    where a municipality starts its own routing."""
    text = resources.files("varna.guidance").joinpath("data", "rules", engine.DEMO_RULES).read_text("utf-8")
    lines = [f"municipality: {municipality.slug}" if line.startswith("municipality:") else line
             for line in text.splitlines()]
    return "\n".join(lines) + "\n"


def routing_check(municipality: Municipality, text: str) -> engine.RuleSet:
    """Compile `text` with the engine the guide uses and check it against the municipality's directory.

    Raises ``engine.RuleFileError`` (a bad field, named) or ``engine.GuidanceInputError`` (the directory holds
    none of the fallback contacts)."""
    rules = engine.load_rules(text, source="routing")
    engine.route_table(rules, directory_for(municipality))
    return rules


def routing_preview(municipality: Municipality, text: str, *, signs: frozenset[str], asker: str, age_band: str,
                    immediate_danger: bool, planning_violence: bool, wants_to_leave: bool) -> tuple[
                        engine.GuidanceResult, dict[str, Contact]]:
    """What a person with these answers would be told with the rules in `text` (saved or not)."""
    from varna.knowledge import selectors as knowledge

    rules = routing_check(municipality, text)
    directory = directory_for(municipality)
    result = engine.evaluate(
        engine.GuidanceInput(signs=signs, asker=asker, age_band=age_band, immediate_danger=immediate_danger,
                             planning_violence=planning_violence, wants_to_leave=wants_to_leave),
        rules=rules, signs=knowledge.sign_tiers(municipality), contacts=directory)
    return result, directory


def local_contact_count(municipality: Municipality) -> int:
    """How many contacts the municipality has of its own (the national ones not counted)."""
    return Contact.objects.filter(municipality=municipality, retired_at__isnull=True).count()


def national_contacts_in_use() -> list[Contact]:
    """The national list every municipality inherits (retired entries left out), by name: what the public guide
    shows while a municipality is being set up."""
    return list(Contact.objects.filter(municipality__isnull=True, retired_at__isnull=True).order_by("name"))
