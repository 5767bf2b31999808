"""An administrator resets a person's second factor (ASVS V2.5): audited, only with the administrator's own fresh
code, never for themselves or for an account used outside the municipality; the person must enrol again."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from varna.core import services
from varna.core.models import AuditEvent, Membership, UserSession

PASSWORD = "correct horse battery"


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def admin_app(ada: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=ada, name="ada", confirmed=True)


@pytest.fixture
def alice_devices(alice: Any) -> Any:
    TOTPDevice.objects.create(user=alice, name="lost phone", confirmed=True)
    services.backup_codes_create(actor=alice)
    return alice


def _reset(actor: Any, municipality: Any, user: Any, code: str) -> int:
    with mock.patch("django.db.transaction.on_commit", lambda fn, *a, **k: fn()):
        return services.second_factor_reset(actor=actor, municipality=municipality, user=user, code=code)


def test_the_reset_removes_every_device_ends_sessions_and_the_person_enrols_again(
        ada: Any, admin_app: TOTPDevice, alice_devices: Any, sollentuna: Any) -> None:
    alice = alice_devices
    their = Client()
    their.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    removed = _reset(ada, sollentuna, alice, _code(admin_app))
    assert removed == 2  # the authenticator app and the backup codes
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not StaticDevice.objects.filter(user=alice).exists()
    assert not UserSession.objects.filter(user=alice).exists()
    event = AuditEvent.objects.get(action="core.second_factor.reset")
    assert event.actor == ada
    assert event.data["user"] == alice.email
    assert mail.outbox[-1].to == [alice.email]
    # The coordinator must set up a new app, starting with the e-mailed check (the password alone shows no key).
    fresh = Client()
    response = fresh.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    assert response["Location"].endswith("/account/two-factor/")
    page = fresh.get("/account/two-factor/").content.decode()
    assert "otpauth" not in page
    assert "secret" not in page.lower()


def test_the_administrators_fresh_code_is_required(ada: Any, admin_app: TOTPDevice, alice_devices: Any,
                                                   sollentuna: Any) -> None:
    for code in ("", "000000", "12345"):
        with pytest.raises(services.CoreError):
            _reset(ada, sollentuna, alice_devices, code)
    assert TOTPDevice.objects.filter(user=alice_devices).exists()
    assert AuditEvent.objects.filter(action="core.second_factor.reset_refused").count() == 3


def test_who_may_reset_whom(ada: Any, admin_app: TOTPDevice, alice_devices: Any, bob: Any, tove: Any,
                            sollentuna: Any, taby: Any, make_person: Any) -> None:
    alice = alice_devices
    bob_app = TOTPDevice.objects.create(user=bob, name="bob", confirmed=True)
    with pytest.raises(services.CoreError):  # staff are no administrators
        _reset(bob, sollentuna, alice, _code(bob_app))
    with pytest.raises(services.CoreError):  # nobody resets their own
        _reset(ada, sollentuna, ada, _code(admin_app))
    with pytest.raises(services.CoreError):  # someone of another municipality
        _reset(ada, sollentuna, tove, _code(admin_app))
    Membership.objects.create(user=alice, municipality=taby, role="staff")
    with pytest.raises(services.CoreError):  # an account used in Täby too is not Sollentuna's to reset
        _reset(ada, sollentuna, alice, _code(admin_app))
    assert TOTPDevice.objects.filter(user=alice).exists()


def test_the_page_asks_for_the_code(verified_client: Any, ada: Any, admin_app: TOTPDevice, alice_devices: Any,
                                    sollentuna: Any) -> None:
    membership = Membership.objects.get(user=alice_devices, municipality=sollentuna)
    client = verified_client(ada)
    url = f"/sollentuna/manage/people/{membership.pk}/second-factor/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"code": "000000"}).status_code == 200
    assert TOTPDevice.objects.filter(user=alice_devices).exists()
    response = client.post(url, {"code": _code(admin_app)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=alice_devices).exists()
    people = client.get("/sollentuna/manage/people/").content.decode()
    assert f"/manage/people/{membership.pk}/second-factor/" in people
