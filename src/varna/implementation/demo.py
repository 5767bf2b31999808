"""Synthetic implementation for the demo: some units confirmed, some employees acknowledged. Idempotent."""

from __future__ import annotations

from django.db import transaction

from varna.core import demo as core_demo
from varna.core import services as core_services
from varna.core.actors import SYSTEM
from varna.core.models import Municipality, Organisation, Role
from varna.implementation import selectors, services

# Synthetic managers and employees, so that coverage has something to show.
_PEOPLE = [
    ("demo.chef.kfk@sollentuna.example", "Kim Chef (demo)", Role.MANAGER, "kfk", True),
    ("demo.chef.soc@sollentuna.example", "Sofia Chef (demo)", Role.MANAGER, "soc", False),
    ("demo.med1@sollentuna.example", "Alex Medarbetare (demo)", Role.STAFF, "buk", True),
    ("demo.med2@sollentuna.example", "Robin Medarbetare (demo)", Role.STAFF, "buk", False),
    ("demo.med3@sollentuna.example", "Maja Medarbetare (demo)", Role.STAFF, "kfk", True),
    ("demo.med4@sollentuna.example", "Noa Medarbetare (demo)", Role.STAFF, "soc", True),
]


@transaction.atomic
def load(municipality: Municipality) -> str:
    round_ = selectors.current_round(municipality)
    if round_ is None:
        return "no approved plan version"
    core_demo.load_people(municipality)
    done = 0
    for email, name, role, unit_key, responds in _PEOPLE:
        unit = Organisation.objects.filter(municipality=municipality, key=unit_key).first()
        user = core_services.user_get_or_create(email=email, full_name=name)
        core_services.membership_grant(actor=SYSTEM, municipality=municipality, user=user, role=role,
                                       organisation=unit)
        # The demo answers only in the round of the version it loaded: a later revision's round is the users'.
        if not responds or unit is None or round_.version.number != 1:
            continue
        if role == Role.MANAGER and selectors.confirmation_of(round_, unit) is None:
            services.unit_confirm(actor=user, municipality=municipality, organisation=unit,
                                  how="På arbetsplatsträffen (demo).")
            done += 1
        elif role == Role.STAFF and selectors.acknowledgement_of(round_, user) is None:
            services.acknowledge(actor=user, municipality=municipality)
            done += 1
    return f"{done} confirmations and acknowledgements added"
