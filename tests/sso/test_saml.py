"""Logging in over SAML 2.0: pysaml2's own IdP (tests/sso/saml_idp.py) signs real answers with a key made for
the run; Värna checks them as the service provider. Each refusal below is an attack someone could try."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.sso.conftest import SP_BASE
from tests.sso.saml_idp import MFA_CONTEXT, SHA1, TestIdp
from varna.core.models import AuditEvent, Membership, User
from varna.sso.models import ExternalIdentity, RoleMapping

pytestmark = pytest.mark.django_db
ACS = "/account/sso/sollentuna/adfs/saml/acs/"
BASE = SP_BASE.format(municipality="sollentuna", provider="adfs")


def _roles(email: str) -> set[str]:
    return set(Membership.objects.filter(user__email=email).values_list("role", flat=True))


def _refused(response: Any) -> bool:
    return response.status_code == 403 and response.templates[0].name == "sso/refused.html"


def test_an_employee_logs_in_over_saml_and_gets_the_mapped_role(client: Client, saml_provider: Any,
                                                                saml_login: Any) -> None:
    RoleMapping.objects.create(provider=saml_provider, group_value="vbe-staff", role="staff")
    response = saml_login(client)
    assert response.status_code == 302
    user = User.objects.get(email="anna@sollentuna.example")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.full_name == "Anna Berg"
    assert _roles(user.email) == {"staff"}
    assert ExternalIdentity.objects.filter(provider=saml_provider, subject="anna-1", user=user).exists()


def test_the_service_provider_metadata_is_published(client: Client, saml_provider: Any) -> None:
    xml = client.get(BASE.removeprefix("http://testserver") + "metadata/").content.decode()
    assert f'entityID="{BASE}metadata/"' in xml
    assert f'Location="{BASE}acs/"' in xml
    assert 'WantAssertionsSigned="true"' in xml


def test_an_unsigned_assertion_is_refused(client: Client, saml_provider: Any, saml_login: Any) -> None:
    assert _refused(saml_login(client, sign=False))
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email__startswith="anna").exists()
    assert AuditEvent.objects.filter(action="sso.login.refused", data__reason="assertion").exists()


def test_an_assertion_signed_with_another_key_is_refused(client: Client, saml_provider: Any, saml_login: Any) -> None:
    assert _refused(saml_login(client, other_key=True))
    assert "_auth_user_id" not in client.session


def test_an_assertion_signed_with_sha1_is_refused(client: Client, saml_provider: Any, saml_login: Any) -> None:
    assert _refused(saml_login(client, algorithms=SHA1))


def test_an_assertion_for_another_service_provider_is_refused(client: Client, saml_provider: Any,
                                                             saml_login: Any) -> None:
    assert _refused(saml_login(client, sp_entity_id="https://other-service.example/saml/metadata/"))


def test_an_expired_assertion_is_refused(client: Client, saml_provider: Any, saml_idp: Any) -> None:
    start = client.get("/account/sso/sollentuna/adfs/login/")
    answer = saml_idp.answer(account="anna-1", sp_entity_id=BASE + "metadata/", acs_url=BASE + "acs/",
                             in_response_to=saml_idp.request_id(start["Location"]))
    # Lifetime 5 minutes, skew 1.
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=8), tick=False):
        assert _refused(client.post(ACS, {"SAMLResponse": answer}))


def test_a_replayed_answer_is_refused(client: Client, saml_provider: Any, saml_idp: Any) -> None:
    start = client.get("/account/sso/sollentuna/adfs/login/")
    answer = saml_idp.answer(account="anna-1", sp_entity_id=BASE + "metadata/", acs_url=BASE + "acs/",
                             in_response_to=saml_idp.request_id(start["Location"]))
    first = client.post(ACS, {"SAMLResponse": answer})
    assert client.get(first["Location"]).status_code == 302
    client.post("/account/logout/", follow=True)  # on through single logout
    assert _refused(client.post(ACS, {"SAMLResponse": answer}))
    assert "_auth_user_id" not in client.session


def test_an_idp_initiated_login_is_refused_unless_the_municipality_allows_it(client: Client, saml_provider: Any,
                                                                           saml_idp: Any) -> None:
    unsolicited = saml_idp.answer(account="anna-1", sp_entity_id=BASE + "metadata/", acs_url=BASE + "acs/",
                                  in_response_to=None)
    assert _refused(client.post(ACS, {"SAMLResponse": unsolicited}))
    assert AuditEvent.objects.filter(action="sso.login.refused", data__reason="idp_initiated").exists()
    saml_provider.saml_allow_idp_initiated = True
    saml_provider.save()
    accepted = client.post(ACS, {"SAMLResponse": unsolicited})
    assert client.get(accepted["Location"]).status_code == 302
    client.post("/account/logout/")
    # Even where allowed, the same assertion works once.
    assert _refused(client.post(ACS, {"SAMLResponse": unsolicited}))


def test_an_answer_completed_in_another_browser_is_refused(client: Client, saml_provider: Any, saml_idp: Any) -> None:
    """Login CSRF: the attacker's own signed answer, handed to the victim's browser, logs nobody in."""
    attacker = Client()
    start = attacker.get("/account/sso/sollentuna/adfs/login/")
    answer = saml_idp.answer(account="anna-1", sp_entity_id=BASE + "metadata/", acs_url=BASE + "acs/",
                             in_response_to=saml_idp.request_id(start["Location"]))
    handoff = attacker.post(ACS, {"SAMLResponse": answer})["Location"]
    assert _refused(client.get(handoff))
    assert "_auth_user_id" not in client.session


def test_an_idp_of_another_municipality_is_not_trusted_here(client: Client, saml_provider: Any, saml_login: Any,
                                                           tmp_path: Any, alice: Any) -> None:
    taby_idp = TestIdp("https://idp.taby.example/saml", tmp_path)
    taby_idp.accounts = {"mallory": {"mail": [alice.email], "isMemberOf": []}}
    taby_idp.sp_metadata = client.get(BASE.removeprefix("http://testserver") + "metadata/").content.decode()
    assert _refused(saml_login(client, "mallory", idp=taby_idp))
    assert "_auth_user_id" not in client.session


def test_a_login_whose_context_counts_is_the_second_factor(client: Client, saml_provider: Any, saml_login: Any,
                                                           saml_idp: Any, alice: Any) -> None:
    saml_idp.accounts["alice-1"] = {"mail": [alice.email]}
    assert saml_login(client, "alice-1", context=MFA_CONTEXT).status_code == 302
    assert client.get("/sollentuna/manage/audit/").status_code == 200


def test_a_password_context_still_needs_värnas_second_factor(client: Client, saml_provider: Any, saml_login: Any,
                                                              saml_idp: Any, alice: Any) -> None:
    saml_idp.accounts["alice-1"] = {"mail": [alice.email]}
    assert saml_login(client, "alice-1")["Location"] == "/account/two-factor/"
    assert "_auth_user_id" not in client.session


def test_the_administrator_uploads_idp_metadata_and_sees_the_certificate_expiry(
        verified_client: Any, ada: Any, saml_idp: Any) -> None:
    client = verified_client(ada)
    form = {"name": "ADFS", "slug": "adfs", "protocol": "saml", "enabled": "on", "scopes": "openid",
            "saml_metadata_xml": saml_idp.metadata(), "email_claim": "mail", "name_claim": "displayName",
            "groups_claim": "isMemberOf", "unknown_users": "refuse", "role_mapping": "vbe-staff = staff"}
    assert client.post("/sollentuna/manage/identity-providers/new/", form).status_code == 302
    page = client.get("/sollentuna/manage/identity-providers/adfs/").content.decode()
    assert "https://idp.sollentuna.example/saml" in page
    assert (timezone.localdate() + dt.timedelta(days=365)).isoformat() in page
    bad = client.post("/sollentuna/manage/identity-providers/new/",
                      {**form, "slug": "bad", "saml_metadata_xml": "<not-metadata/>"})
    assert "saml_metadata_xml" in bad.context["form"].errors
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            '<lolz>&lol2;</lolz>')
    refused = client.post("/sollentuna/manage/identity-providers/new/",
                          {**form, "slug": "bomb", "saml_metadata_xml": bomb})
    assert "saml_metadata_xml" in refused.context["form"].errors
