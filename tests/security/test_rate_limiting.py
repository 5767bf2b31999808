"""Rate limits per client address (varna.core.ratelimit): login, the guide's answers, PDFs, surveys, anonymous
writes, and a check that every public URL is either cheap or limited."""

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


# --- floods found by attacking the public pages (issue #16); ASVS V11.1.4 -------------------------------

def _survey(sollentuna: Any, alice: Any) -> Any:
    import datetime as dt

    from django.utils import timezone

    from varna.situation import demo, services

    demo.load_districts(sollentuna)
    today = timezone.localdate()
    return services.survey_create(actor=alice, municipality=sollentuna, title="Enkät", questions=["seen-propaganda"],
                                  audiences=["school"], opens_on=today - dt.timedelta(days=1),
                                  closes_on=today + dt.timedelta(days=30))


def test_v11_1_4_the_public_survey_takes_at_most_30_answers_per_address_in_ten_minutes(
        sollentuna: Any, alice: Any) -> None:
    from varna.situation.models import SurveyAnswer

    survey = _survey(sollentuna, alice)
    url = f"/sollentuna/situation/survey/{survey.links.get().token}/"
    flood = Client(REMOTE_ADDR="198.51.100.7")
    answers = [flood.post(url, {"seen-propaganda": "yes"}) for _ in range(40)]
    assert [response.status_code for response in answers] == [200] * 30 + [429] * 10
    assert 1 <= int(answers[-1]["Retry-After"]) <= 601  # until the ten-minute window ends
    assert SurveyAnswer.objects.count() == 30
    # Another address answers as before, and reading the questions is not counted.
    assert Client(REMOTE_ADDR="198.51.100.8").post(url, {"seen-propaganda": "no"}).status_code == 200
    assert flood.get(url).status_code == 200


def test_v11_1_4_the_public_plan_pdf_is_rendered_once_and_downloads_are_limited_per_address(demo_plan: Any) -> None:
    client = Client(REMOTE_ADDR="198.51.100.9")
    url = f"/sollentuna/plans/{demo_plan.slug}/plan.pdf"
    with mock.patch("weasyprint.HTML.write_pdf", return_value=b"%PDF-1.7") as render, \
            override_settings(VARNA_RATE_LIMITS={"plan_pdf_downloads": (15, 3600)}):
        statuses = [client.get(url).status_code for _ in range(17)]
    # The approved version is rendered once; the downloads of it have their own limit per address.
    assert statuses == [200] * 15 + [429] * 2
    assert render.call_count == 1


def test_v11_1_4_renderings_of_the_plan_pdf_are_limited_per_address(verified_client: Any, demo_plan: Any,
                                                                    alice: Any) -> None:
    from varna.plans import services

    draft = services.version_create_draft(actor=alice, plan=demo_plan)
    client = verified_client(alice)
    client.defaults["REMOTE_ADDR"] = "198.51.100.19"
    url = f"/sollentuna/plans/{demo_plan.slug}/versions/{draft.number}/plan.pdf"
    # An hour's window, so that a slow machine doesn't cross into the next window half-way.
    with mock.patch("weasyprint.HTML.write_pdf", return_value=b"%PDF-1.7") as render, \
            override_settings(VARNA_RATE_LIMITS={"plan_pdf": (10, 3600)}):
        statuses = [client.get(url).status_code for _ in range(12)]
    # A draft is never cached: every download is a rendering, and renderings are limited to ten a minute.
    assert statuses == [200] * 10 + [429] * 2
    assert render.call_count == 10  # past the limit nothing is rendered


def test_v11_1_4_the_guide_is_limited_and_its_429_page_still_says_call_112(sollentuna: Any) -> None:
    client = Client(REMOTE_ADDR="198.51.100.10")
    client.cookies["django_language"] = "en"
    with override_settings(VARNA_RATE_LIMITS={"guidance": (2, 60)}):
        statuses = [client.post("/sollentuna/vart-vander-jag-mig/alder/", {}) for _ in range(3)]
    assert [response.status_code for response in statuses] == [303, 303, 429]
    page = statuses[-1].content.decode()
    assert "call 112" in page
    assert "/sollentuna/vart-vander-jag-mig/kontakter/" in page
    assert statuses[-1]["Cache-Control"].startswith("max-age=0, no-cache, no-store")


@override_settings(VARNA_RATE_LIMITS={"anonymous_write": (3, 60)})
def test_v11_1_4_every_anonymous_write_counts_in_one_scope_whatever_the_view(sollentuna: Any, bob: Any) -> None:
    client = Client(REMOTE_ADDR="198.51.100.11")
    statuses = [client.post(path, {}).status_code for path in (
        "/sollentuna/vart-vander-jag-mig/", "/account/login/", "/i18n/setlang/", "/sollentuna/plans/")]
    assert statuses[:3] != [429, 429, 429]
    assert statuses[3] == 429
    # A logged-in member is not counted here (their views have their own permissions and limits).
    member = Client(REMOTE_ADDR="198.51.100.11")
    member.force_login(bob)
    assert member.post("/i18n/setlang/", {"language": "en"}).status_code == 302


# Public URLs (anonymous visitors get them) that cost no more than an ordinary page. Every other URL an
# anonymous visitor reaches must declare a rate limit; a new public URL fails until it is in one of the two.
CHEAP_PUBLIC_PAGES = {
    "core:home", "core:municipality_home", "core:healthz", "core:login", "admin:login",
    "api:openapi-json", "api:openapi-view",
    "plans:plan_list", "plans:plan_overview", "plans:level_detail", "plans:activity_table", "plans:version_list",
    "plans:version_compare", "plans:version_overview", "plans:version_activity_table",
    "knowledge:index", "knowledge:laws", "knowledge:lexicon", "knowledge:milieus", "knowledge:paths",
    "knowledge:signs", "guidance:directory",
    # The guide's result page is put together from pieces kept in memory (ADR 0004); restarting and leaving
    # only delete its cookie. The questions themselves are limited (their POSTs).
    "guidance:result", "guidance:restart", "guidance:leave",
    "about:accessibility", "about:privacy",
}
# Reached with a secret in the address instead of a login: limited like a public URL.
SECRET_ADDRESS_URLS = {"situation:survey_answer", "meetings:calendar_feed"}


def _declared_limit(view: Any) -> Any:
    while view is not None:
        if hasattr(view, "varna_rate_limit"):
            return view.varna_rate_limit
        view = getattr(view, "__wrapped__", None)
    return None


def test_v11_1_4_every_url_an_anonymous_visitor_reaches_is_cheap_or_declares_a_limit() -> None:
    from django.urls import get_resolver

    from tests.security.test_authorization_matrix import load_table

    table = load_table()
    public = {name for name, entry in table["urls"].items()
              if entry["expect"].get("anonymous", entry["expect"].get("default")) in (200, 302)}
    public |= {name for name, entry in table["admin"].get("exceptions", {}).items() if entry.get("default") == 200}
    unlimited = []
    callbacks = {}
    for pattern, namespace in _patterns(get_resolver().url_patterns):
        callbacks[f"{namespace}:{pattern.name}" if namespace else pattern.name] = pattern.callback
    for name in sorted((public | SECRET_ADDRESS_URLS) - CHEAP_PUBLIC_PAGES):
        view = callbacks.get(name)
        if name.startswith("api:"):
            continue  # the API throttles every request in its authentication (api.auth.throttle)
        if view is None or _declared_limit(view) is None:
            unlimited.append(name)
    assert unlimited == [], "declare a rate limit on these public views, or list them in CHEAP_PUBLIC_PAGES"
    assert not (CHEAP_PUBLIC_PAGES & {"plans:plan_pdf", "plans:version_pdf"})


def _patterns(patterns: list[Any], namespace: str = "") -> Any:
    from django.urls import URLPattern, URLResolver

    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = (f"{namespace}:{entry.namespace}" if namespace and entry.namespace
                     else (entry.namespace or namespace))
            yield from _patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry, namespace
