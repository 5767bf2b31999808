"""A SAML 2.0 identity provider for Värna's tests, built from pysaml2's own IdP (`saml2.server.Server`) with a
key and certificate made for the run. `TestIdp.answer()` signs a response the way a real IdP does (or leaves it
unsigned, or signs it with another key, for the attacks); `serve()` puts it on loopback over HTTP (its login
form at /sso/redirect, posting the answer to Värna's assertion consumer) for the browser tests."""

from __future__ import annotations

import base64
import datetime as dt
import html
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.sigver import get_xmlsec_binary

SHA256 = ("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", "http://www.w3.org/2001/04/xmlenc#sha256")
SHA1 = ("http://www.w3.org/2000/09/xmldsig#rsa-sha1", "http://www.w3.org/2000/09/xmldsig#sha1")
PASSWORD_CONTEXT = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
MFA_CONTEXT = "https://refeds.org/profile/mfa"


def make_key_pair(directory: Path, name: str, *, days: int = 365) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=days)).sign(key, hashes.SHA256()))
    key_path, cert_path = directory / f"{name}.key", directory / f"{name}.crt"
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                           serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


@dataclass
class TestIdp:
    entity_id: str
    directory: Path
    base_url: str = "http://127.0.0.1:1"
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    sp_metadata: str = ""  # Värna's metadata for the provider (from its metadata address)

    def __post_init__(self) -> None:
        self.key, self.cert = make_key_pair(self.directory, "idp-" + str(abs(hash(self.entity_id))))

    def _config(self, *, key: Path | None = None, cert: Path | None = None) -> IdPConfig:
        config = IdPConfig()
        config.load({
            "entityid": self.entity_id,
            "xmlsec_binary": get_xmlsec_binary(["/usr/bin", "/usr/local/bin"]),
            "key_file": str(key or self.key), "cert_file": str(cert or self.cert),
            "service": {"idp": {
                "endpoints": {"single_sign_on_service": [(f"{self.base_url}/sso/redirect", BINDING_HTTP_REDIRECT)],
                              "single_logout_service": [(f"{self.base_url}/slo", BINDING_HTTP_POST)]},
                "policy": {"default": {"lifetime": {"minutes": 5}, "attribute_restrictions": None,
                                       "name_form": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"}},
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
            }},
            "allow_unknown_attributes": True,
            **({"metadata": {"inline": [self.sp_metadata]}} if self.sp_metadata else {}),
        })
        return config

    def metadata(self) -> str:
        return str(entity_descriptor(self._config()))

    def answer(self, *, account: str, sp_entity_id: str, acs_url: str, in_response_to: str | None,
               context: str = PASSWORD_CONTEXT, sign: bool = True, other_key: bool = False,
               algorithms: tuple[str, str] = SHA256) -> str:
        """A base64 SAMLResponse for `account`, as the IdP would post it."""
        key = cert = None
        if other_key:
            key, cert = make_key_pair(self.directory, "intruder")
        server = Server(config=self._config(key=key, cert=cert))
        person = self.accounts[account]
        response = server.create_authn_response(
            identity=person, in_response_to=in_response_to, destination=acs_url, sp_entity_id=sp_entity_id,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=account),
            authn={"class_ref": context, "authn_auth": self.entity_id},
            sign_assertion=sign, sign_response=False, sign_alg=algorithms[0], digest_alg=algorithms[1])
        return base64.b64encode(str(response).encode()).decode()

    def request_id(self, redirect_url: str) -> str:
        """The ID of the AuthnRequest in Värna's redirect to this IdP."""
        server = Server(config=self._config())
        query = parse_qs(redirect_url.split("?", 1)[1])
        request = server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        return request.message.id

    # --- single logout (HTTP-POST) -------------------------------------------------------------------------------
    def logout_request(self, *, sp_entity_id: str, sls_url: str, account: str, sign: bool = True,
                       other_key: bool = False) -> str:
        """A base64 LogoutRequest for `account`, as the IdP posts it when the person logs out there."""
        key = cert = None
        if other_key:
            key, cert = make_key_pair(self.directory, "intruder")
        server = Server(config=self._config(key=key, cert=cert))
        _id, request = server.create_logout_request(
            sls_url, sp_entity_id, name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=account), sign=sign,
            sign_alg=SHA256[0], digest_alg=SHA256[1])
        return base64.b64encode(str(request).encode()).decode()

    def answer_logout(self, saml_request: str) -> tuple[Any, str]:
        """Check Värna's posted LogoutRequest (signed by the key in its SP metadata) and answer it: (the request,
        a signed base64 LogoutResponse)."""
        server = Server(config=self._config())
        request = server.parse_logout_request(saml_request, BINDING_HTTP_POST)
        response = server.create_logout_response(request.message, [BINDING_HTTP_POST], sign=True,
                                                 sign_alg=SHA256[0], digest_alg=SHA256[1])
        return request.message, base64.b64encode(str(response).encode()).decode()

    def read_logout_response(self, saml_response: str) -> Any:
        """Värna's posted LogoutResponse, its signature checked against the SP metadata."""
        server = Server(config=self._config())
        return server.parse_logout_request_response(saml_response, BINDING_HTTP_POST).response

    # --- on loopback, for the browser ---------------------------------------------------------------------------
    def serve(self, sp_entity_id: str, acs_url: str) -> None:
        idp = self

        def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
            if environ["REQUEST_METHOD"] == "GET":
                query = environ.get("QUERY_STRING", "")
                body = (f'<!doctype html><html lang="en"><head><title>Test SAML IdP</title></head><body>'
                        '<h1>Test SAML identity provider</h1>'
                        f'<form method="post" action="/sso/login?{html.escape(query)}">'
                        '<label for="account">Account</label><input id="account" name="account">'
                        '<button type="submit">Sign in</button></form></body></html>')
            else:
                size = int(environ.get("CONTENT_LENGTH") or 0)
                form = parse_qs(environ["wsgi.input"].read(size).decode())
                request_id = idp.request_id("x?" + environ.get("QUERY_STRING", ""))
                answer = idp.answer(account=form["account"][0], sp_entity_id=sp_entity_id, acs_url=acs_url,
                                    in_response_to=request_id)
                body = (f'<!doctype html><html lang="en"><head><title>Sending</title></head>'
                        '<body onload="document.forms[0].submit()">'
                        f'<form method="post" action="{html.escape(acs_url)}">'
                        f'<input type="hidden" name="SAMLResponse" value="{answer}">'
                        '<button type="submit">Continue</button></form></body></html>')
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [body.encode()]

        class Quiet(WSGIRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

        self._server = make_server("127.0.0.1", 0, app, handler_class=Quiet)
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()

