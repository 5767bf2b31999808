"""Logging in through a municipality's OpenID provider: a real provider on loopback (conftest), real redirects."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from joserfc import jwt
from joserfc.jwk import KeySet, OctKey, RSAKey

from tests.sso.conftest import provider_redirect, walk_idp
from varna.core.models import AuditEvent, Membership, User
from varna.sso import oidc
from varna.sso.models import ExternalIdentity, RoleMapping

pytestmark = pytest.mark.django_db

ANNA = {"email": "anna@sollentuna.example", "name": "Anna Berg", "groups": ["vbe-staff"],
        "organisation": "Barn- och ungdomsförvaltningen"}


def _roles(email: str) -> set[tuple[str, str]]:
    return set(Membership.objects.filter(user__email=email).values_list("municipality__slug", "role"))


def test_an_employee_logs_in_through_the_municipality_and_gets_the_mapped_role(
        client: Client, oidc_idp: Any, oidc_provider: Any, oidc_login: Any) -> None:
    RoleMapping.objects.create(provider=oidc_provider, group_value="vbe-staff", role="staff")
    oidc_idp.set_accounts({"anna-1": ANNA})
    response = oidc_login(client, "sollentuna", "kommun", "anna-1", next_url="/sollentuna/")
    assert response.status_code == 302
    assert response["Location"] == "/sollentuna/"
    user = User.objects.get(email="anna@sollentuna.example")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert _roles(user.email) == {("sollentuna", "staff")}
    assert not user.has_usable_password()  # no Värna password to guess
    identity = ExternalIdentity.objects.get(provider=oidc_provider, subject="anna-1")
    assert identity.user == user
    assert identity.organisation_name == ANNA["organisation"]
    assert AuditEvent.objects.filter(action="sso.login.succeeded", municipality=oidc_provider.municipality).exists()


def test_the_role_mapping_grants_nothing_by_default(client: Client, oidc_idp: Any, oidc_provider: Any,
                                                   oidc_login: Any) -> None:
    oidc_idp.set_accounts({"anna-1": {**ANNA, "groups": ["domain-admins", "coordinator", "administrator"]}})
    assert oidc_login(client, "sollentuna", "kommun", "anna-1").status_code == 302
    assert _roles(ANNA["email"]) == set()
    # Logged in, but a member of nothing: the municipality's pages are as closed as to anyone else.
    assert client.get("/sollentuna/manage/people/").status_code == 404
    assert client.get("/sollentuna/manage/audit/").status_code == 404


def test_a_group_can_never_give_a_role_that_needs_a_second_administrator(
        client: Client, oidc_idp: Any, oidc_provider: Any, oidc_login: Any) -> None:
    RoleMapping.objects.create(provider=oidc_provider, group_value="vbe-staff", role="coordinator")
    RoleMapping.objects.create(provider=oidc_provider, group_value="vbe-staff", role="administrator")
    oidc_idp.set_accounts({"anna-1": ANNA})
    oidc_login(client, "sollentuna", "kommun", "anna-1")
    assert _roles(ANNA["email"]) == set()


def test_an_unknown_person_is_refused_when_the_municipality_says_so(
        client: Client, oidc_idp: Any, oidc_provider: Any, oidc_login: Any) -> None:
    oidc_provider.unknown_users = "refuse"
    oidc_provider.save()
    oidc_idp.set_accounts({"anna-1": ANNA})
    response = oidc_login(client, "sollentuna", "kommun", "anna-1")
    assert response.status_code == 403
    assert any(text in response.content.decode() for text in ("no account in Värna", "inget konto i Värna"))
    assert not User.objects.filter(email=ANNA["email"]).exists()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="sso.login.refused", data__reason="unknown").exists()


def test_a_changed_group_claim_changes_the_role_at_the_next_login(
        client: Client, oidc_idp: Any, oidc_provider: Any, oidc_login: Any) -> None:
    RoleMapping.objects.create(provider=oidc_provider, group_value="vbe-staff", role="staff")
    RoleMapping.objects.create(provider=oidc_provider, group_value="vbe-managers", role="manager")
    oidc_idp.set_accounts({"anna-1": ANNA})
    oidc_login(client, "sollentuna", "kommun", "anna-1")
    assert _roles(ANNA["email"]) == {("sollentuna", "staff")}
    client.post("/account/logout/")
    oidc_idp.set_accounts({"anna-1": {**ANNA, "groups": ["vbe-managers"]}})
    oidc_login(client, "sollentuna", "kommun", "anna-1")
    assert _roles(ANNA["email"]) == {("sollentuna", "manager")}
    change = AuditEvent.objects.filter(action="sso.roles.changed").order_by("-id").first()
    assert change.data["added"] == ["manager"]
    assert change.data["removed"] == ["staff"]


def test_roles_an_administrator_granted_in_varna_stay_whatever_the_claim(
        client: Client, oidc_idp: Any, oidc_provider: Any, oidc_login: Any, bob: Any) -> None:
    RoleMapping.objects.create(provider=oidc_provider, group_value="vbe-staff", role="staff")
    oidc_idp.set_accounts({"bob-1": {"email": bob.email, "groups": []}})
    oidc_login(client, "sollentuna", "kommun", "bob-1")
    assert _roles(bob.email) == {("sollentuna", "staff")}  # bob's own, granted in Värna


def test_an_identity_provider_of_another_municipality_cannot_log_in_a_sollentuna_person(
        client: Client, oidc_idp: Any, oidc_provider: Any, taby_provider: Any, oidc_login: Any, alice: Any) -> None:
    # Täby's provider asserts the e-mail address of Sollentuna's coordinator.
    oidc_idp.set_accounts({"mallory": {"email": alice.email, "groups": []}})
    response = oidc_login(client, "taby", "taby-id", "mallory")
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert not ExternalIdentity.objects.filter(user=alice).exists()
    assert AuditEvent.objects.filter(action="sso.login.refused", data__reason="roles_elsewhere").exists()
    # And Täby's provider does not exist under Sollentuna's address.
    assert client.get("/account/sso/sollentuna/taby-id/login/").status_code == 404


def test_a_replayed_answer_is_refused(client: Client, oidc_idp: Any, oidc_provider: Any) -> None:
    oidc_idp.set_accounts({"anna-1": ANNA})
    back = walk_idp(provider_redirect(client.get("/account/sso/sollentuna/kommun/login/")), account="anna-1")
    parts = urlsplit(back)
    assert client.get(f"{parts.path}?{parts.query}").status_code == 302
    client.post("/account/logout/")
    again = client.get(f"{parts.path}?{parts.query}")
    assert again.status_code == 403
    assert "_auth_user_id" not in client.session


def test_an_answer_meant_for_another_browser_is_refused(client: Client, oidc_idp: Any, oidc_provider: Any) -> None:
    """Login CSRF: an attacker's own code and state, planted in the victim's browser, log nobody in."""
    oidc_idp.set_accounts({"anna-1": ANNA})
    attacker = Client()
    back = walk_idp(provider_redirect(attacker.get("/account/sso/sollentuna/kommun/login/")), account="anna-1")
    parts = urlsplit(back)
    victim = client.get(f"{parts.path}?{parts.query}")
    assert victim.status_code == 403
    assert "_auth_user_id" not in client.session


def test_a_login_whose_assurance_counts_is_the_second_factor(client: Client, oidc_idp: Any, oidc_provider: Any,
                                                             oidc_login: Any, alice: Any) -> None:
    oidc_idp.set_accounts({"alice-1": {"email": alice.email, "groups": []}})
    response = oidc_login(client, "sollentuna", "kommun", "alice-1", acr="urn:varna:test:mfa")
    assert response.status_code == 302
    assert client.get("/sollentuna/manage/audit/").status_code == 200


def test_a_password_only_login_at_the_provider_still_needs_värnas_second_factor(
        client: Client, oidc_idp: Any, oidc_provider: Any, oidc_login: Any, alice: Any) -> None:
    oidc_idp.set_accounts({"alice-1": {"email": alice.email, "groups": []}})
    response = oidc_login(client, "sollentuna", "kommun", "alice-1", acr="urn:varna:test:password")
    assert response["Location"] == "/account/two-factor/"
    assert "_auth_user_id" not in client.session


def test_the_request_carries_pkce_state_and_nonce(client: Client, oidc_provider: Any) -> None:
    query = parse_qs(urlsplit(provider_redirect(client.get("/account/sso/sollentuna/kommun/login/"))).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert len(query["state"][0]) >= 32
    assert len(query["nonce"][0]) >= 32
    assert query["response_type"] == ["code"]


# --- Forged ID tokens against the validator ----------------------------------------------------------------------

ISSUER, CLIENT, NONCE = "https://idp.example", "varna-sollentuna", "the-nonce"


@pytest.fixture(scope="module")
def signing_key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": "k1", "alg": "RS256", "use": "sig"})


def _token(key: Any, *, alg: str = "RS256", **overrides: Any) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": CLIENT, "sub": "anna-1", "iat": now, "exp": now + 300, "nonce": NONCE,
              **overrides}
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode({"alg": alg, "kid": "k1"}, claims, key, algorithms=[alg])


def _validate(token: str, key: RSAKey) -> dict[str, Any]:
    keys = KeySet.import_key_set({"keys": [key.as_dict(private=False)]})
    return oidc.validate_id_token(token, keys=keys, issuer=ISSUER, client_id=CLIENT, nonce=NONCE)


def test_a_well_formed_token_passes(signing_key: RSAKey) -> None:
    assert _validate(_token(signing_key), signing_key)["sub"] == "anna-1"


@pytest.mark.parametrize("overrides", [
    {"aud": "another-client"}, {"iss": "https://evil.example"}, {"nonce": "replayed-nonce"},
    {"exp": int(time.time()) - 3600}, {"iat": None}, {"sub": None}, {"nonce": None},
    {"aud": [CLIENT, "another-client"]},  # several audiences and no azp naming us
])
def test_a_token_with_a_wrong_claim_is_refused(signing_key: RSAKey, overrides: dict[str, Any]) -> None:
    with pytest.raises(oidc.OidcError):
        _validate(_token(signing_key, **overrides), signing_key)


def test_a_token_signed_by_another_key_is_refused(signing_key: RSAKey) -> None:
    other = RSAKey.generate_key(2048, parameters={"kid": "k1", "alg": "RS256"})
    with pytest.raises(oidc.OidcError):
        _validate(_token(other), signing_key)


def test_an_unsigned_or_shared_secret_token_is_refused(signing_key: RSAKey) -> None:
    hmac_key = OctKey.import_key(b"k" * 32, parameters={"kid": "k1"})
    with pytest.raises(oidc.OidcError):
        _validate(_token(hmac_key, alg="HS256"), signing_key)
    header, payload, _sig = _token(signing_key).split(".")
    import base64

    none_header = base64.urlsafe_b64encode(b'{"alg":"none","kid":"k1"}').rstrip(b"=").decode()
    with pytest.raises(oidc.OidcError):
        _validate(f"{none_header}.{payload}.", signing_key)
    with pytest.raises(oidc.OidcError):
        _validate(f"{header}.{payload}.", signing_key)  # signature stripped
