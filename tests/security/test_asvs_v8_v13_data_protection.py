"""ASVS 4.0.3 V8.2.1 (no caching of sensitive pages), V8.3.1 (nothing sensitive in query strings),
V13.1.3 (no tokens in URLs)."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.test import Client

from tests.security.conftest import PASSWORD
from varna.plans.models import Plan

PLAN = "/sollentuna/plans/handlingsplan-vbe/"


def _no_store(response: Any) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives and "public" not in directives


def test_v8_2_1_every_page_for_a_logged_in_user_is_no_store(verified_client: Any, alice: Any,
                                                            demo_plan: Plan) -> None:
    client = verified_client(alice)
    for path in ["/sollentuna/", PLAN, PLAN + "activities/", "/sollentuna/manage/audit/", PLAN + "plan.pdf",
                 "/does-not-exist/"]:
        response = client.get(path)
        assert _no_store(response), f"{path}: {response.get('Cache-Control')}"


def test_v8_2_1_login_and_two_factor_pages_are_no_store_for_everyone(client: Client, alice: Any) -> None:
    assert _no_store(client.get("/account/login/"))
    client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    assert _no_store(client.get("/account/two-factor/"))  # shows the authenticator secret when enrolling


def test_v8_2_1_public_pages_may_be_cached_for_anonymous_readers(client: Client, demo_plan: Plan) -> None:
    assert "no-store" not in client.get(PLAN).get("Cache-Control", "")


def test_v8_2_1_case_pages_are_no_store_whoever_asks() -> None:
    assert "cases" in settings.VARNA_NO_STORE_NAMESPACES


def test_v8_3_1_login_sends_credentials_in_the_body_not_the_address(client: Client, bob: Any) -> None:
    html = client.get("/account/login/").content.decode()
    assert re.search(r'<form[^>]*method="post"', html)
    # Credentials in a query string are ignored, so that they never become a habit (or a log line).
    response = client.get("/account/login/", {"email": bob.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_v8_3_1_the_one_time_code_is_posted_too(client: Client, alice: Any) -> None:
    client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    html = client.get("/account/two-factor/").content.decode()
    assert re.search(r'<form[^>]*method="post"', html)


_TOKEN_PARAMETER = re.compile(r"[?&](?:[^=&\"'#]*(?:token|secret|session|password|passwd|key|code|otp|csrf)[^=&]*)=",
                              re.IGNORECASE)
_URL_ATTRIBUTE = re.compile(r'(?:href|src|action|formaction|hx-get|hx-post)="([^"]*)"')


def test_v13_1_3_no_page_puts_a_token_or_secret_into_a_url(verified_client: Any, alice: Any,
                                                           demo_plan: Plan) -> None:
    pages = {"/", "/account/login/", "/sollentuna/", PLAN, PLAN + "versions/", PLAN + "activities/",
             "/sollentuna/manage/audit/"}
    client = verified_client(alice)
    secrets = {client.cookies[settings.SESSION_COOKIE_NAME].value}
    checked = 0
    for path in sorted(pages):
        response = client.get(path, follow=True)
        urls = _URL_ATTRIBUTE.findall(response.content.decode())
        assert urls, path
        checked += len(urls)
        for url in urls:
            if url.startswith("data:"):
                continue
            assert not _TOKEN_PARAMETER.search(url), f"{path}: token-like parameter in {url}"
            assert not any(secret in url for secret in secrets), f"{path}: session id in {url}"
            assert "csrfmiddlewaretoken" not in url
    assert checked > 50


def test_v13_1_3_redirects_after_login_carry_no_token(client: Client, bob: Any) -> None:
    response = client.post("/account/login/", {"email": bob.email, "password": PASSWORD, "next": PLAN})
    assert response["Location"] == PLAN


def test_v8_2_2_the_guide_leaves_no_cookie_that_outlives_the_browser_session(sollentuna: Any) -> None:
    from tests.guidance.test_wizard import ALLOWED_COOKIES

    client = Client()
    pages = [client.get("/sollentuna/vart-vander-jag-mig/"),
             client.post("/sollentuna/vart-vander-jag-mig/", {"asker": "relative"}),
             client.post("/i18n/setlang/", {"language": "en", "next": "/sollentuna/vart-vander-jag-mig/"})]
    set_cookies = {name: morsel for response in pages for name, morsel in response.cookies.items()}
    assert set(set_cookies) == ALLOWED_COOKIES
    for name, morsel in set_cookies.items():
        assert not morsel["expires"], f"{name} would outlive the browser session"
        assert not morsel["max-age"], f"{name} would outlive the browser session"
