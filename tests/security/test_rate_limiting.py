"""Rate limits per client address (varna.core.ratelimit): login now, the public guidance when it lands."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.utils import translation

from varna.core.ratelimit import client_address, rate_limit


@rate_limit("test", limit=3, window=60)
def _view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


@rate_limit("test-post", limit=1, window=60, methods=["POST"])
def _post_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def _get(address: str = "192.0.2.1", **meta: str) -> HttpResponse:
    return _view(RequestFactory().get("/", REMOTE_ADDR=address, **meta))


def test_requests_past_the_limit_get_429_with_retry_after() -> None:
    assert [_get().status_code for _ in range(4)] == [200, 200, 200, 429]
    refused = _get()
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 61


def test_the_429_page_is_translated() -> None:
    for _ in range(3):
        _get()
    with translation.override("sv"):
        assert "För många förfrågningar" in _get().content.decode()
    with translation.override("en"):
        assert "Too many requests" in _get().content.decode()


def test_other_addresses_are_counted_separately() -> None:
    for _ in range(3):
        _get("192.0.2.1")
    assert _get("192.0.2.1").status_code == 429
    assert _get("192.0.2.2").status_code == 200


def test_the_count_starts_again_in_the_next_window() -> None:
    with mock.patch("varna.core.ratelimit.time.time", return_value=1_000_020.0):
        assert [_get().status_code for _ in range(4)][-1] == 429
    with mock.patch("varna.core.ratelimit.time.time", return_value=1_000_080.0):
        assert _get().status_code == 200


def test_only_the_given_methods_are_counted() -> None:
    factory = RequestFactory()
    assert [_post_view(factory.get("/")).status_code for _ in range(5)] == [200] * 5
    assert [_post_view(factory.post("/")).status_code for _ in range(2)] == [200, 429]


def test_ipv6_clients_are_counted_per_64_block() -> None:
    for suffix in ("1", "2", "3"):
        _get(f"2001:db8:1:2::{suffix}")
    assert _get("2001:db8:1:2::ffff").status_code == 429
    assert _get("2001:db8:1:3::1").status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_address_counts_not_a_forged_one() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert client_address(request) == "10.0.0.1"
    with override_settings(VARNA_TRUSTED_PROXY_COUNT=1):
        # The client may write anything in front; only the entry our proxy appended is trusted.
        assert client_address(request) == "198.51.100.7"


@override_settings(VARNA_RATE_LIMITS={"test": (1, 60)})
def test_operators_tune_a_scope_in_settings() -> None:
    assert [_get().status_code for _ in range(2)] == [200, 429]


@override_settings(VARNA_RATE_LIMITS_ENABLED=False)
def test_limits_can_be_switched_off_for_load_tests() -> None:
    assert {_get().status_code for _ in range(10)} == {200}


@override_settings(VARNA_RATE_LIMITS={"login": (3, 60)})
def test_login_is_limited_per_address_across_accounts(client: Client, db: Any) -> None:
    answers = [client.post("/account/login/", {"email": f"person{n}@example.se", "password": "x" * 12}).status_code
               for n in range(4)]
    assert answers == [200, 200, 200, 429]
    assert client.get("/account/login/").status_code == 200  # reading the form is not counted


@pytest.mark.parametrize("scope", ["login"])
def test_the_login_views_declare_their_limit(scope: str) -> None:
    from varna.core import views

    assert views.login_view.varna_rate_limit[0] == scope
    assert views.two_factor.varna_rate_limit[0] == scope
