"""Passkey pages: the person's own list (add, remove), and the passkey as the second step of login.

The ceremonies run in the browser (static/passkeys/passkeys.js, navigator.credentials); these views hand out
a challenge (kept in the session, used once) and check the answer with varna.passkeys.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from varna.core.confirm import confirmation
from varna.core.decorators import permission_required
from varna.core.http import AuthenticatedHttpRequest
from varna.core.login import complete_second_step, second_step_subject
from varna.core.permissions import is_signed_in
from varna.core.ratelimit import rate_limit
from varna.passkeys import selectors, services

_REGISTER = "varna_passkey_register"
_AUTHENTICATE = "varna_passkey_authenticate"
_MAX_BODY = 64 * 1024


def _rp(request: HttpRequest) -> tuple[str, str]:
    """(relying-party ID, origin): this site's host name and origin, as the browser sees them."""
    host = request.get_host()
    return host.rsplit(":", 1)[0] if not host.endswith("]") else host, f"{request.scheme}://{host}"


def _to_two_factor(request: HttpRequest) -> HttpResponse:
    # A passkey is added only in a session that passed the second factor: a password alone adds nothing.
    return redirect("core:two_factor")


def _verified_owner(request: HttpRequest) -> HttpResponse | None:
    """For the JSON steps of adding a passkey, which answer a script, not a person: the same rule as the
    pages' guard, refused with a JSON error instead of a redirect."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_verified():
        # A passkey is added only in a session that passed the second factor: a password alone adds nothing.
        return redirect("core:two_factor")
    return None


@permission_required(is_signed_in, members_only=False, unverified=_to_two_factor)
def passkey_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    has_app = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    return render(request, "passkeys/list.html", {"passkeys": selectors.passkeys_of(request.user), "has_app": has_app})


@require_POST
@rate_limit("passkeys", limit=30, window=60)
def register_options(request: HttpRequest) -> HttpResponse:
    refusal = _verified_owner(request)
    if refusal is not None:
        return JsonResponse({"error": _("Log in again.")}, status=403)
    rp_id, _origin = _rp(request)
    options, challenge = services.registration_options(user=request.user, rp_id=rp_id)
    request.session[_REGISTER] = challenge
    return JsonResponse(options)


@require_POST
@rate_limit("passkeys", limit=30, window=60)
def register(request: HttpRequest) -> HttpResponse:
    refusal = _verified_owner(request)
    challenge = request.session.pop(_REGISTER, None)
    if refusal is not None or challenge is None or len(request.body) > _MAX_BODY:
        return JsonResponse({"error": _("Start again.")}, status=400)
    rp_id, origin = _rp(request)
    try:
        services.passkey_register(actor=request.user, credential=request.body.decode(), challenge=challenge,
                                  rp_id=rp_id, origin=origin, name=request.GET.get("name", ""))
    except services.PasskeyError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    messages.success(request, _("The passkey was added."))
    return JsonResponse({"redirect": "/account/passkeys/"})


@permission_required(is_signed_in, members_only=False, unverified=_to_two_factor)
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    passkey = get_object_or_404(selectors.passkeys_of(request.user), pk=pk)
    if (page := confirmation(request, title=_("Remove the passkey?"), what=passkey.name,
                             consequence=_("You can no longer log in with it."), button=_("Remove the passkey"),
                             cancel_url=reverse("passkeys:list"))) is not None:
        return page
    services.passkey_remove(actor=request.user, passkey=passkey)
    messages.success(request, _("The passkey was removed."))
    return redirect("passkeys:list")


@rate_limit("login", limit=60, window=60, methods=["POST"])
def authenticate(request: HttpRequest) -> HttpResponse:
    """The second step with a passkey (GET: the page with the button; POST: the browser's signed answer)."""
    user, pending = second_step_subject(request)
    if user is None or not selectors.passkeys_of(user).exists():
        return redirect("core:two_factor")
    if request.method != "POST":
        return render(request, "passkeys/authenticate.html")
    challenge = request.session.pop(_AUTHENTICATE, None)
    if challenge is None or len(request.body) > _MAX_BODY:
        return JsonResponse({"error": _("Start again.")}, status=400)
    rp_id, origin = _rp(request)
    try:
        passkey = services.passkey_authenticate(user=user, credential=request.body.decode(), challenge=challenge,
                                                rp_id=rp_id, origin=origin)
    except services.PasskeyError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse({"redirect": complete_second_step(request, user, pending, passkey)})


@require_POST
@rate_limit("login", limit=60, window=60)
def authenticate_options(request: HttpRequest) -> HttpResponse:
    user, _pending = second_step_subject(request)
    if user is None or not selectors.passkeys_of(user).exists():
        return JsonResponse({"error": _("Log in again.")}, status=403)
    rp_id, _origin = _rp(request)
    options, challenge = services.authentication_options(user=user, rp_id=rp_id)
    request.session[_AUTHENTICATE] = challenge
    return JsonResponse(options)
