"""Logging in through a municipality's identity provider, and the administrator's pages for its providers."""

from __future__ import annotations

import logging
import time
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
from varna.core.login import after_first_factor
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


def _saml_config(request: HttpRequest, idp: IdentityProvider) -> Any:
    from varna.sso import saml

    args = [idp.municipality.slug, idp.slug]
    return saml.sp_config(entity_id=request.build_absolute_uri(reverse("sso:saml_metadata", args=args)),
                          acs_url=request.build_absolute_uri(reverse("sso:saml_acs", args=args)),
                          idp_metadata_xml=idp.saml_metadata_xml, allow_unsolicited=idp.saml_allow_idp_initiated)


def _saml_begin(request: HttpRequest, idp: IdentityProvider) -> HttpResponse:
    from django.core.cache import cache

    from varna.sso import saml

    try:
        request_id, url = saml.begin(_saml_config(request, idp), idp_entity_id=idp.saml_idp_entity_id,
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
        login = saml.parse_response(_saml_config(request, idp), answer,
                                    outstanding={request_id: record["next"]} if record else {})
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
                                        "claims": saml.claims(login), "assurance": login.authn_contexts}, 60)
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
    return after_first_factor(request, result.user, backend=BACKEND, next_url=record["next"], device=result.device)


@rate_limit("sso", limit=60, window=60)
def saml_metadata(request: HttpRequest, municipality: Municipality, provider: str) -> HttpResponse:
    """Värna's service-provider metadata for this provider, to give to the IdP's administrator."""
    from varna.sso import saml

    idp = selectors.providers_of(municipality).filter(slug=provider, protocol=IdentityProvider.Protocol.SAML).first()
    if idp is None:
        raise Http404
    return HttpResponse(saml.sp_metadata(_saml_config(request, idp)), content_type="application/samlmetadata+xml")


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
