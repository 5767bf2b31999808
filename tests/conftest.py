"""Named test people, one per role, in two municipalities (Sollentuna and Täby).

Every view test can then show in three lines that the right role succeeds, a read-only role
gets 403 and a member of the other municipality gets 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

# No per-example time limit: on a shared CI machine (browser tests in parallel) one slow example
# made pure-logic tests fail as "flaky". Properties are about results, not speed.
hypothesis_settings.register_profile("varna", deadline=None)
hypothesis_settings.load_profile("varna")


@pytest.fixture(autouse=True)
def _empty_cache() -> Any:
    """Rate-limit counters live in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Every test starts in the site's default language: a request in English, or a command that
    switched language, must not leave its choice to the next test in the same worker."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def sollentuna(db: Any) -> Any:
    from varna.core.models import Municipality

    return Municipality.objects.create(name="Sollentuna", code="0163", slug="sollentuna")


@pytest.fixture
def taby(db: Any) -> Any:
    from varna.core.models import Municipality

    return Municipality.objects.create(name="Täby", code="0160", slug="taby")


@pytest.fixture
def make_person(db: Any) -> Callable[..., Any]:
    from varna.core.models import Membership, Organisation, User

    def make(email: str, role: str | None, municipality: Any = None, unit: str | None = None) -> Any:
        user = User.objects.create_user(email=email, password="correct horse battery", full_name=email.split("@")[0])
        if role is not None:
            organisation = None
            if unit and municipality is not None:
                organisation, _ = Organisation.objects.get_or_create(
                    municipality=municipality, key=unit, defaults={"name": unit.title(), "kind": "school"})
            Membership.objects.create(user=user, municipality=municipality, role=role, organisation=organisation,
                                      name=user.full_name)
        return user

    return make


@pytest.fixture
def alice(make_person: Callable[..., Any], sollentuna: Any) -> Any:
    """Coordinator in Sollentuna."""
    return make_person("alice@sollentuna.example", "coordinator", sollentuna)


@pytest.fixture
def sten(make_person: Callable[..., Any], sollentuna: Any) -> Any:
    """Steering group in Sollentuna."""
    return make_person("sten@sollentuna.example", "steering_group", sollentuna)


@pytest.fixture
def walter(make_person: Callable[..., Any], sollentuna: Any) -> Any:
    """Working group in Sollentuna."""
    return make_person("walter@sollentuna.example", "working_group", sollentuna, unit="kfk")


@pytest.fixture
def maria(make_person: Callable[..., Any], sollentuna: Any) -> Any:
    """Manager (principal) in Sollentuna."""
    return make_person("maria@sollentuna.example", "manager", sollentuna, unit="buk")


@pytest.fixture
def bob(make_person: Callable[..., Any], sollentuna: Any) -> Any:
    """Staff in Sollentuna."""
    return make_person("bob@sollentuna.example", "staff", sollentuna, unit="buk")


@pytest.fixture
def ada(make_person: Callable[..., Any], sollentuna: Any) -> Any:
    """Administrator in Sollentuna."""
    return make_person("ada@sollentuna.example", "administrator", sollentuna)


@pytest.fixture
def nils(make_person: Callable[..., Any]) -> Any:
    """National analyst: no municipality."""
    return make_person("nils@cve.example", "national_analyst", None)


@pytest.fixture
def tove(make_person: Callable[..., Any], taby: Any) -> Any:
    """Coordinator in Täby: the other tenant."""
    return make_person("tove@taby.example", "coordinator", taby)


@pytest.fixture
def verified_client(client: Any) -> Callable[[Any], Any]:
    """Log a user in as if they had passed two-factor authentication."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def login(user: Any) -> Any:
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
            user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return login


@pytest.fixture
def demo_plan(sollentuna: Any) -> Any:
    """The Sollentuna demo plan, imported through the real importer."""
    from varna.plans import demo

    demo.load(sollentuna)
    from varna.plans.models import Plan

    return Plan.objects.get(municipality=sollentuna, slug=demo.DEMO_PLAN_SLUG)
