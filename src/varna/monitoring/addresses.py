"""Which feed addresses Värna may fetch. No Django.

The server fetches what a coordinator types in, so an address must not make it reach into its own
network (server-side request forgery): only http and https, no credentials in the address, and no host
that is, or resolves to, a loopback, private, link-local or otherwise non-public address.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

# Names that never denote a public host, whatever a resolver says.
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".localdomain")


class BlockedAddress(Exception):
    """The address leads to this server or a private network."""


def problem(url: str) -> str | None:
    """Why `url` cannot be followed, as a short code ("scheme", "credentials", "host", "private"), or None.

    Looks at the text only (no DNS): forms use it so that a coordinator gets the answer at once.
    """
    try:
        parts = urlsplit((url or "").strip())
        port = parts.port  # raises ValueError for a port out of range
    except ValueError:
        return "host"
    del port
    if parts.scheme not in ("http", "https"):
        return "scheme"
    if parts.username is not None or parts.password is not None:
        return "credentials"
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        return "host"
    if host == "localhost" or host.endswith(_LOCAL_SUFFIXES) or "." not in host and not _is_ip(host):
        return "private"
    if _is_ip(host) and not is_public_ip(host):
        return "private"
    return None


def is_public_ip(value: str) -> bool:
    address = ipaddress.ip_address(value.split("%", 1)[0])
    # ::ffff:127.0.0.1 is the loopback address however it is written.
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_global and not address.is_multicast


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def require_public(url: str) -> None:
    """Raise BlockedAddress unless `url` passes :func:`problem` and every address its host resolves to is public.

    Called right before each request (and each redirect), so a name that later points inwards is caught.
    """
    code = problem(url)
    if code == "private":
        raise BlockedAddress(url)
    if code is not None:
        raise ValueError(code)
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    for *_rest, sockaddr in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP):
        if not is_public_ip(str(sockaddr[0])):
            raise BlockedAddress(url)
