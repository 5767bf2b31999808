"""A visitor gets a public plan page of an approved version whole from the cache (`rendercache.page`), with a
CSRF token of their own; a signed-in reader, a waiting message and a made-up address get it rendered; whatever
the page shows still changes its key, so a change shows at the next request."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.test import Client

from varna.core.models import Organisation, User
from varna.plans import services

BASE = "/taby/plans/brottsforebyggande/"
PAGES = [BASE, BASE + "levels/situation/", BASE + "activities/", BASE + "activities/?cadence=per_year"]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def taby_plan(taby: Any, make_person: Any) -> Any:
    """Täby's crime-prevention plan (its own level set), approved, with one unit responsible."""
    from django.utils import timezone

    coordinator = make_person("tove@taby.example", "coordinator", taby)
    taby.plan_approval_role = "coordinator"
    taby.save()
    unit = Organisation.objects.create(municipality=taby, key="fritid-norr", name="Fritidsgårdarna norr",
                                       kind="leisure")
    plan = services.plan_create(actor=coordinator, municipality=taby, title="Täbys brottsförebyggande plan",
                                slug="brottsforebyggande", level_set="crime-prevention-2023")
    version = plan.versions.get()
    services.activity_save(
        actor=coordinator, version=version, level=version.levels.get(key="situation"), key="trygghetsvandring",
        direction="Trygghetsvandringar i centrum", action="Vandring med föreningarna", responsible=[unit],
        responsible_text="", cadence_kind="per_year", cadence_count=1, when_text="Oktober", expected_lock=None)
    services.version_approve_as_operator(version=version, decision=services.Decision(
        body_kind="executive_board", body="Kommunstyrelsen", date=timezone.localdate()))
    return plan


def _pages() -> list[str]:
    return [key for key in cache._cache if ":render:page." in key]  # type: ignore[attr-defined]  # local memory


@pytest.mark.parametrize("url", PAGES)
def test_a_visitor_gets_the_cached_page_with_a_token_and_cookie_of_their_own(taby_plan: Any, url: str) -> None:
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    built = first.get(url)
    assert built.status_code == 200
    assert built.context is not None  # rendered, then kept
    assert len(_pages()) == 1
    served = second.get(url)
    assert served.status_code == 200
    assert served.context is None  # no template rendered: the kept page
    html = served.content.decode()
    assert "Täbys brottsförebyggande plan" in html
    assert "placeholder" not in html
    tokens = TOKEN.findall(html)
    assert len(tokens) == 1
    assert tokens != TOKEN.findall(built.content.decode())
    assert "csrftoken" in served.cookies
    # The token is the visitor's own: the header's language form is accepted with it, and refused without it.
    assert second.post("/i18n/setlang/", {"language": "en", "next": url, "csrfmiddlewaretoken": tokens[0]},
                       HTTP_REFERER="http://testserver" + url).status_code == 302
    assert Client(enforce_csrf_checks=True).post("/i18n/setlang/", {"language": "en", "next": url}).status_code == 403
    assert TOKEN.sub("", html) == TOKEN.sub("", built.content.decode())


def test_a_signed_in_reader_never_gets_the_visitors_page(client: Client, taby_plan: Any, make_person: Any) -> None:
    Client().get(BASE)
    assert len(_pages()) == 1
    reader = make_person("ulla.reader@taby.example", "staff", taby_plan.municipality)
    client.force_login(reader)
    response = client.get(BASE)
    assert response.context is not None  # rendered for them
    html = response.content.decode()
    assert "Logga ut" in html
    assert "Logga in" not in html
    assert len(_pages()) == 1  # and not kept


def test_a_waiting_message_is_shown_and_the_page_not_kept(client: Client, taby_plan: Any) -> None:
    client.get(BASE)
    carrier = HttpResponse()
    CookieStorage(HttpRequest())._store([Message(constants.INFO, "Tack, ditt val är sparat.")], carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value
    shown = client.get(BASE).content.decode()
    assert "Tack, ditt val är sparat." in shown
    assert "Tack, ditt val är sparat." not in client.get(BASE).content.decode()  # shown once, as always
    assert "Tack, ditt val är sparat." not in Client().get(BASE).content.decode()  # and never to anyone else


@pytest.mark.parametrize("query", ["?utm_source=x", "?cadence=per_year&cadence=per_term", "?page=2"])
def test_a_made_up_address_is_rendered_but_never_kept(client: Client, taby_plan: Any, query: str) -> None:
    for _ in range(2):
        response = client.get(BASE + "activities/" + query)
        assert response.status_code == 200
        assert response.context is not None
    assert _pages() == []


def test_a_renamed_unit_and_a_new_review_interval_show_at_once(client: Client, taby_plan: Any) -> None:
    for url in PAGES:
        assert "Fritidsgårdarna norr" in client.get(url).content.decode() or url == BASE
    Organisation.objects.filter(key="fritid-norr").update(name="Fritidsgården Näsby")
    for url in PAGES[1:]:
        html = client.get(url).content.decode()
        assert "Fritidsgården Näsby" in html, url
        assert "Fritidsgårdarna norr" not in html, url
    before = client.get(BASE).content.decode()
    coordinator = User.objects.get(email="tove@taby.example")
    services.plan_review_interval_set(actor=coordinator, plan=taby_plan, months=18)
    assert client.get(BASE).content.decode() != before
