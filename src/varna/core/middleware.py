from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from varna.core import audit
from varna.core.clientip import client_ip
from varna.core.models import Municipality
from varna.core.permissions import requires_two_factor

if TYPE_CHECKING:
    from varna.core.http import VarnaHttpRequest


class SecurityHeadersMiddleware:
    """Headers Django has no setting for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = audit.current_ip.set(client_ip(request))
        try:
            response = self.get_response(request)
        finally:
            audit.current_ip.reset(token)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class NoStoreMiddleware:
    """ASVS V8.2.1: nothing a logged-in user sees, and no login or case page, is kept in a browser or proxy cache.

    A shared computer in a school staff room must not show the previous user's pages from the cache
    after they log out. Pages under `VARNA_NO_STORE_PATH_PREFIXES` (login, two-factor) and of the URL
    namespaces in `VARNA_NO_STORE_NAMESPACES` (cases) are never stored, whoever asks.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or self._always_private(request):
            patch_cache_control(response, no_store=True, private=True)
            # `public` and a shared-cache lifetime would contradict `private`.
            response.headers["Cache-Control"] = ", ".join(
                part for part in response.headers["Cache-Control"].split(", ")
                if part != "public" and not part.startswith("s-maxage"))
        return response

    @staticmethod
    def _always_private(request: HttpRequest) -> bool:
        if request.path.startswith(tuple(settings.VARNA_NO_STORE_PATH_PREFIXES)):
            return True
        match = getattr(request, "resolver_match", None)
        namespaces = set(match.namespaces) if match is not None else set()
        return bool(namespaces & set(settings.VARNA_NO_STORE_NAMESPACES))


class MunicipalityMiddleware:
    """Resolves `/<municipality>/...` into `request.municipality`.

    The view then receives the Municipality object in its `municipality` argument instead of
    the slug; an unknown slug is a 404 before any view code runs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: VarnaHttpRequest) -> HttpResponse:
        request.municipality = None
        return self.get_response(request)

    def process_view(self, request: VarnaHttpRequest, view_func: Any, view_args: Any, view_kwargs: dict) -> None:
        slug = view_kwargs.get("municipality")
        if isinstance(slug, str):
            municipality = get_object_or_404(Municipality, slug=slug)
            request.municipality = municipality
            view_kwargs["municipality"] = municipality
        return None


_OPEN_PREFIXES = ("/account/", "/static/", "/i18n/")


class TwoFactorRequiredMiddleware:
    """Sends a logged-in user whose role requires two-factor, but who has not verified, to verify.

    Also enforces the idle and absolute session timeouts.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self._session_expired(request)
            if expired:
                logout(request)
                return redirect(f"{reverse('core:login')}?expired=1")
            if not request.path.startswith(_OPEN_PREFIXES) and requires_two_factor(user) \
                    and not user.is_verified():
                return redirect(reverse("core:two_factor"))
        return self.get_response(request)

    @staticmethod
    def _session_expired(request: HttpRequest) -> bool:
        now = time.time()
        session = request.session
        login_at = session.setdefault("varna_login_at", now)
        last_seen = session.get("varna_last_seen", now)
        if now - last_seen > settings.VARNA_SESSION_IDLE_SECONDS:
            return True
        if now - login_at > settings.VARNA_SESSION_ABSOLUTE_SECONDS:
            return True
        # Write the timestamp at most once a minute so that every page view doesn't save the session.
        if now - last_seen > 60 or "varna_last_seen" not in session:
            session["varna_last_seen"] = now
        return False
