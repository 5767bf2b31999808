"""A small fixed-window rate limit per client address, kept in Django's cache.

    from varna.core.ratelimit import rate_limit

    @rate_limit("survey_answer", limit=30, window=600, methods=["POST"])
    def survey_answer(request, municipality, token): ...

Each (scope, client address, window) gets a counter in the cache; past `limit` requests in the
current `window` seconds the view is not called and the client gets 429 with a translated page and
`Retry-After`. Operators tune a scope without a code change through
`VARNA_RATE_LIMITS = {"survey_answer": (limit, window)}`; `VARNA_RATE_LIMITS_ENABLED = False` turns all
limits off (for load tests). IPv6 clients are counted per /64, the block one household or phone
gets. The client address is read by `varna.core.clientip`, the rule the audit log uses too: behind a
reverse proxy set `VARNA_TRUSTED_PROXY_COUNT`, and X-Forwarded-For's entry of the last trusted proxy counts.

With the local-memory cache each server process counts on its own; production uses Redis (set
REDIS_URL), which every process shares.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from varna.core.clientip import client_ip

_PREFIX = "varna:ratelimit"


def client_address(request: HttpRequest) -> str:
    """The client's address as counted (see `varna.core.clientip`); IPv6 per /64."""
    address = client_ip(request)
    if address is None:
        return "unknown"
    parsed = ipaddress.ip_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address) + "/64"
    return str(parsed)


def _limits(scope: str, limit: int, window: int) -> tuple[int, int]:
    configured = getattr(settings, "VARNA_RATE_LIMITS", {}).get(scope)
    return (int(configured[0]), int(configured[1])) if configured else (limit, window)


def hit(scope: str, request: HttpRequest, *, limit: int, window: int) -> int | None:
    """Count one request; return None if it is allowed, else the seconds until the window ends."""
    limit, window = _limits(scope, limit, window)
    now = time.time()
    start = int(now // window) * window
    key = f"{_PREFIX}:{scope}:{client_address(request)}:{start}"
    # add() then incr(): atomic on Redis and within one process on the local-memory cache.
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        return max(1, int(start + window - now) + 1)
    return None


def rate_limit(
    scope: str, *, limit: int, window: int, methods: Iterable[str] | None = None,
    template: str = "core/rate_limited.html",
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Allow `limit` requests per `window` seconds per client address to the view (only `methods`, if given).

    `template` renders the 429 page (context: `retry_after`), e.g. one that still shows where to turn.
    """
    counted = {m.upper() for m in methods} if methods else None

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if getattr(settings, "VARNA_RATE_LIMITS_ENABLED", True) and (counted is None or request.method in counted):
                retry_after = hit(scope, request, limit=limit, window=window)
                if retry_after is not None:
                    return too_many_requests(request, retry_after, template)
            return view(request, *args, **kwargs)

        wrapper.varna_rate_limit = (scope, limit, window)  # type: ignore[attr-defined]
        return wrapper

    return decorator


def too_many_requests(request: HttpRequest, retry_after: int,
                      template: str = "core/rate_limited.html") -> HttpResponse:
    response = render(request, template, {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
ANONYMOUS_WRITE_SCOPE = "anonymous_write"
ANONYMOUS_WRITE_LIMIT = (120, 60)


class AnonymousWriteLimitMiddleware:
    """Every write by a visitor who is not logged in (any method but GET, HEAD, OPTIONS and TRACE) counts in one
    scope per address, whatever the view: a form added tomorrow is limited from its first day (ASVS V11.1.4).

    Views that cost more keep their own, lower limit on top (the guide, the survey, the login). The API is left
    to its own throttle, which counts tokens' requests as well."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (request.method not in _SAFE_METHODS and getattr(settings, "VARNA_RATE_LIMITS_ENABLED", True)
                and not request.path.startswith("/api/")
                and not getattr(getattr(request, "user", None), "is_authenticated", False)):
            retry_after = hit(ANONYMOUS_WRITE_SCOPE, request, limit=ANONYMOUS_WRITE_LIMIT[0],
                              window=ANONYMOUS_WRITE_LIMIT[1])
            if retry_after is not None:
                return too_many_requests(request, retry_after)
        return self.get_response(request)
