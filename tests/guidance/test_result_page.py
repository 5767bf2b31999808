"""The result page put together from public pieces: cheap on the database, fresh after every change, and
holding nothing that depends on what anyone answered (ADR 0004)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import parse_http_date

from tests.guidance import result_page
from varna.guidance import catalogue
from varna.guidance.models import Contact

URL = "/sollentuna/vart-vander-jag-mig/"
RELATIVE = {"asker": "relative", "age_band": "under_18", "immediate_danger": "no",
            "planning_violence": "no", "wants_to_leave": "no",
            "signs": ["heightened-hatred", "early-insecurity", "clear-extremist-media"]}
STAFF_IN_DANGER = {"asker": "municipal_staff", "age_band": "unknown", "immediate_danger": "yes"}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
show = result_page.show


def _add_local_contacts(municipality: Any, count: int) -> None:
    Contact.objects.bulk_create(Contact(municipality=municipality, key=f"extra-{n}", name=f"Extra {n}", phone="112")
                                for n in range(count))
    catalogue.bump_version()  # bulk_create sends no signals


def test_the_result_page_asks_the_database_only_for_the_municipality(
        client: Client, guide: Any, django_assert_max_num_queries: Any) -> None:
    show(client, RELATIVE)
    # Everything but the municipality in the address comes from memory.
    with django_assert_max_num_queries(1):
        assert show(client, RELATIVE).status_code == 200
    with django_assert_max_num_queries(1):
        assert show(client, STAFF_IN_DANGER, print_view=True).status_code == 200


def test_after_a_change_the_directory_is_read_in_a_fixed_number_of_queries(
        client: Client, guide: Any, django_assert_max_num_queries: Any) -> None:
    # Municipality, signs, contacts, its routing rules: however many contacts there are.
    with django_assert_max_num_queries(4):
        show(client, RELATIVE)
    _add_local_contacts(guide, 40)
    with django_assert_max_num_queries(4):
        assert show(client, RELATIVE).status_code == 200


def _kept_in_memory(municipality: Any) -> tuple[Any, ...]:
    """What the process keeps for the guide after a request (private attributes: this is what is at stake)."""
    data = catalogue.guide_data(municipality)
    pieces = {language: vars(page) for language, page in data._pages.by_language.items()}
    return dict(data.routes._routes), pieces


def test_what_the_guide_keeps_in_memory_is_the_same_whatever_was_answered(client: Client, guide: Any) -> None:
    kept = []
    for answers in (RELATIVE, STAFF_IN_DANGER, {**RELATIVE, "asker": "self", "signs": []}):
        catalogue.bump_version()  # start from nothing, as after a change to the directory
        assert show(client, answers).status_code == 200
        kept.append(_kept_in_memory(guide))
    assert kept[0] == kept[1] == kept[2]
    routes, pieces = kept[0]
    # Every language is prepared at once, not only the one of the person who asked first.
    assert set(pieces) == {"sv", "en"}


def test_the_result_page_needs_no_form_but_the_language_switch_keeps_a_working_token(guide: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get(URL)
    first = show(client, RELATIVE).content.decode()
    # "Printable version" and "Change my answers" are links now; only the language switch posts.
    tokens = TOKEN.findall(first)
    assert len(tokens) == 1
    assert TOKEN.findall(show(client, RELATIVE).content.decode())[0] != tokens[0]  # masked anew every time
    assert client.post("/i18n/setlang/", {"language": "en", "next": URL,
                                          "csrfmiddlewaretoken": tokens[0]}).status_code == 302
    assert not result_page.read(show(client, RELATIVE, print_view=True)).has_site_header


def test_the_result_page_tells_the_person_what_they_answered(client: Client, guide: Any) -> None:
    client.cookies["django_language"] = "en"
    html = result_page.read(show(client, {**RELATIVE, "wants_to_leave": "yes"})).html
    told = re.search(r'id="answers-heading">.*?</section>', html, re.DOTALL)
    assert told is not None
    for words in ("I am a parent or relative", "Age: Under 18", "Does the person want to leave an extremist group? "
                  "<strong>Yes</strong>", "Is the person planning or threatening violence? <strong>No</strong>",
                  'href="/sollentuna/knowledge/signs/#sign-clear-extremist-media"'):
        assert words in told.group(0)


def test_published_text_is_escaped_in_the_pieces(client: Client, guide: Any) -> None:
    Contact.objects.filter(municipality=guide, key="coordinator").update(name='<img src=x onerror="alert(1)">')
    catalogue.bump_version()
    page = result_page.read(show(client, {**RELATIVE, "signs": []}))
    assert "<img src=x" not in page.html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page.cards["coordinator"]


def test_a_contact_turns_stale_at_midnight_without_any_change(client: Client, guide: Any, monkeypatch: Any) -> None:
    year_ago = timezone.localdate() - dt.timedelta(days=365)
    Contact.objects.update(last_verified_at=year_ago)
    catalogue.bump_version()
    assert not result_page.read(show(client, RELATIVE)).warns_of_stale_contacts
    tomorrow = timezone.now() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    monkeypatch.setattr(catalogue.time, "time", tomorrow.timestamp)
    page = result_page.read(show(client, RELATIVE))
    assert page.warns_of_stale_contacts
    assert year_ago.isoformat() in page.cards["coordinator"]


def test_the_guide_is_never_stored_by_a_browser_or_proxy(client: Client, guide: Any) -> None:
    responses = [client.get(URL), client.post(URL, {"asker": "relative"}), show(client, RELATIVE)]
    expected = HttpResponse()
    add_never_cache_headers(expected)
    for response in responses:
        assert response["Cache-Control"] == expected["Cache-Control"]
        # Already expired when it arrives.
        assert parse_http_date(response["Expires"]) <= parse_http_date(expected["Expires"])


def test_a_misspelt_hole_in_the_layout_fails_loudly(monkeypatch: Any) -> None:
    from django.template import Context, Template

    from varna.guidance import result_page as pieces

    def render(template_name: str, context: dict[str, Any]) -> str:
        return Template("<ol>{{ hole.steps }}</ol><ul>{{ hole.stpes }}</ul>").render(Context(context))

    monkeypatch.setattr(pieces, "render_to_string", render)
    with pytest.raises(ValueError, match="stpes"):
        pieces.Frame.render("guidance/_result_frame.html", {})
