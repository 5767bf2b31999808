"""Reads for the guide: the merged contact directory and the rules of a municipality."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources

from django.db.models import Q
from django.http import Http404

from varna.core.models import Municipality
from varna.guidance import engine
from varna.guidance.models import Contact, ContactKind


def directory_for(municipality: Municipality) -> dict[str, Contact]:
    """Every contact a municipality's guide may use, by key: the national list with the
    municipality's own contacts on top (a local contact replaces the national one with the same key)."""
    contacts = Contact.objects.filter(Q(municipality__isnull=True) | Q(municipality=municipality))
    directory: dict[str, Contact] = {}
    # National first, so that the municipality's own contact with the same key overwrites it.
    for contact in sorted(contacts, key=lambda c: (c.municipality_id is not None, c.name)):
        directory[contact.key] = contact
    return directory


def emergency_contact(directory: Mapping[str, Contact]) -> Contact | None:
    """The number to call when someone is in danger (the directory's acute emergency contact, e.g. 112)."""
    found = [contact for contact in directory.values() if contact.kind == ContactKind.ACUTE_EMERGENCY and contact.phone]
    # The municipality's own entry wins over the national one, as everywhere in the directory.
    return min(found, key=lambda c: (c.is_national, c.name), default=None)


def contacts_for_review(municipality: Municipality) -> list[Contact]:
    """The directory as the coordinator reviews it: stale first, then by name."""
    return sorted(directory_for(municipality).values(), key=lambda c: (not c.is_stale, c.name.lower()))


def stale_contacts(municipality: Municipality) -> list[Contact]:
    """Contacts in the directory not verified for more than 12 months (or never)."""
    return [contact for contact in directory_for(municipality).values() if contact.is_stale]


def own_contact_get(municipality: Municipality, pk: int) -> Contact:
    """One of the municipality's own contacts; national ones and other municipalities' are 404."""
    contact = Contact.objects.filter(municipality=municipality, pk=pk).first()
    if contact is None:
        raise Http404
    return contact


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


def routing_of(municipality: Municipality) -> object:
    """The municipality's saved routing rules (text, who saved them and when), or None."""
    from varna.guidance.models import RoutingRules

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
    return Contact.objects.filter(municipality=municipality).count()


def national_contacts() -> list[Contact]:
    """The national list every municipality inherits, as shown while a municipality's guide is being set up."""
    return list(Contact.objects.filter(municipality__isnull=True).order_by("name"))
