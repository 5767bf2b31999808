"""The client's address, read the same way wherever Värna needs it (the audit log, sessions, rate limits).

Behind the TLS proxy the README prescribes, REMOTE_ADDR is the proxy's own address. Each trusted proxy
appends the address it received the request from to X-Forwarded-For, so with `VARNA_TRUSTED_PROXY_COUNT`
= N the client is the N-th entry from the right; anything further left was written by the client itself
and is ignored. With N = 0 (no proxy) the header is ignored altogether.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's IP address as a normalised string, or None when there is no request or no valid address."""
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR", "") or ""
    hops = int(getattr(settings, "VARNA_TRUSTED_PROXY_COUNT", 0))
    if hops > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        # Fewer entries than trusted proxies means the request did not come through all of them: keep
        # the address that connected rather than trust an entry nobody vouches for.
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
