"""What happens after the first factor, whatever it was (a Värna password or an organisation's identity provider).

ADR 0003: someone who has an app, or whose role needs two factors, gets only a short-lived pending marker; the
session is created after the second factor. An identity provider whose login the municipality counts as two
factors (its assurance values, see varna.sso) hands in a `device` standing for that login instead.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_otp import devices_for_user
from django_otp import login as otp_login

from varna.core.permissions import requires_two_factor

PENDING = "varna_pending_login"
PENDING_SECONDS = 300
# A same-site address that takes over logging out (an app's single logout, e.g. SAML's); core's logout hands the
# POST on to it with a 307, so the CSRF token goes along.
LOGOUT_CONTINUE = "varna_logout_continue"


def second_step_subject(request: HttpRequest) -> tuple[Any, dict | None]:
    """Who is at the second step: the pending person (with their pending record), or a logged-in person who has not
    passed it; (None, None) for anyone else."""
    from django.contrib.auth import get_user_model

    pending = request.session.get(PENDING)
    if pending and time.time() - pending["at"] < PENDING_SECONDS:
        user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
        return user, pending
    if request.user.is_authenticated and not request.user.is_verified():
        return request.user, None
    return None, None


def complete_second_step(request: HttpRequest, user: Any, pending: dict | None, device: Any) -> str:
    """Log the person in after the second factor (whatever device passed it); the address to continue to."""
    if pending:
        request.session.pop(PENDING, None)
        login(request, user, backend=pending["backend"])
    otp_login(request, device)
    request.session.pop("varna_enrol_checked", None)
    return pending["next"] if pending else "/"


def needs_second_step(user: Any) -> bool:
    """A device one types a code from (not one standing for an identity provider's login), or a role needing it."""
    return any(device.is_interactive() for device in devices_for_user(user, confirmed=True)) \
        or requires_two_factor(user)


def after_first_factor(request: HttpRequest, user: Any, *, backend: str, next_url: str,
                       device: Any = None) -> HttpResponse:
    """Log in now, or send the person to the second step (the session only after it)."""
    if device is not None:
        login(request, user, backend=backend)
        otp_login(request, device)
        return redirect(next_url)
    if needs_second_step(user):
        request.session[PENDING] = {"user": user.pk, "backend": backend, "at": time.time(), "next": next_url}
        return redirect("core:two_factor")
    login(request, user, backend=backend)
    return redirect(next_url)
