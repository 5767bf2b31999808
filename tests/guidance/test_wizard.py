"""Walks the public guide through its real pages, the way a person without JavaScript would."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.client import Client as ClientType
from django.test.utils import CaptureQueriesContext

from tests.guidance import result_page
from varna.guidance import texts
from varna.guidance.engine import load_demo_rules

URL = "/sollentuna/vart-vander-jag-mig/"
HIDDEN = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">')
ALLOWED_COOKIES = {"csrftoken", "django_language"}


def _form_of(html: str) -> dict[str, list[str]]:
    """The hidden fields of the step's form, as the browser would send them back."""
    form = re.search(rf'<form method="post" action="{URL}"[^>]*>(.*?)</form>', html, re.DOTALL)
    assert form is not None
    data: dict[str, list[str]] = defaultdict(list)
    for name, value in HIDDEN.findall(form.group(1)):
        data[name].append(value)
    return data


def walk(client: ClientType, *, asker: str, age: str = "unknown", danger: bool = False, planning: bool = False,
         leave: bool = False, signs: tuple[str, ...] = (), responses: list[Any] | None = None) -> Any:
    """Answer every screen like a person would, posting back exactly what the page carries."""
    seen = responses if responses is not None else []
    response = client.get(URL)
    seen.append(response)
    answers = {"asker": asker, "age_band": age, "immediate_danger": "yes" if danger else "no",
               "planning_violence": "yes" if planning else "no", "wants_to_leave": "yes" if leave else "no"}
    while True:
        assert response.status_code == 200
        step = response.context.get("step")
        if step is None:  # the result page
            return response
        html = response.content.decode()
        data = _form_of(html)
        assert data.pop("step") == [step]
        if step == "signs":
            data["signs"] = list(signs)
        else:
            data[step] = [answers[step]]
        data["step"] = [step]
        response = client.post(URL, data)
        seen.append(response)


def contacts_in(response: Any) -> list[str]:
    return result_page.read(response).contacts


def test_first_screen_asks_who_is_asking_and_offers_a_quick_exit(client: Client, guide: Any) -> None:
    response = client.get(URL)
    html = response.content.decode()
    assert response.context["step"] == "asker"
    assert 'href="https://www.smhi.se" rel="noreferrer"' in html
    assert "Lämna sidan snabbt" in html
    assert response["Cache-Control"].count("no-store") == 1


def test_relative_worried_about_a_16_year_old_with_heightened_signs(client: Client, guide: Any) -> None:
    result = walk(client, asker="relative", age="under_18", signs=("heightened-hatred", "early-insecurity"))
    assert result_page.read(result).level == "heightened"
    keys = contacts_in(result)
    assert keys[:3] == ["coordinator", "social-services-intake", "relatives-line"]
    assert "no-store" in result["Cache-Control"]
    html = result.content.decode()
    assert 'href="tel:0857921322"' in html and 'href="tel:020100200"' in html
    # Each selected sign links to its knowledge page.
    assert 'href="/sollentuna/knowledge/signs/#sign-heightened-hatred"' in html
    assert 'href="/sollentuna/knowledge/signs/#sign-early-insecurity"' in html
    # The demo contacts were last verified in 2016: the warning is visible.
    assert result_page.read(result).warns_of_stale_contacts and "2016-04-07" in html


def test_staff_and_a_child_with_heightened_signs_shows_the_report_of_concern_duty(client: Client, guide: Any) -> None:
    client.cookies["django_language"] = "en"
    result = walk(client, asker="municipal_staff", age="under_18", signs=("heightened-symbols",))
    assert contacts_in(result)[0] == "social-services-intake"
    assert str(texts.DUTIES["report_of_concern"]) in result.content.decode()
    assert "Duties that apply to you" in result.content.decode()


def test_staff_with_early_signs_has_no_duty(client: Client, guide: Any) -> None:
    result = walk(client, asker="municipal_staff", age="under_18", signs=("early-low-trust",))
    page = result_page.read(result)
    assert page.level == "early" and not page.shows_duties
    assert contacts_in(result) == ["coordinator"]


def test_immediate_danger_goes_straight_to_112_first(client: Client, guide: Any) -> None:
    screens: list[Any] = []
    result = walk(client, asker="friend", age="adult", danger=True, responses=screens)
    assert result_page.read(result).level == "acute"
    assert contacts_in(result)[0] == "emergency-112"
    assert 'href="tel:112"' in result.content.decode()
    # Who, age, danger: then the answer, without the remaining questions in between.
    assert [r.context.get("step") for r in screens] == ["asker", "age_band", "immediate_danger", None]


def test_wanting_to_leave_routes_to_leaver_support_via_the_coordinator(client: Client, guide: Any) -> None:
    result = walk(client, asker="self", age="adult", leave=True)
    keys = contacts_in(result)
    assert keys.index("coordinator") < keys.index("leaver-support")
    assert "police-tips" in keys


def test_planned_violence_sends_to_the_police(client: Client, guide: Any) -> None:
    result = walk(client, asker="relative", age="adult", planning=True)
    assert result_page.read(result).level == "clear"
    assert contacts_in(result)[0] == "police-tips"
    assert "adult-psychiatry" in contacts_in(result)


@pytest.mark.parametrize("age,contact", [("under_18", "child-psychiatry"), ("adult", "adult-psychiatry")])
def test_age_decides_the_psychiatry_contact(client: Client, guide: Any, age: str, contact: str) -> None:
    result = walk(client, asker="relative", age=age, signs=("clear-extremist-media",))
    other = {"child-psychiatry", "adult-psychiatry"} - {contact}
    assert contact in contacts_in(result) and not other & set(contacts_in(result))


def test_a_young_person_asking_about_themself_gets_bris(client: Client, guide: Any) -> None:
    result = walk(client, asker="self", age="under_18")
    assert "bris" in contacts_in(result) and 'href="tel:116111"' in result.content.decode()


def test_no_signs_still_gives_a_contact(client: Client, guide: Any) -> None:
    result = walk(client, asker="other_professional", age="unknown")
    assert result_page.read(result).level == "none" and contacts_in(result) == ["coordinator"]


def test_an_unanswered_question_is_asked_again_with_a_message(client: Client, guide: Any) -> None:
    client.get(URL)
    response = client.post(URL, {"step": "asker"})
    assert response.context["step"] == "asker" and response.context["missing_answer"]
    response = client.post(URL, {"step": "asker", "asker": "hacker"})
    assert response.context["step"] == "asker"


def test_an_altered_form_with_earlier_answers_missing_starts_over_at_the_gap(client: Client, guide: Any) -> None:
    response = client.post(URL, {"step": "signs", "asker": "relative", "signs": ["heightened-hatred", "nope"]})
    assert response.context["step"] == "age_band"


def test_back_returns_to_the_previous_question_with_the_answer_kept(client: Client, guide: Any) -> None:
    response = client.post(URL, {"step": "immediate_danger", "asker": "relative", "age_band": "adult",
                                 "back": "1"})
    assert response.context["step"] == "age_band" and response.context["current"] == "adult"
    assert ("asker", "relative") in response.context["hidden"]


def test_the_printable_version_is_the_same_result_without_the_site_header(client: Client, guide: Any) -> None:
    data = {"step": "result", "asker": "relative", "age_band": "under_18", "immediate_danger": "no",
            "planning_violence": "no", "wants_to_leave": "no", "signs": ["heightened-hatred"], "view": "print"}
    response = client.post(URL, data)
    printable, screen = result_page.read(response), result_page.read(client.post(URL, {**data, "view": ""}))
    assert printable.level == screen.level == "heightened" and printable.contacts == screen.contacts
    assert screen.has_site_header and not printable.has_site_header
    assert "no-store" in response["Cache-Control"]


def test_answers_never_reach_the_url(client: Client, guide: Any) -> None:
    screens: list[Any] = []
    walk(client, asker="relative", age="under_18", signs=("heightened-hatred",), responses=screens)
    for response in screens:
        html = response.content.decode()
        assert all(action == URL for action in re.findall(r'<form method="post" action="([^"]*)"', html))
        assert "?" not in response.request["PATH_INFO"] and not response.request.get("QUERY_STRING")


def _row_counts() -> dict[str, int]:
    return {model._meta.db_table: model._base_manager.count() for model in apps.get_models()}


def test_completing_the_guide_changes_no_row_and_sets_no_other_cookie(guide: Any) -> None:
    before = _row_counts()
    client = Client(enforce_csrf_checks=True)
    screens: list[Any] = []
    with CaptureQueriesContext(connection) as queries:
        walk(client, asker="relative", age="under_18", leave=True, signs=("heightened-hatred", "clear-symbols-worn"),
             responses=screens)
    assert _row_counts() == before
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    for response in screens:
        assert set(response.cookies) <= ALLOWED_COOKIES
        assert "sessionid" not in response.cookies
    assert set(client.cookies) <= ALLOWED_COOKIES


def test_every_reason_and_duty_of_the_rules_has_a_sentence() -> None:
    rules = load_demo_rules()
    assert rules.reason_keys <= set(texts.REASONS)
    assert rules.duty_ids <= set(texts.DUTIES)


def test_every_contact_the_rules_name_is_in_the_demo_directory(guide: Any) -> None:
    from varna.guidance.selectors import directory_for

    assert load_demo_rules().referenced_contacts <= set(directory_for(guide))


@pytest.mark.parametrize("language,words", [("sv", "Vart vänder jag mig?"), ("en", "Where do I turn?")])
def test_the_guide_speaks_both_languages_and_is_in_the_menu(client: Client, guide: Any, language: str,
                                                            words: str) -> None:
    client.cookies["django_language"] = language
    html = client.get("/sollentuna/").content.decode()
    assert words in html and f'href="{URL}"' in html


def test_without_a_directory_the_guide_says_so_instead_of_failing(client: Client, taby: Any) -> None:
    response = client.post("/taby/vart-vander-jag-mig/", {"step": "signs", "asker": "relative", "age_band": "adult",
                                                           "immediate_danger": "no", "planning_violence": "no",
                                                           "wants_to_leave": "no"})
    assert response.status_code == 503 and "112" in response.content.decode()


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("path", [URL, URL + "kontakter/"])
def test_public_guidance_pages_work_in_both_languages(client: Client, guide: Any, path: str, language: str) -> None:
    client.cookies["django_language"] = language
    response = client.get(path)
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()
