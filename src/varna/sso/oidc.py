"""OpenID Connect relying party, one provider at a time (authorization code flow with PKCE, state and nonce).

Authlib builds the authorization request and exchanges the code; joserfc checks the ID token: its signature
against the provider's published keys (RS256/PS256/ES256 only, never `none` or a shared-secret HMAC),
issuer, audience (and `azp` when there are several), expiry, issue time and the nonce of this login.
Nothing here touches the database; `varna.sso.services` decides who the claims are.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import requests
from authlib.integrations.requests_client import OAuth2Session
from django.core.cache import cache
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

if TYPE_CHECKING:
    from joserfc.jwk import KeySetSerialization

ALGORITHMS = ["RS256", "PS256", "ES256"]
TIMEOUT = 10
LEEWAY = 60
_CACHE_SECONDS = 3600


class OidcError(Exception):
    """The provider's answer can't be trusted or understood; the message is for the log, not the person."""


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str = ""


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=TIMEOUT, headers={"Accept": "application/json"})
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise OidcError(f"could not read {url}: {exc}") from exc
    if not isinstance(data, dict):
        raise OidcError(f"{url} did not answer with a JSON object")
    return data


def discover(issuer: str, *, refresh: bool = False) -> ProviderMetadata:
    """The provider's configuration (cached an hour). The document must name the same issuer (OIDC Discovery 4.3)."""
    key = f"varna:oidc:meta:{issuer}"
    data = None if refresh else cache.get(key)
    if data is None:
        data = _get_json(issuer.rstrip("/") + "/.well-known/openid-configuration")
        if data.get("issuer") != issuer:
            raise OidcError(f"the configuration names issuer {data.get('issuer')!r}, not {issuer!r}")
        cache.set(key, data, _CACHE_SECONDS)
    try:
        return ProviderMetadata(issuer=data["issuer"], authorization_endpoint=data["authorization_endpoint"],
                                token_endpoint=data["token_endpoint"], jwks_uri=data["jwks_uri"],
                                userinfo_endpoint=data.get("userinfo_endpoint", ""))
    except KeyError as exc:
        raise OidcError(f"the configuration lacks {exc}") from exc


def signing_keys(metadata: ProviderMetadata, *, refresh: bool = False) -> KeySet:
    key = f"varna:oidc:jwks:{metadata.jwks_uri}"
    data = None if refresh else cache.get(key)
    if data is None:
        data = _get_json(metadata.jwks_uri)
        cache.set(key, data, _CACHE_SECONDS)
    try:
        # JSON as fetched: import_key_set checks its shape itself (the errors below).
        return KeySet.import_key_set(cast("KeySetSerialization", data))
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise OidcError(f"unusable key set: {exc}") from exc


@dataclass(frozen=True)
class LoginRequest:
    url: str
    state: str
    nonce: str
    code_verifier: str


def begin(metadata: ProviderMetadata, *, client_id: str, scopes: str, redirect_uri: str,
          extra: dict[str, str] | None = None) -> LoginRequest:
    """The address to send the browser to, with fresh state, nonce and PKCE verifier (kept in the session)."""
    state, nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(64)
    client = OAuth2Session(client_id, scope=scopes, redirect_uri=redirect_uri, code_challenge_method="S256")
    url, _state = client.create_authorization_url(metadata.authorization_endpoint, state=state, nonce=nonce,
                                                  code_verifier=verifier, **(extra or {}))
    return LoginRequest(url=url, state=state, nonce=nonce, code_verifier=verifier)


def exchange_code(metadata: ProviderMetadata, *, client_id: str, client_secret: str, code: str,
                  redirect_uri: str, code_verifier: str) -> dict[str, Any]:
    client = OAuth2Session(client_id, client_secret, redirect_uri=redirect_uri,
                           token_endpoint_auth_method="client_secret_basic")  # noqa: S106  # nosec B106: a method name
    try:
        token = client.fetch_token(metadata.token_endpoint, grant_type="authorization_code", code=code,
                                   code_verifier=code_verifier, timeout=TIMEOUT)
    except Exception as exc:  # authlib raises its own OAuthError, requests its own; both mean "no token"
        raise OidcError(f"the token endpoint refused the code: {exc}") from exc
    if "id_token" not in token:
        raise OidcError("the token response holds no ID token")
    return dict(token)


def validate_id_token(id_token: str, *, keys: KeySet, issuer: str, client_id: str, nonce: str,
                      now: float | None = None) -> dict[str, Any]:
    """The ID token's claims, or OidcError. Pure apart from the clock, so attacks are tested with forged tokens."""
    try:
        token = jwt.decode(id_token, keys, algorithms=ALGORITHMS)
    except (JoseError, ValueError, TypeError) as exc:
        raise OidcError(f"bad ID token signature or format: {exc}") from exc
    claims = dict(token.claims)
    registry = jwt.JWTClaimsRegistry(
        now=int(now if now is not None else time.time()), leeway=LEEWAY,
        iss={"essential": True, "value": issuer}, aud={"essential": True, "value": client_id},
        sub={"essential": True}, exp={"essential": True}, iat={"essential": True},
        nonce={"essential": True, "value": nonce})
    try:
        registry.validate(claims)
    except JoseError as exc:
        raise OidcError(f"ID token claim refused: {exc}") from exc
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != client_id:
        raise OidcError("ID token for several audiences without this client as azp")
    return claims


def userinfo(metadata: ProviderMetadata, *, access_token: str, subject: str) -> dict[str, Any]:
    """The userinfo claims; they count only for the same subject as the ID token (OIDC Core 5.3.2)."""
    if not metadata.userinfo_endpoint or not access_token:
        return {}
    try:
        response = requests.get(metadata.userinfo_endpoint, timeout=TIMEOUT,
                                headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"})
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise OidcError(f"userinfo failed: {exc}") from exc
    if not isinstance(data, dict) or data.get("sub") != subject:
        raise OidcError("userinfo is about another subject")
    return data


def login(metadata: ProviderMetadata, *, client_id: str, client_secret: str, code: str, redirect_uri: str,
          code_verifier: str, nonce: str) -> dict[str, Any]:
    """Code → validated claims (ID token, then userinfo for the same subject, the ID token winning)."""
    tokens = exchange_code(metadata, client_id=client_id, client_secret=client_secret, code=code,
                           redirect_uri=redirect_uri, code_verifier=code_verifier)
    try:
        claims = validate_id_token(tokens["id_token"], keys=signing_keys(metadata), issuer=metadata.issuer,
                                   client_id=client_id, nonce=nonce)
    except OidcError:
        # The provider may have rotated its keys since they were cached: read them once more.
        claims = validate_id_token(tokens["id_token"], keys=signing_keys(metadata, refresh=True),
                                   issuer=metadata.issuer, client_id=client_id, nonce=nonce)
    extra = userinfo(metadata, access_token=tokens.get("access_token", ""), subject=claims["sub"])
    return {**extra, **claims}
