"""Logging in through a municipality's identity provider, and the administrator's pages for its providers."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from varna.core.decorators import role_required
from varna.core.login import LOGOUT_CONTINUE, after_first_factor
from varna.core.models import Municipality, Role
from varna.core.ratelimit import rate_limit
from varna.sso import mapping, oidc, selectors, services
from varna.sso.forms import ProviderForm
from varna.sso.models import IdentityProvider

logger = logging.getLogger(__name__)

BACKEND = "varna.sso.backends.IdentityProviderBackend"
_STATES = "varna_sso_states"
_STATE_SECONDS = 600
_MAX_STATES = 5


def _refused(request: HttpRequest, message: str, status: int = 403) -> HttpResponse:
    return render(request, "sso/refused.html", {"message": message}, status=status)


def _safe_next(request: HttpRequest) -> str:
    candidate = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return candidate
    return "/"


def _provider(municipality: Municipality, slug: str) -> IdentityProvider:
    provider = selectors.enabled_provider(municipality, slug)
    if provider is None:
        raise Http404
    return provider


def _remember(request: HttpRequest, state: str, record: dict[str, Any]) -> None:
    states = {key: value for key, value in request.session.get(_STATES, {}).items()
              if time.time() - value["at"] < _STATE_SECONDS}
    # A few logins may be under way at once (two tabs); never more, so the session can't be filled up.
    for key in sorted(states, key=lambda k: states[k]["at"])[:-(_MAX_STATES - 1) or None]:
        states.pop(key)
    states[state] = record
    request.session[_STATES] = states


def _take(request: HttpRequest, state: str) -> dict[str, Any] | None:
    """The login this state belongs to, removed at once: a state (and so a code or an answer) works once."""
    states = dict(request.session.get(_STATES, {}))
    record = states.pop(state, None) if state else None
    request.session[_STATES] = states
    if record is None or time.time() - record["at"] >= _STATE_SECONDS:
        return None
    return record


@rate_limit("sso", limit=60, window=60)
def begin(request: HttpRequest, municipality: Municipality, provider: str) -> HttpResponse:
    """Send the browser to the provider: OpenID Connect with a fresh state, nonce and PKCE verifier kept in the
    session; SAML with an AuthnRequest whose ID this browser's session and the server both remember."""
    idp = _provider(municipality, provider)
    if idp.protocol == IdentityProvider.Protocol.SAML:
        return _saml_begin(request, idp)
    redirect_uri = request.build_absolute_uri(reverse("sso:oidc_callback", args=[municipality.slug, idp.slug]))
    try:
        metadata = oidc.discover(idp.issuer)
        login_request = oidc.begin(metadata, client_id=idp.client_id, scopes=idp.scopes, redirect_uri=redirect_uri)
    except oidc.OidcError as exc:
        logger.warning("identity provider %s unreachable: %s", idp.pk, exc)
        return _refused(request, _("The identity provider can't be reached just now. Try again in a while, or "
                                   "log in with your Värna password."), status=502)
    _remember(request, login_request.state, {"provider": idp.pk, "nonce": login_request.nonce,
                                             "verifier": login_request.code_verifier, "next": _safe_next(request),
                                             "redirect_uri": redirect_uri, "at": time.time()})
    return redirect(login_request.url)


@rate_limit("sso", limit=60, window=60)
def oidc_callback(request: HttpRequest, municipality: Municipality, provider: str) -> HttpResponse:
    idp = _provider(municipality, provider)
    record = _take(request, request.GET.get("state", ""))
    if record is None or record["provider"] != idp.pk:
        services.refusal_record(provider=idp, reason="state")
        return _refused(request, _("This login has expired or was already used. Start again from the login page."))
    if request.GET.get("error") or not request.GET.get("code"):
        services.refusal_record(provider=idp, reason="provider_error", detail=request.GET.get("error", "")[:100])
        return _refused(request, _("The identity provider did not log you in. Start again from the login page."))
    try:
        claims = oidc.login(oidc.discover(idp.issuer), client_id=idp.client_id, client_secret=idp.client_secret,
                            code=request.GET["code"], redirect_uri=record["redirect_uri"],
                            code_verifier=record["verifier"], nonce=record["nonce"])
    except oidc.OidcError as exc:
        logger.warning("identity provider %s: answer refused: %s", idp.pk, exc)
        services.refusal_record(provider=idp, reason="token")
        return _refused(request, _("The identity provider's answer could not be verified, so you are not logged "
                                   "in. Start again; if it happens again, tell your municipality's administrator."))
    assurance = services.strings(claims.get("acr")) + services.strings(claims.get("amr"))
    try:
        result = services.login_from_claims(provider=idp, subject=str(claims["sub"]), claims=claims,
                                            assurance=assurance)
    except services.SsoError as exc:
        return _refused(request, str(exc))
    return after_first_factor(request, result.user, backend=BACKEND, next_url=record["next"], device=result.device)


# --- SAML 2.0 -------------------------------------------------------------------------------------------------------
# The IdP posts its answer from another site, so the browser leaves out the session cookie (SameSite=Lax). The
# assertion consumer checks the answer without the session, against the request ID the server remembered, keeps
# the verified login for a minute under a random key and sends the browser on (a top-level GET, which carries the
# cookie) to `saml_complete`, where the request ID must be this browser's. So nobody can plant their own login
# in someone else's browser, and each answer works once.

_SAML_REQUEST = "varna:saml:request:"
_SAML_HANDOFF = "varna:saml:handoff:"
_SAML_REQUESTS = "varna_saml_requests"


@contextlib.contextmanager
def _saml_config(request: HttpRequest, idp: IdentityProvider) -> Iterator[Any]:
    """pysaml2's configuration for this provider, with Värna's signing key on disk only while it is used."""
    from varna.sso import saml

    args = [idp.municipality.slug, idp.slug]
    pair = saml.SpKeyPair(idp.saml_sp_private_key, idp.saml_sp_certificate) \
        if idp.saml_sp_private_key and idp.saml_sp_certificate else None
    with saml.key_files(pair) as keys:
        yield saml.sp_config(entity_id=request.build_absolute_uri(reverse("sso:saml_metadata", args=args)),
                             acs_url=request.build_absolute_uri(reverse("sso:saml_acs", args=args)),
                             sls_url=request.build_absolute_uri(reverse("sso:saml_sls", args=args)),
                             idp_metadata_xml=idp.saml_metadata_xml, allow_unsolicited=idp.saml_allow_idp_initiated,
                             keys=keys)


def _saml_begin(request: HttpRequest, idp: IdentityProvider) -> HttpResponse:
    from django.core.cache import cache

    from varna.sso import saml

    try:
        with _saml_config(request, idp) as config:
            request_id, url = saml.begin(config, idp_entity_id=idp.saml_idp_entity_id,
                                     relay_state="")
    except saml.SamlError as exc:
        logger.warning("identity provider %s: %s", idp.pk, exc)
        return _refused(request, _("The identity provider can't be reached just now. Try again in a while, or "
                                   "log in with your Värna password."), status=502)
    cache.set(_SAML_REQUEST + request_id, {"provider": idp.pk, "next": _safe_next(request)}, _STATE_SECONDS)
    mine = [rid for rid in request.session.get(_SAML_REQUESTS, []) if cache.get(_SAML_REQUEST + rid)]
    request.session[_SAML_REQUESTS] = (mine + [request_id])[-_MAX_STATES:]
    return redirect(url)


def _in_response_to(saml_response: str) -> str:
    """The request an answer says it replies to, read before its signature is checked (only to find which
    outstanding request to check it against)."""
    import base64

    from defusedxml import ElementTree

    try:
        root = ElementTree.fromstring(base64.b64decode(saml_response, validate=False))
    except Exception:  # anything unreadable is refused by the real check that follows
        return ""
    return root.get("InResponseTo", "") or ""


@csrf_exempt  # posted by the IdP from its own site; the answer's signature and request ID take the token's place
@require_POST
@rate_limit("sso", limit=60, window=60)
def saml_acs(request: HttpRequest, municipality: Municipality, provider: str) -> HttpResponse:
    import secrets

    from django.core.cache import cache

    from varna.sso import saml

    idp = _provider(municipality, provider)
    if idp.protocol != IdentityProvider.Protocol.SAML:
        raise Http404
    answer = request.POST.get("SAMLResponse", "")
    request_id = _in_response_to(answer)
    record = cache.get(_SAML_REQUEST + request_id) if request_id else None
    if request_id and (record is None or record["provider"] != idp.pk):
        services.refusal_record(provider=idp, reason="state")
        return _refused(request, _("This login has expired or was already used. Start again from the login page."))
    if not request_id and not idp.saml_allow_idp_initiated:
        services.refusal_record(provider=idp, reason="idp_initiated")
        return _refused(request, _("Logins started at the identity provider are not accepted here. Start from "
                                   "Värna's login page."))
    try:
        with _saml_config(request, idp) as config:
            login = saml.parse_response(config, answer, outstanding={request_id: record["next"]} if record else {})
    except saml.SamlError as exc:
        logger.warning("identity provider %s: answer refused: %s", idp.pk, exc)
        services.refusal_record(provider=idp, reason="assertion")
        return _refused(request, _("The identity provider's answer could not be verified, so you are not logged "
                                   "in. Start again; if it happens again, tell your municipality's administrator."))
    if login.issuer != idp.saml_idp_entity_id or not saml.remember_assertion(login):
        services.refusal_record(provider=idp, reason="replay" if login.issuer == idp.saml_idp_entity_id else "issuer")
        return _refused(request, _("This login has expired or was already used. Start again from the login page."))
    if request_id:
        cache.delete(_SAML_REQUEST + request_id)
    handoff = secrets.token_urlsafe(32)
    cache.set(_SAML_HANDOFF + handoff, {"provider": idp.pk, "request_id": request_id,
                                        "next": record["next"] if record else "/", "subject": login.subject,
                                        "claims": saml.claims(login), "assurance": login.authn_contexts,
                                        "name_id_format": login.name_id_format,
                                        "session_index": login.session_index}, 60)
    return redirect("sso:saml_complete", municipality=municipality.slug, provider=idp.slug, token=handoff)


@rate_limit("sso", limit=60, window=60)
def saml_complete(request: HttpRequest, municipality: Municipality, provider: str, token: str) -> HttpResponse:
    from django.core.cache import cache

    idp = _provider(municipality, provider)
    record = cache.get(_SAML_HANDOFF + token)
    cache.delete(_SAML_HANDOFF + token)
    mine = request.session.get(_SAML_REQUESTS, [])
    if record is None or record["provider"] != idp.pk or (record["request_id"] and record["request_id"] not in mine):
        services.refusal_record(provider=idp, reason="state")
        return _refused(request, _("This login has expired or was already used. Start again from the login page."))
    request.session[_SAML_REQUESTS] = [rid for rid in mine if rid != record["request_id"]]
    try:
        result = services.login_from_claims(provider=idp, subject=record["subject"], claims=record["claims"],
                                            assurance=record["assurance"])
    except services.SsoError as exc:
        return _refused(request, str(exc))
    # What single logout needs later: Värna's logout hands over to saml_logout, which tells this IdP.
    request.session[_SAML_SESSION] = {"provider": idp.pk,
                                      "name_id": record["subject"], "format": record.get("name_id_format", ""),
                                      "index": record.get("session_index", "")}
    request.session[LOGOUT_CONTINUE] = reverse("sso:saml_logout")
    return after_first_factor(request, result.user, backend=BACKEND, next_url=record["next"], device=result.device)


@rate_limit("sso", limit=60, window=60)
def saml_metadata(request: HttpRequest, municipality: Municipality, provider: str) -> HttpResponse:
    """Värna's service-provider metadata for this provider, to give to the IdP's administrator."""
    from varna.sso import saml

    idp = selectors.providers_of(municipality).filter(slug=provider, protocol=IdentityProvider.Protocol.SAML).first()
    if idp is None:
        raise Http404
    idp = services.sp_key_ensure(provider=idp)
    with _saml_config(request, idp) as config:
        return HttpResponse(saml.sp_metadata(config), content_type="application/samlmetadata+xml")


# --- SAML single logout (HTTP-POST binding; ADR 0014) -------------------------------------------------------------
_SAML_SESSION = "varna_saml_session"
_SAML_LOGOUT = "varna:saml:logout:"


def _post_to_idp(request: HttpRequest, message: Any) -> HttpResponse:
    from urllib.parse import urlsplit

    response = render(request, "sso/post_to_idp.html", {"message": message})
    parts = urlsplit(message.url)
    # The page's one form posts to the IdP's single logout address: CSP's form-action allows that origin only here.
    response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}  # type: ignore[attr-defined]  # django-csp's per-response hook
    return response


@require_POST
def saml_logout(request: HttpRequest) -> HttpResponse:
    """Värna's logout for a session that came through SAML (core's logout hands over here, keeping the POST and
    its CSRF token): end the Värna session first, whatever the IdP says, then post a signed LogoutRequest to it."""
    from django.contrib.auth import logout
    from django.core.cache import cache

    from varna.sso import saml

    record = request.session.get(_SAML_SESSION) or {}
    logout(request)
    idp = None
    if record.get("provider"):
        idp = selectors.enabled_provider_by_id(record["provider"])
    if idp is None or idp.protocol != IdentityProvider.Protocol.SAML or not idp.saml_sp_certificate:
        messages.success(request, _("You are logged out."))
        return redirect("core:home")
    try:
        with _saml_config(request, idp) as config:
            message = saml.logout_request(config, idp_entity_id=idp.saml_idp_entity_id, name_id=record["name_id"],
                                          name_id_format=record.get("format", ""),
                                          session_index=record.get("index", ""))
    except saml.SamlError as exc:
        logger.warning("identity provider %s: no single logout: %s", idp.pk, exc)
        messages.warning(request, _("You are logged out of Värna, but not at %(provider)s. Close the browser to "
                                    "end that session too.") % {"provider": idp.name})
        return redirect("core:home")
    cache.set(_SAML_LOGOUT + message.message_id, {"provider": idp.pk}, _STATE_SECONDS)
    return _post_to_idp(request, message)


@csrf_exempt  # posted by the IdP from its own site; the message's signature takes the token's place
@require_POST
@rate_limit("sso", limit=60, window=60)
def saml_sls(request: HttpRequest, municipality: Municipality, provider: str) -> HttpResponse:
    """The IdP's side of single logout: its LogoutRequest (it logged the person out: end their Värna sessions and
    answer) or its LogoutResponse (to the request saml_logout sent). Unsigned, wrongly signed or another IdP's
    messages are refused and audited."""
    from django.core.cache import cache

    from varna.sso import saml

    idp = _provider(municipality, provider)
    if idp.protocol != IdentityProvider.Protocol.SAML:
        raise Http404
    refused = _("The identity provider's logout message could not be verified, so nothing was done. If it happens "
                "again, tell your municipality's administrator.")
    if request.POST.get("SAMLRequest"):
        try:
            with _saml_config(request, idp) as config:
                logout = saml.parse_logout_request(config, request.POST["SAMLRequest"],
                                                   idp_entity_id=idp.saml_idp_entity_id)
        except saml.SamlError as exc:
            logger.warning("identity provider %s: logout request refused: %s", idp.pk, exc)
            services.logout_refused(provider=idp, reason="request")
            return _refused(request, refused)
        services.logout_from_idp(provider=idp, subject=logout.subject)
        return _post_to_idp(request, logout.answer)
    if request.POST.get("SAMLResponse"):
        try:
            with _saml_config(request, idp) as config:
                answered = saml.parse_logout_response(config, request.POST["SAMLResponse"],
                                                      idp_entity_id=idp.saml_idp_entity_id)
        except saml.SamlError as exc:
            logger.warning("identity provider %s: logout response refused: %s", idp.pk, exc)
            services.logout_refused(provider=idp, reason="response")
            return _refused(request, refused)
        record = cache.get(_SAML_LOGOUT + answered) if answered else None
        cache.delete(_SAML_LOGOUT + answered)
        if record is None or record["provider"] != idp.pk:
            services.logout_refused(provider=idp, reason="state")
            return _refused(request, refused)
        messages.success(request, _("You are logged out, also at %(provider)s.") % {"provider": idp.name})
        return redirect("core:home")
    return _refused(request, refused, status=400)


# --- The administrator's pages ------------------------------------------------------------------------------------

def _form(request: HttpRequest, municipality: Municipality, instance: IdentityProvider | None) -> ProviderForm:
    from varna.core.selectors import organisations_of

    initial = {}
    if instance is not None:
        initial["role_mapping"] = mapping.render(
            mapping.MappingLine(m.group_value, m.role, m.organisation.key if m.organisation else "")
            for m in instance.role_mappings.select_related("organisation"))
    return ProviderForm(request.POST or None, instance=instance, initial=initial, municipality=municipality,
                        roles=services.mappable_roles(),
                        unit_keys=list(organisations_of(municipality).values_list("key", flat=True)))


@role_required(Role.ADMINISTRATOR)
def provider_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    from django.utils import timezone

    return render(request, "sso/provider_list.html", {"providers": selectors.providers_of(municipality),
                                                      "now": timezone.now()})


@role_required(Role.ADMINISTRATOR)
def provider_edit(request: HttpRequest, municipality: Municipality, provider: str | None = None) -> HttpResponse:
    instance = None
    if provider is not None:
        instance = selectors.providers_of(municipality).filter(slug=provider).first()
        if instance is None:
            raise Http404
    form = _form(request, municipality, instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_save(actor=request.user, municipality=municipality, provider=form.save(commit=False),
                                   client_secret=form.cleaned_data.get("client_secret", ""),
                                   mapping_lines=form.mapping_lines)
        except services.SsoError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The identity provider was saved."))
            return redirect("sso:provider_list", municipality=municipality.slug)
    redirect_uri = sp_metadata_url = None
    if instance is not None and instance.protocol == IdentityProvider.Protocol.OIDC:
        redirect_uri = request.build_absolute_uri(
            reverse("sso:oidc_callback", args=[municipality.slug, instance.slug]))
    if instance is not None and instance.protocol == IdentityProvider.Protocol.SAML:
        sp_metadata_url = request.build_absolute_uri(
            reverse("sso:saml_metadata", args=[municipality.slug, instance.slug]))
    return render(request, "sso/provider_form.html", {"form": form, "provider": instance,
                                                      "redirect_uri": redirect_uri,
                                                      "sp_metadata_url": sp_metadata_url})


@require_POST
@role_required(Role.ADMINISTRATOR)
def metadata_refresh(request: HttpRequest, municipality: Municipality, provider: str) -> HttpResponse:
    """Read a SAML provider's metadata again from its address (services.metadata_refresh)."""
    instance = selectors.providers_of(municipality).filter(slug=provider).first()
    if instance is None:
        raise Http404
    try:
        services.metadata_refresh(actor=request.user, provider=instance)
    except services.SsoError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The metadata was read again."))
    return redirect("sso:provider_edit", municipality=municipality.slug, provider=instance.slug)
