"""Cases fixtures: Sollentuna with the demo knowledge and legal bases, two cases, and one person per role.

`case_a` is the case under test: pia takes part in it. `case_b` is another case: otto takes part in it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client


@pytest.fixture
def cases_setup(sollentuna: Any) -> Any:
    from varna.cases import demo as cases_demo
    from varna.knowledge import demo as knowledge_demo

    knowledge_demo.load(sollentuna)
    cases_demo.load(sollentuna)
    return sollentuna


@pytest.fixture
def alice_reviewer(alice: Any) -> Any:
    """Alice the coordinator, who also holds the separate permission to review the access log."""
    from django.contrib.auth.models import Permission

    alice.user_permissions.add(Permission.objects.get(codename="review_access_log"))
    return type(alice).objects.get(pk=alice.pk)


@pytest.fixture
def pia(make_person: Callable[..., Any], sollentuna: Any) -> Any:
    """Working-group member (school) who takes part in case A."""
    return make_person("pia@sollentuna.example", "working_group", sollentuna, unit="skola")


@pytest.fixture
def otto(make_person: Callable[..., Any], sollentuna: Any) -> Any:
    """Staff (social services) who takes part in case B only."""
    return make_person("otto@sollentuna.example", "staff", sollentuna, unit="soc")


@pytest.fixture
def case_a(cases_setup: Any, alice: Any, pia: Any) -> Any:
    from varna.cases import services

    case = services.case_open(actor=alice, municipality=cases_setup, age_band="15_17", gender="male",
                              milieu_key="white-power")
    services.participant_add(actor=alice, case=case, user=pia)
    return case


@pytest.fixture
def case_b(cases_setup: Any, alice: Any, otto: Any) -> Any:
    from varna.cases import services

    case = services.case_open(actor=alice, municipality=cases_setup, age_band="18_24", gender="female")
    services.participant_add(actor=alice, case=case, user=otto)
    return case


@pytest.fixture
def login() -> Callable[[Any], Client]:
    """A fresh client per user, logged in as if they had passed two-factor authentication."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def make(user: Any) -> Client:
        client = Client()
        if user is None:
            return client
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return make


def totp_code(user: Any, drift: int = 0) -> str:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"
