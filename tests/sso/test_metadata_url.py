"""SAML IdP metadata read from an address (ASVS V12.6, V5.2.6): https only, no redirects, at most 1 MB, with a
timeout; checked like pasted XML, its certificate's expiry shown; read again on request, audited."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any
from unittest import mock
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from django.test import override_settings

from varna.core.models import AuditEvent
from varna.sso import saml, services
from varna.sso.models import IdentityProvider


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def served() -> Iterator[dict[str, Any]]:
    """A loopback server answering from `served["pages"]` (path → (status, body)), as a federation would."""
    state: dict[str, Any] = {"pages": {}}

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        status, body, *headers = state["pages"].get(environ["PATH_INFO"], ("404 Not Found", b""))
        start_response(status, [("Content-Type", "application/samlmetadata+xml"), *headers])
        return [body]

    server = make_server("127.0.0.1", 0, app, handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state["base"] = f"http://127.0.0.1:{server.server_port}"
    yield state
    server.shutdown()


def test_metadata_is_read_from_its_address_and_checked(served: dict[str, Any], saml_idp: Any) -> None:
    served["pages"]["/idp.xml"] = ("200 OK", saml_idp.metadata().encode())
    with override_settings(VARNA_SSO_ALLOW_HTTP=True):
        xml = saml.fetch_metadata(served["base"] + "/idp.xml")
    assert saml.read_idp_metadata(xml).entity_id == "https://idp.sollentuna.example/saml"


@pytest.mark.parametrize("page", [
    ("413 Too Large", b""),  # not 200
    ("200 OK", b"<x>" + b" " * (saml.MAX_METADATA_BYTES + 10) + b"</x>"),  # a bomb: more than 1 MB
    ("302 Found", b"", ("Location", "https://elsewhere.example/idp.xml")),  # no redirects
    ("200 OK", b"\xff\xfe not text"),
])
def test_a_bad_answer_is_refused(served: dict[str, Any], page: tuple) -> None:
    served["pages"]["/bad.xml"] = page
    with override_settings(VARNA_SSO_ALLOW_HTTP=True), pytest.raises(saml.SamlError):
        saml.fetch_metadata(served["base"] + "/bad.xml")


@override_settings(VARNA_SSO_ALLOW_HTTP=False)
def test_only_https_and_always_a_timeout(served: dict[str, Any]) -> None:
    with pytest.raises(saml.SamlError):
        saml.fetch_metadata(served["base"] + "/idp.xml")  # http:// without VARNA_SSO_ALLOW_HTTP
    with pytest.raises(saml.SamlError):
        saml.fetch_metadata("file:///etc/passwd")
    import requests

    with mock.patch("requests.get", side_effect=requests.Timeout) as get, pytest.raises(saml.SamlError):
        saml.fetch_metadata("https://federation.example/md.xml")
    assert get.call_args.kwargs["timeout"] == saml.FETCH_TIMEOUT_SECONDS
    assert get.call_args.kwargs["allow_redirects"] is False


@override_settings(VARNA_SSO_ALLOW_HTTP=True)
def test_the_administrator_connects_by_address_and_reads_it_again(verified_client: Any, ada: Any, bob: Any,
                                                                  served: dict[str, Any], saml_idp: Any,
                                                                  tmp_path: Any) -> None:
    served["pages"]["/md.xml"] = ("200 OK", saml_idp.metadata().encode())
    client = verified_client(ada)
    response = client.post("/sollentuna/manage/identity-providers/new/", {
        "name": "Federationen", "slug": "federation", "protocol": "saml", "enabled": "on",
        "saml_metadata_url": served["base"] + "/md.xml", "saml_metadata_xml": "", "scopes": "openid",
        "email_claim": "mail", "name_claim": "displayName", "groups_claim": "isMemberOf", "organisation_claim": "o",
        "unknown_users": "refuse", "two_factor_values": "http://id.elegnamnden.se/loa/1.0/loa3", "role_mapping": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    provider = IdentityProvider.objects.get(slug="federation")
    assert provider.saml_idp_entity_id == "https://idp.sollentuna.example/saml"
    assert provider.saml_metadata_fetched_at is not None
    first_expiry = provider.saml_certificate_not_after
    page = client.get("/sollentuna/manage/identity-providers/federation/").content.decode()
    assert first_expiry.strftime("%Y-%m-%d") in page
    assert "refresh-metadata" in page

    # The IdP rolls its certificate over: reading again takes the new one and says so in the audit log.
    from tests.sso.saml_idp import TestIdp, make_key_pair

    (tmp_path / "rolled").mkdir()
    rolled = TestIdp("https://idp.sollentuna.example/saml", tmp_path / "rolled")
    rolled.key, rolled.cert = make_key_pair(tmp_path / "rolled", "rolled", days=900)
    served["pages"]["/md.xml"] = ("200 OK", rolled.metadata().encode())
    url = "/sollentuna/manage/identity-providers/federation/refresh-metadata/"
    assert client.post(url).status_code == 302
    provider.refresh_from_db()
    assert provider.saml_certificate_not_after > first_expiry
    assert AuditEvent.objects.filter(action="sso.metadata.refreshed", object_id=str(provider.pk)).exists()

    # Broken metadata at the address: the provider keeps what it had, and the failure is logged.
    served["pages"]["/md.xml"] = ("200 OK", b"<not-metadata/>")
    with pytest.raises(services.SsoError):
        services.metadata_refresh(actor=ada, provider=provider)
    provider.refresh_from_db()
    assert provider.saml_idp_entity_id == "https://idp.sollentuna.example/saml"
    assert AuditEvent.objects.filter(action="sso.metadata.refresh_failed").exists()
    assert verified_client(bob).post(url).status_code == 403  # staff (the same client, now logged in as bob)
