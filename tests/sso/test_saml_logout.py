"""SAML single logout against pysaml2's own IdP (tests/sso/saml_idp.py): Värna's signing key and its metadata,
logout started in Värna (a signed LogoutRequest to the IdP, its LogoutResponse handled) and logout started at the
IdP (its signed LogoutRequest ends the person's Värna sessions). Each refusal is an attack someone could try."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from tests.sso.conftest import SP_BASE
from tests.sso.saml_idp import TestIdp
from varna.core.models import AuditEvent, User
from varna.sso.models import IdentityProvider

pytestmark = pytest.mark.django_db
BASE = SP_BASE.format(municipality="sollentuna", provider="adfs")
SLS = "/account/sso/sollentuna/adfs/saml/sls/"


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _form(response: Any) -> tuple[str, str, str]:
    """(action, field, value) of the page that posts a SAML message on to the IdP."""
    assert response.status_code == 200
    assert response.templates[0].name == "sso/post_to_idp.html"
    html = response.content.decode()
    action = re.search(r'action="([^"]+)" id="saml-post"', html).group(1)
    field, value = re.search(r'name="(SAMLRequest|SAMLResponse)" value="([^"]+)"', html).groups()
    return action, field, value


def _refused(response: Any) -> bool:
    return response.status_code == 403 and response.templates[0].name == "sso/refused.html"


def test_the_sp_metadata_publishes_a_signing_certificate_and_the_key_is_stored_encrypted(
        client: Client, saml_provider: Any) -> None:
    saml_provider.refresh_from_db()
    cert_body = "".join(saml_provider.saml_sp_certificate.strip().splitlines()[1:-1])
    xml = client.get(BASE.removeprefix("http://testserver") + "metadata/").content.decode()
    assert 'use="signing"' in xml
    assert cert_body in "".join(xml.split())
    assert f'Location="{BASE}sls/"' in xml
    with connection.cursor() as cursor:
        cursor.execute("SELECT saml_sp_private_key FROM sso_identityprovider WHERE id = %s", [saml_provider.pk])
        stored = cursor.fetchone()[0]
    assert "PRIVATE KEY" not in stored
    assert "PRIVATE KEY" in saml_provider.saml_sp_private_key
    # Asking again keeps the same key (the IdP trusts that certificate).
    before = saml_provider.saml_sp_certificate
    client.get(BASE.removeprefix("http://testserver") + "metadata/")
    saml_provider.refresh_from_db()
    assert saml_provider.saml_sp_certificate == before
    assert AuditEvent.objects.filter(action="sso.sp_key.created").count() == 1


def test_each_provider_has_its_own_key(client: Client, saml_provider: Any, taby: Any, tmp_path: Any) -> None:
    other = TestIdp("https://idp.taby.example/saml", tmp_path)
    taby_provider = IdentityProvider.objects.create(
        municipality=taby, slug="taby-saml", name="Täby", protocol="saml", saml_metadata_xml=other.metadata(),
        saml_idp_entity_id=other.entity_id)
    client.get("/account/sso/sollentuna/adfs/saml/metadata/")
    client.get("/account/sso/taby/taby-saml/saml/metadata/")
    saml_provider.refresh_from_db()
    taby_provider.refresh_from_db()
    assert taby_provider.saml_sp_certificate
    assert saml_provider.saml_sp_certificate != taby_provider.saml_sp_certificate


def test_logout_in_varna_sends_a_signed_logout_request_and_handles_the_answer(
        client: Client, saml_provider: Any, saml_idp: Any, saml_login: Any) -> None:
    saml_login(client)
    assert _logged_in(client)
    handed_on = client.post("/account/logout/")
    assert handed_on.status_code == 307
    assert handed_on["Location"] == "/account/sso/saml/logout/"
    action, field, value = _form(client.post(handed_on["Location"]))
    assert not _logged_in(client)  # Värna's session ends at once, whatever the IdP answers
    assert action == f"{saml_idp.base_url}/slo"
    assert field == "SAMLRequest"
    request, answer = saml_idp.answer_logout(value)  # pysaml2's IdP checks Värna's signature
    assert request.signature is not None
    assert request.name_id.text == "anna-1"
    done = client.post(SLS, {"SAMLResponse": answer})
    assert done.status_code == 302
    # The same answer a second time answers nothing Värna is waiting for.
    assert _refused(client.post(SLS, {"SAMLResponse": answer}))
    assert AuditEvent.objects.filter(action="sso.logout.refused", data__reason="state").exists()


def test_a_password_session_logs_out_without_the_idp(client: Client, alice: Any) -> None:
    client.force_login(alice)
    response = client.post("/account/logout/")
    assert response.status_code == 302
    assert not _logged_in(client)


def test_a_logout_at_the_idp_ends_the_persons_varna_sessions(saml_provider: Any, saml_idp: Any,
                                                              saml_login: Any) -> None:
    browsers = [Client(), Client()]
    for browser in browsers:
        saml_login(browser)
        assert _logged_in(browser)
    message = saml_idp.logout_request(sp_entity_id=BASE + "metadata/", sls_url=BASE + "sls/", account="anna-1")
    action, field, value = _form(Client().post(SLS, {"SAMLRequest": message}))
    assert action == f"{saml_idp.base_url}/slo"
    assert field == "SAMLResponse"
    answer = saml_idp.read_logout_response(value)  # signed by Värna's key
    assert answer.signature is not None
    assert answer.status.status_code.value.endswith(":Success")
    assert not any(_logged_in(browser) for browser in browsers)
    event = AuditEvent.objects.get(action="sso.logout.idp")
    assert event.data == {"known": True, "sessions_ended": 2}


@pytest.mark.parametrize("attack", [{"sign": False}, {"other_key": True}])
def test_an_unsigned_or_wrongly_signed_logout_request_is_refused(client: Client, saml_provider: Any, saml_idp: Any,
                                                                 saml_login: Any, attack: dict) -> None:
    saml_login(client)
    message = saml_idp.logout_request(sp_entity_id=BASE + "metadata/", sls_url=BASE + "sls/", account="anna-1",
                                      **attack)
    assert _refused(Client().post(SLS, {"SAMLRequest": message}))
    assert _logged_in(client)
    assert AuditEvent.objects.filter(action="sso.logout.refused", data__reason="request").exists()
    assert User.objects.filter(email="anna@sollentuna.example").exists()


def test_another_municipalitys_idp_cannot_log_people_out(client: Client, saml_provider: Any, saml_login: Any,
                                                        taby: Any, tmp_path: Any) -> None:
    saml_login(client)
    taby_idp = TestIdp("https://idp.taby.example/saml", tmp_path)
    IdentityProvider.objects.create(municipality=taby, slug="taby-saml", name="Täby", protocol="saml",
                                    saml_metadata_xml=taby_idp.metadata(), saml_idp_entity_id=taby_idp.entity_id)
    # Täby's IdP, correctly signed with its own key, names Sollentuna's person at Sollentuna's address.
    message = taby_idp.logout_request(sp_entity_id=BASE + "metadata/", sls_url=BASE + "sls/", account="anna-1")
    assert _refused(Client().post(SLS, {"SAMLRequest": message}))
    # And at its own municipality's address, it reaches nobody of Sollentuna.
    taby_sls = "http://testserver/account/sso/taby/taby-saml/saml/"
    message = taby_idp.logout_request(sp_entity_id=taby_sls + "metadata/", sls_url=taby_sls + "sls/",
                                      account="anna-1")
    Client().post("/account/sso/taby/taby-saml/saml/sls/", {"SAMLRequest": message})
    assert _logged_in(client)


def test_an_empty_post_is_refused(client: Client, saml_provider: Any) -> None:
    assert client.post(SLS).status_code == 400
