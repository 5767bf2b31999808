"""SAML 2.0 service provider, one identity provider at a time, with pysaml2 (xmlsec1 checks the signatures).

Everything comes from the provider's row: the IdP's metadata (its entity ID, endpoints and signing
certificates) is inline XML the administrator uploaded; the SP's own entity ID and endpoints are Värna's
addresses for that provider. Assertions must be signed by a certificate in that metadata (a signed response
around an unsigned assertion is not enough); audience, recipient, time conditions and InResponseTo are
checked by pysaml2; an assertion ID is accepted once (`remember_assertion`). Nothing here touches the database.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from django.conf import settings
from django.core.cache import cache
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NameID
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
    name_id_format: str = ""
    session_index: str = ""


@dataclass(frozen=True)
class SpKeyPair:
    """Värna's signing key for one provider (PEM strings); `key_pem` is secret."""
    key_pem: str
    cert_pem: str


SP_CERTIFICATE_DAYS = 3 * 365


def generate_sp_key_pair(common_name: str) -> SpKeyPair:
    """A fresh RSA-3072 key and a self-signed certificate for it. SAML metadata carries the certificate itself,
    so no certificate authority is involved; the IdP trusts exactly this certificate."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=SP_CERTIFICATE_DAYS)).sign(key, hashes.SHA256()))
    return SpKeyPair(
        key_pem=key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()).decode(),
        cert_pem=cert.public_bytes(serialization.Encoding.PEM).decode())


@contextlib.contextmanager
def key_files(pair: SpKeyPair | None) -> Iterator[tuple[str, str] | None]:
    """xmlsec1 (through pysaml2) reads keys from files: the pair in a private directory for the length of one
    request, removed afterwards."""
    if pair is None:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="varna-saml-") as directory:
        key_path, cert_path = os.path.join(directory, "sp.key"), os.path.join(directory, "sp.crt")
        descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(pair.key_pem)
        with open(cert_path, "w") as handle:
            handle.write(pair.cert_pem)
        yield key_path, cert_path


def _xmlsec() -> str:
    return getattr(settings, "VARNA_XMLSEC_BINARY", "") or get_xmlsec_binary(["/usr/bin", "/usr/local/bin"])


def sp_config(*, entity_id: str, acs_url: str, idp_metadata_xml: str, allow_unsolicited: bool,
              sls_url: str = "", keys: tuple[str, str] | None = None) -> SPConfig:
    """`keys` (paths from key_files) sign logout messages and are published in the metadata; `sls_url` is the
    single logout address (HTTP-POST, so signatures sit inside the XML where xmlsec1 checks them)."""
    endpoints: dict[str, Any] = {"assertion_consumer_service": [(acs_url, BINDING_HTTP_POST)]}
    if sls_url:
        endpoints["single_logout_service"] = [(sls_url, BINDING_HTTP_POST)]
    config = SPConfig()
    config.load({
        **({"key_file": keys[0], "cert_file": keys[1]} if keys else {}),
        "entityid": entity_id,
        "xmlsec_binary": _xmlsec(),
        "metadata": {"inline": [idp_metadata_xml]} if idp_metadata_xml else {},
        "accepted_time_diff": CLOCK_SKEW_SECONDS,
        "allow_unknown_attributes": True,
        "service": {"sp": {
            "endpoints": endpoints,
            "logout_requests_signed": True,
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
    statements = getattr(assertion, "authn_statement", None) or []
    session_index = (statements[0].session_index or "") if statements else ""
    attributes = {key: [str(v) for v in values] for key, values in (response.ava or {}).items()}
    return SamlLogin(subject=name_id.text.strip(), issuer=response.issuer(), assertion_id=assertion.id,
                     attributes=attributes, authn_contexts=contexts, not_on_or_after=not_on_or_after,
                     name_id_format=name_id.format or "", session_index=session_index)


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


# --- Single logout (HTTP-POST binding both ways) ------------------------------------------------------------------

@dataclass(frozen=True)
class LogoutMessage:
    """A signed message ready to post: where to, and the base64 form field (SAMLRequest or SAMLResponse)."""
    url: str
    field: str
    value: str
    message_id: str = ""


def _check_signed(message: Any) -> None:
    """pysaml2 checks a signature that is there, but lets an unsigned logout message through: Värna insists."""
    signature = getattr(message, "signature", None)
    if not signature:
        raise SamlError("the message is not signed")
    signed_info = signature.signed_info
    if signed_info.signature_method.algorithm not in SIGNATURE_ALGORITHMS:
        raise SamlError(f"signature algorithm {signed_info.signature_method.algorithm} refused")
    if any(ref.digest_method.algorithm not in DIGEST_ALGORITHMS for ref in signed_info.reference):
        raise SamlError("digest algorithm refused")


_SHA256 = ("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", "http://www.w3.org/2001/04/xmlenc#sha256")


def _b64(message: Any) -> str:
    import base64

    return base64.b64encode(str(message).encode()).decode()


def idp_logout_url(config: SPConfig, idp_entity_id: str) -> str:
    services = config.metadata.single_logout_service(idp_entity_id, BINDING_HTTP_POST, "idpsso")
    return services[0]["location"] if services else ""


def logout_request(config: SPConfig, *, idp_entity_id: str, name_id: str, name_id_format: str,
                   session_index: str) -> LogoutMessage:
    """A signed LogoutRequest for this person's session at the IdP, to post to its single logout address."""
    url = idp_logout_url(config, idp_entity_id)
    if not url:
        raise SamlError("the IdP's metadata has no SingleLogoutService with the HTTP-POST binding")
    client = Saml2Client(config=config)
    try:
        request_id, request = client.create_logout_request(
            url, idp_entity_id, name_id=NameID(text=name_id, format=name_id_format or None),
            session_indexes=[session_index] if session_index else None, sign=True, sign_alg=_SHA256[0],
            digest_alg=_SHA256[1])
        value = _b64(request)
    except Exception as exc:
        raise SamlError(f"could not build the logout request: {exc}") from exc
    return LogoutMessage(url=url, field="SAMLRequest", value=value, message_id=request_id)


@dataclass(frozen=True)
class IdpLogout:
    """A verified LogoutRequest from the IdP: who it is about, and the signed answer to post back."""
    issuer: str
    subject: str
    answer: LogoutMessage


def parse_logout_request(config: SPConfig, saml_request: str, *, idp_entity_id: str) -> IdpLogout:
    """The IdP's posted LogoutRequest, signed by a certificate in its metadata, or SamlError."""
    client = Saml2Client(config=config)
    try:
        request = client.parse_logout_request(saml_request, BINDING_HTTP_POST)
    except Exception as exc:  # signature, destination, schema
        raise SamlError(f"logout request refused: {type(exc).__name__}: {exc}") from exc
    if request is None or request.message is None:
        raise SamlError("no logout request")
    message = request.message
    _check_signed(message)
    issuer = (message.issuer.text or "").strip() if message.issuer is not None else ""
    if issuer != idp_entity_id:
        raise SamlError(f"logout request from {issuer!r}, not this provider's IdP")
    if message.name_id is None or not (message.name_id.text or "").strip():
        raise SamlError("no NameID in the logout request")
    url = idp_logout_url(config, idp_entity_id)
    if not url:
        raise SamlError("the IdP's metadata has no SingleLogoutService with the HTTP-POST binding")
    try:
        response = client.create_logout_response(message, [BINDING_HTTP_POST], sign=True, sign_alg=_SHA256[0],
                                                 digest_alg=_SHA256[1])
        value = _b64(response)
    except Exception as exc:
        raise SamlError(f"could not build the logout response: {exc}") from exc
    return IdpLogout(issuer=issuer, subject=message.name_id.text.strip(),
                     answer=LogoutMessage(url=url, field="SAMLResponse", value=value))


def parse_logout_response(config: SPConfig, saml_response: str, *, idp_entity_id: str) -> str:
    """The request ID a posted, signed LogoutResponse from the IdP answers (success only), or SamlError."""
    client = Saml2Client(config=config)
    try:
        response = client.parse_logout_request_response(saml_response, BINDING_HTTP_POST)
    except Exception as exc:
        raise SamlError(f"logout response refused: {type(exc).__name__}: {exc}") from exc
    if response is None or response.response is None:
        raise SamlError("no logout response")
    message = response.response
    _check_signed(message)
    if response.issuer() != idp_entity_id:
        raise SamlError("logout response from another IdP")
    if message.status is None or message.status.status_code.value != "urn:oasis:names:tc:SAML:2.0:status:Success":
        raise SamlError("the IdP did not log the person out")
    return message.in_response_to or ""
