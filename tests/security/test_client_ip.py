"""The audit log, sessions and rate limits read the client's address by one rule (`varna.core.clientip`).

Behind the TLS proxy the README prescribes, REMOTE_ADDR is the proxy; these tests play the proxy.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory, override_settings
from hypothesis import given
from hypothesis import strategies as st

from varna.core.clientip import client_ip
from varna.core.models import AuditEvent, UserSession
from varna.core.ratelimit import client_address

PROXY = "10.20.0.5"
PASSWORD = "correct horse battery"


def _request(forwarded: str | None, remote: str = PROXY) -> Any:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(("hops", "forwarded", "expected"), [
    (0, None, PROXY),
    (0, "192.0.2.44", PROXY),  # no proxy is trusted: the header is the client's own words
    (1, "192.0.2.44", "192.0.2.44"),
    (1, "6.6.6.6, 192.0.2.44", "192.0.2.44"),  # the spoofed entry in front is ignored
    (2, "192.0.2.44, 10.20.0.9", "192.0.2.44"),
    (2, "6.6.6.6, 7.7.7.7, 192.0.2.44, 10.20.0.9", "192.0.2.44"),
    (2, "192.0.2.44", PROXY),  # fewer entries than trusted proxies: nobody vouches for the entry
    (1, None, PROXY),
    (1, "not-an-address", None),
    (1, "2001:DB8::1", "2001:db8::1"),
])
def test_the_client_is_the_entry_the_last_trusted_proxy_vouches_for(hops: int, forwarded: str | None,
                                                                     expected: str | None) -> None:
    with override_settings(VARNA_TRUSTED_PROXY_COUNT=hops):
        assert client_ip(_request(forwarded)) == expected


def test_there_is_no_address_without_a_request() -> None:
    assert client_ip(None) is None


@given(spoofed=st.lists(st.ip_addresses(v=4).map(str), max_size=4), hops=st.integers(min_value=1, max_value=3))
def test_nothing_the_client_writes_in_front_changes_the_address(spoofed: list[str], hops: int) -> None:
    chain = ["192.0.2.44"] + [f"10.20.0.{n}" for n in range(1, hops)]
    with override_settings(VARNA_TRUSTED_PROXY_COUNT=hops):
        assert client_ip(_request(", ".join(spoofed + chain))) == "192.0.2.44"


def test_rate_limiting_counts_the_same_address_the_audit_log_records() -> None:
    request = _request("6.6.6.6, 192.0.2.44, 10.20.0.9")
    with override_settings(VARNA_TRUSTED_PROXY_COUNT=2):
        assert client_address(request) == client_ip(request) == "192.0.2.44"


@pytest.mark.parametrize(("hops", "expected"), [(0, PROXY), (1, "10.20.0.9"), (2, "192.0.2.44")])
def test_login_behind_a_proxy_is_audited_with_the_clients_address(db: Any, taby: Any, make_person: Any,
                                                                   hops: int, expected: str) -> None:
    person = make_person("siv@taby.example", "staff", taby, unit="school-north")
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.44, 10.20.0.9")
    with override_settings(VARNA_TRUSTED_PROXY_COUNT=hops):
        client.post("/account/login/", {"email": person.email, "password": "wrong"})
        client.post("/account/login/", {"email": person.email, "password": PASSWORD})
    events = {event.action: event.ip_address for event in AuditEvent.objects.filter(
        action__in=["core.user.login_failed", "core.user.logged_in"])}
    assert events == {"core.user.login_failed": expected, "core.user.logged_in": expected}
    assert list(UserSession.objects.filter(user=person).values_list("ip_address", flat=True)) == [expected]


def test_events_recorded_during_a_request_carry_the_clients_address(db: Any) -> None:
    """Audit rows a service writes take the address the middleware set, by the same rule."""
    from django.http import HttpResponse

    from varna.core import audit
    from varna.core.middleware import SecurityHeadersMiddleware

    def view(request: Any) -> HttpResponse:
        audit.record(actor=None, action="test.thing")
        return HttpResponse("ok")

    with override_settings(VARNA_TRUSTED_PROXY_COUNT=1):
        SecurityHeadersMiddleware(view)(_request("6.6.6.6, 192.0.2.44"))
    assert list(AuditEvent.objects.values_list("action", "ip_address")) == [("test.thing", "192.0.2.44")]
    assert audit.current_ip.get() is None  # reset after the request


@pytest.mark.parametrize(("value", "starts"), [("1", True), ("2", True), ("-1", False), ("11", False)])
def test_the_trusted_proxy_count_is_refused_outside_0_to_10(value: str, starts: bool) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "varna.settings.test", "VARNA_TRUSTED_PROXY_COUNT": value}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True,
                            text=True, check=False)
    assert (result.returncode == 0) is starts
    if not starts:
        assert "VARNA_TRUSTED_PROXY_COUNT must be between 0 and 10" in result.stderr
