"""Passkeys as the second step of login, with a software authenticator answering real WebAuthn ceremonies that
py_webauthn checks (challenge, origin, relying party, signature, counter)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.passkeys.authenticator import SoftAuthenticator
from varna.core.models import AuditEvent
from varna.passkeys.models import Passkey

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


def _add(client: Client, authenticator: SoftAuthenticator, **options: Any) -> Any:
    challenge = client.post("/account/passkeys/options/").json()
    return client.post("/account/passkeys/add/?name=key", authenticator.create(challenge, **options),
                       content_type="application/json")


def _second_step(client: Client, authenticator: SoftAuthenticator, **options: Any) -> Any:
    challenge = client.post("/account/two-factor/passkey/options/").json()
    return client.post("/account/two-factor/passkey/", authenticator.get(challenge, **options),
                       content_type="application/json")


@pytest.fixture
def key() -> SoftAuthenticator:
    return SoftAuthenticator()


@pytest.fixture
def alice_with_passkey(verified_client: Any, alice: Any, key: SoftAuthenticator) -> Any:
    client = verified_client(alice)
    assert _add(client, key).status_code == 200
    client.post("/account/logout/")
    return alice


def test_a_coordinator_adds_a_passkey_and_logs_in_with_it_instead_of_a_code(client: Client, alice_with_passkey: Any,
                                                                            key: SoftAuthenticator) -> None:
    assert Passkey.objects.filter(user=alice_with_passkey, confirmed=True).count() == 1
    assert AuditEvent.objects.filter(action="core.passkey.added").exists()
    client.post("/account/login/", {"email": alice_with_passkey.email, "password": PASSWORD})
    assert "passkey" in client.get("/account/two-factor/").content.decode()
    response = _second_step(client, key)
    assert response.status_code == 200
    assert response.json()["redirect"] == "/"
    assert client.session["_auth_user_id"] == str(alice_with_passkey.pk)
    assert client.get("/sollentuna/manage/audit/").status_code == 200


def test_a_password_alone_cannot_add_a_passkey(client: Client, alice: Any, key: SoftAuthenticator) -> None:
    client.force_login(alice)  # past the password, not the second step
    assert client.post("/account/passkeys/options/").status_code == 403
    assert not Passkey.objects.exists()


def test_an_answer_made_for_another_site_is_refused(client: Client, alice_with_passkey: Any,
                                                    key: SoftAuthenticator) -> None:
    """A phishing site relaying the challenge gets an answer for its own origin, which Värna refuses."""
    client.post("/account/login/", {"email": alice_with_passkey.email, "password": PASSWORD})
    assert _second_step(client, key, origin="https://varna-login.example").status_code == 400
    assert _second_step(client, key, rp_id="varna-login.example").status_code == 400
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="core.two_factor.failed", data__device="passkey").count() == 2


def test_a_replayed_answer_is_refused(client: Client, alice_with_passkey: Any, key: SoftAuthenticator) -> None:
    client.post("/account/login/", {"email": alice_with_passkey.email, "password": PASSWORD})
    challenge = client.post("/account/two-factor/passkey/options/").json()
    answer = key.get(challenge)
    assert client.post("/account/two-factor/passkey/", answer, content_type="application/json").status_code == 200
    client.post("/account/logout/")
    client.post("/account/login/", {"email": alice_with_passkey.email, "password": PASSWORD})
    client.post("/account/two-factor/passkey/options/")  # a new challenge: the old answer does not sign it
    assert client.post("/account/two-factor/passkey/", answer, content_type="application/json").status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_cloned_key_whose_counter_goes_back_is_refused(client: Client, alice_with_passkey: Any,
                                                         key: SoftAuthenticator) -> None:
    client.post("/account/login/", {"email": alice_with_passkey.email, "password": PASSWORD})
    assert _second_step(client, key).status_code == 200
    client.post("/account/logout/")
    client.post("/account/login/", {"email": alice_with_passkey.email, "password": PASSWORD})
    assert _second_step(client, key, count_up=False).status_code == 400


def test_someone_elses_passkey_does_not_open_this_account(alice_with_passkey: Any, verified_client: Any,
                                                         ada: Any) -> None:
    mallory_key = SoftAuthenticator()
    assert _add(verified_client(ada), mallory_key).status_code == 200  # a real passkey, of another person
    browser = Client()
    browser.post("/account/login/", {"email": alice_with_passkey.email, "password": PASSWORD})
    assert _second_step(browser, mallory_key).status_code == 400
    assert "_auth_user_id" not in browser.session


def test_a_passkey_is_removed_only_by_its_owner(verified_client: Any, alice_with_passkey: Any, ada: Any) -> None:
    passkey = Passkey.objects.get(user=alice_with_passkey)
    assert verified_client(ada).post(f"/account/passkeys/{passkey.pk}/remove/", {"confirm": "yes"}).status_code == 404
    assert Passkey.objects.filter(pk=passkey.pk).exists()
    assert verified_client(alice_with_passkey).post(
        f"/account/passkeys/{passkey.pk}/remove/", {"confirm": "yes"}).status_code == 302
    assert not Passkey.objects.filter(pk=passkey.pk).exists()
    assert AuditEvent.objects.filter(action="core.passkey.removed").exists()
