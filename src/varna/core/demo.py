"""Demo municipality, groups and one user per role. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from varna.core import services
from varna.core.models import Group, Municipality, Organisation, Role

DEMO_PASSWORD = "varna-demo-2016"  # noqa: S105 (printed for the demo; never used outside it) # nosec B105


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    role: str
    organisation_key: str | None = None


DEMO_PEOPLE = [
    DemoPerson("samordnare@sollentuna.example", "Sara Samordnare", Role.COORDINATOR, "samordnare"),
    DemoPerson("styrgrupp@sollentuna.example", "Stig Styrgrupp", Role.STEERING_GROUP),
    DemoPerson("arbetsgrupp@sollentuna.example", "Aisha Arbetsgrupp", Role.WORKING_GROUP, "kfk"),
    DemoPerson("rektor@sollentuna.example", "Rut Rektor", Role.MANAGER, "buk"),
    DemoPerson("personal@sollentuna.example", "Per Personal", Role.STAFF, "buk"),
    DemoPerson("admin@sollentuna.example", "Adam Administratör", Role.ADMINISTRATOR),
    DemoPerson("analytiker@cve.example", "Nora Nationell", Role.NATIONAL_ANALYST),
]

# Units the demo users belong to; the plan import fills in the rest of the organisation registry.
_BASE_UNITS = [
    ("buk", "Barn- och utbildningskontoret", Organisation.Kind.SCHOOL),
    ("kfk", "Kultur- och fritidskontoret", Organisation.Kind.LEISURE),
    ("soc", "Socialkontoret", Organisation.Kind.SOCIAL_SERVICES),
    ("samordnare", "Preventionssamordnaren", Organisation.Kind.SOCIAL_SERVICES),
]


@transaction.atomic
def load_municipality() -> Municipality:
    # Shares its (suppressed) figures, so the demo's national analyst has something to look at.
    municipality = services.municipality_get_or_create(name="Sollentuna", code="0163", slug="sollentuna",
                                                       national_opt_in=True)
    for key, name, kind in _BASE_UNITS:
        if not Organisation.objects.filter(municipality=municipality, key=key).exists():
            services.organisation_upsert(municipality=municipality, key=key, name=name, kind=kind)
    for group_kind, name in [(Group.Kind.WORKING, "Arbetsgruppen mot våldsbejakande extremism"),
                       (Group.Kind.STEERING, "Styrgruppen"), (Group.Kind.EXPERT, "Expertgruppen")]:
        Group.objects.get_or_create(municipality=municipality, kind=group_kind, defaults={"name": name})
    return municipality


@transaction.atomic
def load_people(municipality: Municipality) -> list[DemoPerson]:
    for person in DEMO_PEOPLE:
        user = services.user_get_or_create(email=person.email, full_name=person.name, password=DEMO_PASSWORD)
        organisation = (Organisation.objects.filter(municipality=municipality, key=person.organisation_key).first()
                        if person.organisation_key else None)
        services.membership_grant(
            actor=None, user=user, role=person.role, organisation=organisation,
            municipality=None if person.role == Role.NATIONAL_ANALYST else municipality)
        if person.role in (Role.WORKING_GROUP, Role.COORDINATOR):
            group = Group.objects.get(municipality=municipality, kind=Group.Kind.WORKING)
            services.group_add_member(actor=None, group=group, user=user, organisation=organisation)
    return DEMO_PEOPLE
