"""Who is calling the API: a personal token (`Authorization: Bearer ...`), and every caller counted."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from varna.api import selectors, services
from varna.api.models import ApiToken
from varna.core import ratelimit

RATE_SCOPE = "api"
RATE_LIMIT = (300, 60)


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after


def throttle(request: HttpRequest) -> None:
    """Count the request against the API's rate limit; raise :class:`RateLimited` past it."""
    if getattr(settings, "VARNA_RATE_LIMITS_ENABLED", True):
        retry_after = ratelimit.hit(RATE_SCOPE, request, limit=RATE_LIMIT[0], window=RATE_LIMIT[1])
        if retry_after is not None:
            raise RateLimited(retry_after)


class ApiRequest(HttpRequest):
    # The token TokenAuth accepted; django-ninja sets it before any operation runs.
    auth: ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        throttle(request)
        found = selectors.token_lookup(token)
        if found is not None:
            services.token_used(found)
        return found
