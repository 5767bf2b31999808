"""ASVS 4.0.3 V2: authentication."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.security.conftest import PASSWORD, code_for


def test_v2_1_1_passwords_shorter_than_12_characters_are_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password("Tr0llhätta!")  # 11 characters
    assert any(e.code == "password_too_short" for e in refused.value.error_list)
    validate_password("Tr0llhättan!")  # 12 characters, not common: accepted


@pytest.mark.parametrize("common", ["qwerty123456", "1q2w3e4r5t6y", "123456654321"])
def test_v2_1_7_passwords_from_the_common_password_list_are_refused(common: str) -> None:
    assert len(common) >= 12  # long enough: only the breached-password list refuses them
    with pytest.raises(ValidationError) as refused:
        validate_password(common)
    assert any(e.code == "password_too_common" for e in refused.value.error_list)


def test_v2_2_1_failed_logins_are_throttled_per_account_and_address(client: Client, bob: Any, maria: Any) -> None:
    answers = [client.post("/account/login/", {"email": bob.email, "password": "wrong password!"}).status_code
               for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]  # the fifth failure locks the account for this address
    locked = client.post("/account/login/", {"email": bob.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not locked out by bob's attacker.
    assert client.post("/account/login/", {"email": maria.email, "password": PASSWORD}).status_code == 302


@override_settings(VARNA_TWO_FACTOR_FREE_TRIES=3)
def test_v2_2_1_throttling_also_holds_for_the_second_factor(client: Client, alice: Any) -> None:
    device = TOTPDevice.objects.create(user=alice, name="app", confirmed=True)
    client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    for _ in range(3):
        client.post("/account/two-factor/", {"code": "000000" if code_for(device) != "000000" else "111111"})
    device.refresh_from_db()
    assert device.throttling_failure_count == 3
    # The pause after the free tries: a minute ahead, so that a slow machine can't outwait it.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() + timedelta(seconds=60))
    # During it even the right code is refused, so guessing gets nowhere.
    assert client.post("/account/two-factor/", {"code": code_for(device)}).status_code == 200
    assert "_auth_user_id" not in client.session


def test_v2_8_4_a_one_time_code_works_only_once(client: Client, alice: Any) -> None:
    device = TOTPDevice.objects.create(user=alice, name="app", confirmed=True)
    code = code_for(device)
    client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    assert client.post("/account/two-factor/", {"code": code}).status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)
    client.post("/account/logout/")
    client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    replay = client.post("/account/two-factor/", {"code": code})
    assert replay.status_code == 200
    assert "_auth_user_id" not in client.session
