"""SAML 2.0 service provider, one identity provider at a time, with pysaml2 (xmlsec1 checks the signatures).

Everything comes from the provider's row: the IdP's metadata (its entity ID, endpoints and signing
certificates) is inline XML the administrator uploaded; the SP's own entity ID and endpoints are Värna's
addresses for that provider. Assertions must be signed by a certificate in that metadata (a signed response
around an unsigned assertion is not enough); audience, recipient, time conditions and InResponseTo are
checked by pysaml2; an assertion ID is accepted once (`remember_assertion`). Nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from django.conf import settings
from django.core.cache import cache
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import entity_descriptor
from saml2.sigver import get_xmlsec_binary

MAX_METADATA_BYTES = 1_000_000
# Signatures Värna accepts (no SHA-1, as the SAML security guidance asks).
SIGNATURE_ALGORITHMS = frozenset({
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512",
    "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1",
})
DIGEST_ALGORITHMS = frozenset({"http://www.w3.org/2001/04/xmlenc#sha256", "http://www.w3.org/2001/04/xmldsig-more#sha384",
                               "http://www.w3.org/2001/04/xmlenc#sha512"})
CLOCK_SKEW_SECONDS = 60


class SamlError(Exception):
    """The IdP's metadata or answer can't be trusted or understood; the message is for the log."""


@dataclass(frozen=True)
class IdpMetadata:
    entity_id: str
    certificate_not_after: dt.datetime


@dataclass(frozen=True)
class SamlLogin:
    subject: str
    issuer: str
    assertion_id: str
    attributes: dict[str, list[str]]
    authn_contexts: list[str] = field(default_factory=list)
    not_on_or_after: dt.datetime | None = None


def _xmlsec() -> str:
    return getattr(settings, "VARNA_XMLSEC_BINARY", "") or get_xmlsec_binary(["/usr/bin", "/usr/local/bin"])


def sp_config(*, entity_id: str, acs_url: str, idp_metadata_xml: str, allow_unsolicited: bool) -> SPConfig:
    config = SPConfig()
    config.load({
        "entityid": entity_id,
        "xmlsec_binary": _xmlsec(),
        "metadata": {"inline": [idp_metadata_xml]} if idp_metadata_xml else {},
        "accepted_time_diff": CLOCK_SKEW_SECONDS,
        "allow_unknown_attributes": True,
        "service": {"sp": {
            "endpoints": {"assertion_consumer_service": [(acs_url, BINDING_HTTP_POST)]},
            "allow_unsolicited": allow_unsolicited,
            "want_assertions_signed": True,
            "want_response_signed": False,
            "authn_requests_signed": False,
            "only_use_keys_in_metadata": True,
        }},
    })
    return config


FETCH_TIMEOUT_SECONDS = 10


def fetch_metadata(url: str) -> str:
    """The XML at `url` (the IdP's or a federation's metadata address): https only (unless VARNA_SSO_ALLOW_HTTP),
    no redirects, at most MAX_METADATA_BYTES read, within FETCH_TIMEOUT_SECONDS per read. Checked by the caller
    with read_idp_metadata, like pasted XML."""
    import requests

    if not url.startswith("https://") and not (settings.VARNA_SSO_ALLOW_HTTP and url.startswith("http://")):
        raise SamlError("the address must start with https://")
    try:
        with requests.get(url, timeout=FETCH_TIMEOUT_SECONDS, stream=True, allow_redirects=False,
                          headers={"Accept": "application/samlmetadata+xml, application/xml, text/xml"}) as response:
            if response.status_code != 200:
                raise SamlError(f"the address answered HTTP {response.status_code}")
            body = b""
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > MAX_METADATA_BYTES:
                    raise SamlError("metadata larger than 1 MB")
    except requests.RequestException as exc:
        raise SamlError(f"could not read the address: {exc.__class__.__name__}") from exc
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SamlError("the metadata is not UTF-8 text") from exc


def read_idp_metadata(xml: str) -> IdpMetadata:
    """Check uploaded IdP metadata: one IdP, a redirect-binding login address, a signing certificate.
    The answer names the IdP and says when its (first-expiring) signing certificate runs out."""
    if len(xml.encode()) > MAX_METADATA_BYTES:
        raise SamlError("metadata larger than 1 MB")
    try:
        config = sp_config(entity_id="urn:varna:metadata-check", acs_url="https://invalid.example/acs/",
                           idp_metadata_xml=xml, allow_unsolicited=False)
        store = config.metadata
        idps = list(store.with_descriptor("idpsso"))
    except Exception as exc:  # pysaml2 raises many kinds for bad XML; all mean "not usable metadata"
        raise SamlError(f"unreadable metadata: {exc}") from exc
    if len(idps) != 1:
        raise SamlError(f"{len(idps)} identity providers in the metadata; one is needed")
    entity_id = idps[0]
    if not store.single_sign_on_service(entity_id, BINDING_HTTP_REDIRECT):
        raise SamlError("no SingleSignOnService with the HTTP-Redirect binding")
    certs = store.certs(entity_id, "idpsso", use="signing")
    if not certs:
        raise SamlError("no signing certificate")
    expiries = []
    for _name, pem_body in certs:
        try:
            cert = x509.load_der_x509_certificate(__import__("base64").b64decode("".join(pem_body.split())))
        except ValueError as exc:
            raise SamlError(f"unreadable certificate: {exc}") from exc
        expiries.append(cert.not_valid_after_utc)
    return IdpMetadata(entity_id=entity_id, certificate_not_after=min(expiries))


def begin(config: SPConfig, *, idp_entity_id: str, relay_state: str) -> tuple[str, str]:
    """(request ID, the IdP address to redirect the browser to) for an AuthnRequest over HTTP-Redirect."""
    client = Saml2Client(config=config)
    try:
        request_id, info = client.prepare_for_authenticate(entityid=idp_entity_id, relay_state=relay_state,
                                                           binding=BINDING_HTTP_REDIRECT)
    except Exception as exc:
        raise SamlError(f"could not build the request: {exc}") from exc
    return request_id, dict(info["headers"])["Location"]


def parse_response(config: SPConfig, saml_response: str, *, outstanding: dict[str, str]) -> SamlLogin:
    """The verified login in a posted SAMLResponse, or SamlError. `outstanding` maps this browser's open request
    IDs to anything: a response must answer one of them (unless IdP-initiated logins are allowed)."""
    client = Saml2Client(config=config)
    try:
        response = client.parse_authn_request_response(saml_response, BINDING_HTTP_POST, outstanding=outstanding)
    except Exception as exc:  # signature, audience, time, InResponseTo, schema: pysaml2 raises its own for each
        raise SamlError(f"response refused: {type(exc).__name__}: {exc}") from exc
    if response is None or response.assertion is None:
        raise SamlError("no assertion in the response")
    assertion = response.assertion
    signature = getattr(assertion, "signature", None)
    if not signature:
        # pysaml2 already insists (want_assertions_signed); said twice, since everything rests on it.
        raise SamlError("the assertion is not signed")
    signed_info = signature.signed_info
    if signed_info.signature_method.algorithm not in SIGNATURE_ALGORITHMS:
        raise SamlError(f"signature algorithm {signed_info.signature_method.algorithm} refused")
    if any(ref.digest_method.algorithm not in DIGEST_ALGORITHMS for ref in signed_info.reference):
        raise SamlError("digest algorithm refused")
    name_id = response.name_id
    if name_id is None or not (name_id.text or "").strip():
        raise SamlError("no NameID")
    not_on_or_after = None
    conditions = getattr(assertion, "conditions", None)
    if conditions is not None and conditions.not_on_or_after:
        not_on_or_after = dt.datetime.fromisoformat(conditions.not_on_or_after.replace("Z", "+00:00"))
    contexts = [ref for ref, *_rest in response.authn_info() if ref]
    attributes = {key: [str(v) for v in values] for key, values in (response.ava or {}).items()}
    return SamlLogin(subject=name_id.text.strip(), issuer=response.issuer(), assertion_id=assertion.id,
                     attributes=attributes, authn_contexts=contexts, not_on_or_after=not_on_or_after)


def remember_assertion(login: SamlLogin) -> bool:
    """False when this assertion was accepted before (a replay), else remember it until it expires."""
    now = dt.datetime.now(dt.UTC)
    expires = login.not_on_or_after or now + dt.timedelta(hours=1)
    seconds = max(60, int((expires - now).total_seconds()) + CLOCK_SKEW_SECONDS)
    return cache.add(f"varna:saml:assertion:{login.issuer}:{login.assertion_id}", 1, timeout=seconds)


def sp_metadata(config: SPConfig) -> str:
    return str(entity_descriptor(config))


def claims(login: SamlLogin) -> dict[str, Any]:
    """The attributes as OIDC-style claims: one value where there is one, else the list."""
    return {key: values[0] if len(values) == 1 else values for key, values in login.attributes.items()}
