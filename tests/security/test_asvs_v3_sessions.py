"""ASVS 4.0.3 V3: session management."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.security.conftest import PASSWORD, code_for

MEMBER_PAGE = "/sollentuna/manage/audit/"


def _session_key(client: Client) -> str | None:
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return cookie.value if cookie else None


def test_v3_2_1_a_new_session_is_issued_at_login(client: Client, bob: Any) -> None:
    session = client.session
    session["before_login"] = True
    session.save()
    before = _session_key(client)
    assert before
    assert client.post("/account/login/", {"email": bob.email, "password": PASSWORD}).status_code == 302
    after = _session_key(client)
    assert after
    assert after != before
    assert client.session.get("before_login") is True  # same visit, new identifier (cycle_key)


def test_v3_2_1_a_new_session_is_issued_when_the_second_factor_completes_login(client: Client, alice: Any) -> None:
    device = TOTPDevice.objects.create(user=alice, name="app", confirmed=True)
    client.get("/account/login/")
    client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    after_password = _session_key(client)
    assert after_password
    client.post("/account/two-factor/", {"code": code_for(device)})
    assert client.session["_auth_user_id"] == str(alice.pk)
    assert _session_key(client) != after_password


def _age_session(client: Client, *, idle: float, since_login: float) -> None:
    session = client.session
    now = time.time()
    session["varna_last_seen"] = now - idle
    session["varna_login_at"] = now - since_login
    session.save()


def test_v3_3_2_an_idle_session_ends_after_30_minutes(verified_client: Any, ada: Any) -> None:
    client = verified_client(ada)
    _age_session(client, idle=29 * 60, since_login=60 * 60)
    assert client.get(MEMBER_PAGE).status_code == 200
    _age_session(client, idle=30 * 60 + 5, since_login=60 * 60)
    response = client.get(MEMBER_PAGE)
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?expired=1"
    assert "_auth_user_id" not in client.session
    assert client.get(MEMBER_PAGE)["Location"].startswith("/account/login/")


def test_v3_3_2_every_session_ends_12_hours_after_login_however_active(verified_client: Any, ada: Any) -> None:
    client = verified_client(ada)
    _age_session(client, idle=10, since_login=12 * 60 * 60 - 60)
    assert client.get(MEMBER_PAGE).status_code == 200
    _age_session(client, idle=10, since_login=12 * 60 * 60 + 5)
    response = client.get(MEMBER_PAGE)
    assert response["Location"] == "/account/login/?expired=1"
    assert "_auth_user_id" not in client.session


def test_v3_3_2_the_timeouts_are_30_minutes_and_12_hours() -> None:
    assert settings.VARNA_SESSION_IDLE_SECONDS == 30 * 60
    assert settings.VARNA_SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


@pytest.fixture
def production_client(production_settings: dict[str, Any]) -> Any:
    with override_settings(**production_settings):
        yield Client()


def test_v3_4_1_session_cookie_is_secure_under_production_settings(production_client: Client, bob: Any) -> None:
    response = production_client.post("/account/login/", {"email": bob.email, "password": PASSWORD}, secure=True)
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] is True


def test_v3_4_2_session_cookie_is_http_only(production_client: Client, bob: Any) -> None:
    response = production_client.post("/account/login/", {"email": bob.email, "password": PASSWORD}, secure=True)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["httponly"] is True


def test_v3_4_3_session_cookie_is_same_site(production_client: Client, bob: Any) -> None:
    response = production_client.post("/account/login/", {"email": bob.email, "password": PASSWORD}, secure=True)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["samesite"] in ("Lax", "Strict")


def test_v3_4_1_to_3_csrf_and_language_cookies_have_the_same_flags(production_client: Client, db: Any) -> None:
    # (The login page lists the municipalities' identity providers, read from the database.)
    page = production_client.get("/account/login/", secure=True)
    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    assert (csrf["secure"], csrf["httponly"], csrf["samesite"]) == (True, True, "Lax")
    switched = production_client.post("/i18n/setlang/", {"language": "en", "next": "/"}, secure=True)
    language = switched.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert (language["secure"], language["httponly"], language["samesite"]) == (True, True, "Lax")


def test_v3_4_1_production_redirects_plain_http_to_https(production_client: Client, db: Any) -> None:
    response = production_client.get("/account/login/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


# --- API tokens end, and their owner sees when each was last used (issue #16) ---------------------------

def _api(token: str) -> int:
    return Client().get("/api/v1/sollentuna/plans", HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def test_v3_3_2_an_api_token_stops_working_when_it_expires(bob: Any, sollentuna: Any) -> None:
    import datetime as dt
    from unittest import mock

    from django.utils import timezone

    from varna.api import services

    token, raw = services.token_create(actor=bob, municipality=sollentuna, name="integration", days=30)
    assert token.expires_at - timezone.now() > dt.timedelta(days=29, hours=23)
    assert _api(raw) == 200
    later = timezone.now() + dt.timedelta(days=30, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert _api(raw) == 401
        token.refresh_from_db()
        assert not token.active
        assert token.expired


def test_v3_3_2_no_token_lives_longer_than_a_year(verified_client: Any, bob: Any, sollentuna: Any) -> None:
    from varna.api import services
    from varna.api.models import ApiToken

    for days in (0, 366, 3650):
        with pytest.raises(services.ApiTokenError):
            services.token_create(actor=bob, municipality=sollentuna, name="forever", days=days)
    client = verified_client(bob)
    client.post("/account/api-tokens/", {"name": "forever", "municipality": "sollentuna", "days": "100000"})
    assert not ApiToken.objects.exists()
    client.post("/account/api-tokens/", {"name": "a year", "municipality": "sollentuna", "days": "365"})
    assert ApiToken.objects.get().expires_at.date().year >= 2026


def test_v3_3_4_the_token_page_shows_when_each_token_was_last_used_and_when_it_ends(
        verified_client: Any, bob: Any, sollentuna: Any) -> None:
    from django.utils import timezone

    from varna.api import services

    token, raw = services.token_create(actor=bob, municipality=sollentuna, name="statistik", days=90)
    client = verified_client(bob)
    client.cookies["django_language"] = "en"
    assert "Never" in client.get("/account/api-tokens/").content.decode()
    assert _api(raw) == 200
    token.refresh_from_db()
    page = client.get("/account/api-tokens/").content.decode()
    assert timezone.localtime(token.last_used_at).strftime("%Y-%m-%d %H:%M") in page
    assert timezone.localtime(token.expires_at).strftime("%Y-%m-%d") in page
    assert "Expires" in page
    assert "Valid for" in page
