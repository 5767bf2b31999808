"""Walks the public guide through its real pages, the way a person without JavaScript would."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client, override_settings
from django.test.client import Client as ClientType
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from tests.guidance import result_page
from varna.guidance import texts, wizard
from varna.guidance.engine import load_demo_rules

URL = "/sollentuna/vart-vander-jag-mig/"
RESULT = URL + "resultat/"
ALLOWED_COOKIES = {"csrftoken", "django_language", wizard.COOKIE}
ANSWER_VALUES = {"relative", "under_18", "adult", "municipal_staff", "heightened-hatred", "clear-symbols-worn"}


def walk(client: ClientType, *, asker: str, age: str = "unknown", danger: bool = False, planning: bool = False,
         leave: bool = False, signs: tuple[str, ...] = (), responses: list[Any] | None = None) -> Any:
    """Answer every screen like a person would: GET the question, POST the answer, follow the redirect."""
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
        # The form posts back to the question's own address and carries no answer of its own.
        form = re.search(rf'<form method="post" action="{response.request["PATH_INFO"]}"[^>]*>(.*?)</form>', html,
                         re.DOTALL)
        assert form is not None
        assert re.findall(r'type="hidden" name="([^"]+)"', form.group(1)) == ["csrfmiddlewaretoken"]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(1))
        data: dict[str, Any] = {"signs": list(signs)} if step == "signs" else {step: answers[step]}
        data["csrfmiddlewaretoken"] = token.group(1) if token else ""
        posted = client.post(response.request["PATH_INFO"], data)
        seen.append(posted)
        assert posted.status_code == 303, "every answer is answered by a redirect, so a reload never re-posts"
        response = client.get(posted["Location"])
        seen.append(response)


def contacts_in(response: Any) -> list[str]:
    return result_page.read(response).contacts


def test_first_screen_asks_who_is_asking_and_offers_a_quick_exit(client: Client, guide: Any) -> None:
    response = client.get(URL)
    html = response.content.decode()
    assert response.context["step"] == "asker"
    assert 'href="/sollentuna/vart-vander-jag-mig/lamna/" rel="noreferrer"' in html
    assert "Lämna sidan snabbt" in html
    assert "tryck Esc två gånger" in html
    # "Is someone in danger right now? Call 112" before the question itself.
    assert html.index('href="tel:112"') < html.index("<fieldset")
    assert "Ring 112" in html
    assert response["Cache-Control"].count("no-store") == 1


def test_relative_worried_about_a_16_year_old_with_heightened_signs(client: Client, guide: Any) -> None:
    result = walk(client, asker="relative", age="under_18", signs=("heightened-hatred", "early-insecurity"))
    assert result_page.read(result).level == "heightened"
    keys = contacts_in(result)
    assert keys[:3] == ["coordinator", "social-services-intake", "relatives-line"]
    assert "no-store" in result["Cache-Control"]
    html = result.content.decode()
    assert 'href="tel:0857921322"' in html
    assert 'href="tel:020100200"' in html
    # Each selected sign links to its knowledge page.
    assert 'href="/sollentuna/knowledge/signs/#sign-heightened-hatred"' in html
    assert 'href="/sollentuna/knowledge/signs/#sign-early-insecurity"' in html
    # The demo's own contacts were last verified in 2016: a quiet note says so, without an alarm box.
    page = result_page.read(result)
    assert page.warns_of_stale_contacts
    assert "2016-04-07" in page.cards["coordinator"]
    assert 'data-color="warning"' not in page.cards["coordinator"]


def test_staff_and_a_child_with_heightened_signs_shows_the_report_of_concern_duty(client: Client, guide: Any) -> None:
    client.cookies["django_language"] = "en"
    result = walk(client, asker="municipal_staff", age="under_18", signs=("heightened-symbols",))
    assert contacts_in(result)[0] == "social-services-intake"
    assert str(texts.DUTIES["report_of_concern"]) in result.content.decode()
    assert "Duties that apply to you" in result.content.decode()


def test_staff_with_early_signs_has_no_duty(client: Client, guide: Any) -> None:
    result = walk(client, asker="municipal_staff", age="under_18", signs=("early-low-trust",))
    page = result_page.read(result)
    assert page.level == "early"
    assert not page.shows_duties
    assert contacts_in(result) == ["coordinator"]


def test_immediate_danger_goes_straight_to_112_first(client: Client, guide: Any) -> None:
    screens: list[Any] = []
    result = walk(client, asker="friend", age="adult", danger=True, responses=screens)
    assert result_page.read(result).level == "acute"
    assert contacts_in(result)[0] == "emergency-112"
    assert 'href="tel:112"' in result.content.decode()
    # Who, age, danger: then the answer, without the remaining questions in between.
    shown = [r.context.get("step") for r in screens if r.request["REQUEST_METHOD"] == "GET"]
    assert shown == ["asker", "age_band", "immediate_danger", None]
    # On the acute result the big 112 button comes before anything else on the page.
    main = result.content.decode().split('<main id="main"', 1)[1]
    assert main.index('href="tel:112"') < main.index('class="ds-alert level')


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


@pytest.mark.parametrize(("age", "contact"), [("under_18", "child-psychiatry"), ("adult", "adult-psychiatry")])
def test_age_decides_the_psychiatry_contact(client: Client, guide: Any, age: str, contact: str) -> None:
    result = walk(client, asker="relative", age=age, signs=("clear-extremist-media",))
    other = {"child-psychiatry", "adult-psychiatry"} - {contact}
    assert contact in contacts_in(result)
    assert not other & set(contacts_in(result))


def test_a_young_person_asking_about_themself_gets_bris(client: Client, guide: Any) -> None:
    result = walk(client, asker="self", age="under_18")
    assert "bris" in contacts_in(result)
    assert 'href="tel:116111"' in result.content.decode()


def test_no_signs_still_gives_a_contact(client: Client, guide: Any) -> None:
    result = walk(client, asker="other_professional", age="unknown")
    assert result_page.read(result).level == "none"
    assert contacts_in(result) == ["coordinator"]


def test_an_unanswered_question_is_asked_again_with_a_message(client: Client, guide: Any) -> None:
    client.get(URL)
    for data in ({}, {"asker": "hacker"}):
        response = client.post(URL, data)
        assert response.status_code == 303
        assert response["Location"] == URL + "?saknas=1"
        again = client.get(response["Location"])
        assert again.context["step"] == "asker"
        assert again.context["missing_answer"]
        assert wizard.COOKIE not in response.cookies


def test_a_later_question_without_the_earlier_answers_sends_back_to_the_gap(client: Client, guide: Any) -> None:
    assert client.get(URL + "tecken/")["Location"] == URL
    assert client.get(RESULT)["Location"] == URL
    client.post(URL, {"asker": "relative"})
    assert client.get(URL + "vald/")["Location"] == URL + "alder/"
    # A posted answer to a later question does not jump the gap either.
    client.post(URL + "tecken/", {"signs": ["heightened-hatred", "nope"]})
    assert client.get(RESULT)["Location"] == URL + "alder/"


def test_back_is_a_link_to_the_previous_question_with_the_answer_kept(client: Client, guide: Any) -> None:
    client.post(URL, {"asker": "relative"})
    client.post(URL + "alder/", {"age_band": "adult"})
    danger = client.get(URL + "fara/")
    assert danger.context["back_url"] == URL + "alder/"
    assert f'<a class="ds-link" href="{URL}alder/">Tillbaka</a>' in danger.content.decode()
    age = client.get(URL + "alder/")
    assert age.context["current"] == "adult"
    assert age.context["back_url"] == URL
    assert client.get(URL).context["back_url"] is None


def test_reloading_any_screen_repeats_a_get_and_shows_the_same_screen(client: Client, guide: Any) -> None:
    screens: list[Any] = []
    walk(client, asker="relative", age="under_18", signs=("heightened-hatred",), responses=screens)
    for response in screens:
        if response.request["REQUEST_METHOD"] == "GET":
            again = client.get(response.request["PATH_INFO"])
            assert again.status_code == 200
            assert again.context.get("step") == response.context.get("step")


def test_change_my_answers_leads_to_the_last_question_asked(client: Client, guide: Any) -> None:
    calm = walk(client, asker="relative", age="adult").content.decode()
    assert f'href="{URL}tecken/">Ändra mina svar' in calm
    acute = walk(client, asker="relative", age="adult", danger=True).content.decode()
    assert f'href="{URL}fara/">Ändra mina svar' in acute


def test_start_again_and_quick_exit_forget_the_answers(client: Client, guide: Any) -> None:
    for address, target in ((URL + "borja-om/", URL), (URL + "lamna/", "https://www.smhi.se")):
        walk(client, asker="relative", age="adult")
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"] == target
        cookie = response.cookies[wizard.COOKIE]
        assert cookie.value == ""
        assert cookie["max-age"] == 0
        assert cookie["path"] == URL
        assert client.get(RESULT)["Location"] == URL


def test_the_printable_version_is_the_same_result_without_the_site_header(client: Client, guide: Any) -> None:
    walk(client, asker="relative", age="under_18", signs=("heightened-hatred",))
    response = client.get(RESULT + "?utskrift=1")
    printable, screen = result_page.read(response), result_page.read(client.get(RESULT))
    assert printable.level == screen.level == "heightened"
    assert printable.contacts == screen.contacts
    assert screen.has_site_header
    assert not printable.has_site_header
    assert "no-store" in response["Cache-Control"]


def test_answers_never_reach_an_address_and_travel_encrypted(client: Client, guide: Any) -> None:
    screens: list[Any] = []
    walk(client, asker="relative", age="under_18", signs=("heightened-hatred",), responses=screens)
    for response in screens:
        addresses = [response.request["PATH_INFO"] + "?" + response.request.get("QUERY_STRING", ""),
                     response.get("Location", "")]
        # What a browser sends when it follows a link: the fragment (a sign's anchor) never leaves the device.
        addresses += [link.split("#", 1)[0] for link in re.findall(r'(?:href|action)="([^"]*)"',
                                                                   response.content.decode())]
        assert not [a for a in addresses if any(value in a for value in ANSWER_VALUES)]
        if wizard.COOKIE in response.cookies:
            cookie = response.cookies[wizard.COOKIE]
            assert not any(value in cookie.value for value in ANSWER_VALUES)
            assert cookie["httponly"]
            assert cookie["samesite"] == "Lax"
            assert cookie["path"] == URL
            assert not cookie["max-age"]
            assert not cookie["expires"]


def test_an_altered_expired_or_foreign_cookie_counts_as_no_answers(client: Client, guide: Any) -> None:
    state = wizard.WizardState(answers={"asker": "relative", "age_band": "adult", "immediate_danger": "yes"})
    token = wizard.dump(state)
    known = {"heightened-hatred"}
    assert wizard.load(token, known) == state
    assert wizard.load(token[:-4] + "AAAA", known) == wizard.WizardState()
    assert wizard.load("x" * 10_000, known) == wizard.WizardState()
    old = wizard.dump(state, now=time.time() - wizard.LIFETIME - 5)
    assert wizard.load(old, known) == wizard.WizardState()
    client.cookies[wizard.COOKIE] = old
    assert client.get(RESULT)["Location"] == URL
    # Encrypted under another installation's secret: unreadable here.
    with override_settings(SECRET_KEY="another-installation-" + "z" * 40):
        foreign = wizard.dump(state)
    assert wizard.load(foreign, known) == wizard.WizardState()


@given(answers=st.dictionaries(st.sampled_from([*wizard.CHOICES, "other", "signs"]),
                               st.one_of(st.text(max_size=20), st.integers(), st.none(), st.lists(st.text()))),
       signs=st.lists(st.text(max_size=30)), done=st.one_of(st.booleans(), st.integers(), st.text()))
def test_whatever_a_cookie_holds_only_known_choices_come_out(answers: dict[str, Any], signs: list[Any],
                                                             done: Any) -> None:
    import json

    token = wizard._fernet().encrypt(json.dumps({"a": answers, "s": signs, "d": done}).encode()).decode()
    state = wizard.load(token, {"heightened-hatred"})
    assert all(value in wizard.CHOICES[name] for name, value in state.answers.items())
    assert set(state.signs) <= {"heightened-hatred"}
    assert state.signs_answered in (True, False)


def test_an_error_report_never_shows_the_answers_cookie(rf: Any) -> None:
    from django.views.debug import SafeExceptionReporterFilter

    request = rf.get(RESULT)
    request.COOKIES[wizard.COOKIE] = wizard.dump(wizard.WizardState(answers={"asker": "relative"}))
    safe = SafeExceptionReporterFilter().get_safe_cookies(request)
    assert safe[wizard.COOKIE] == SafeExceptionReporterFilter.cleansed_substitute


def test_an_unknown_question_is_not_found(client: Client, guide: Any) -> None:
    assert client.get(URL + "inte-en-fraga/").status_code == 404


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
    assert all(not client.cookies[name]["max-age"] for name in client.cookies)


def test_every_reason_and_duty_of_the_rules_has_a_sentence() -> None:
    rules = load_demo_rules()
    assert rules.reason_keys <= set(texts.REASONS)
    assert rules.duty_ids <= set(texts.DUTIES)


def test_every_contact_the_rules_name_is_in_the_demo_directory(guide: Any) -> None:
    from varna.guidance.selectors import directory_for

    assert load_demo_rules().referenced_contacts <= set(directory_for(guide))


@pytest.mark.parametrize(("language", "words"), [("sv", "Vart vänder jag mig?"), ("en", "Where do I turn?")])
def test_the_guide_speaks_both_languages_and_is_in_the_menu(client: Client, guide: Any, language: str,
                                                            words: str) -> None:
    client.cookies["django_language"] = language
    html = client.get("/sollentuna/").content.decode()
    assert words in html
    assert f'href="{URL}"' in html


def test_without_a_directory_the_guide_says_so_instead_of_failing(client: Client, taby: Any) -> None:
    response = result_page.show(client, {"asker": "relative", "age_band": "adult", "immediate_danger": "no",
                                         "planning_violence": "no", "wants_to_leave": "no", "signs": []},
                                municipality="taby")
    assert response.status_code == 503
    assert "112" in response.content.decode()


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("path", [URL, URL + "kontakter/"])
def test_public_guidance_pages_work_in_both_languages(client: Client, guide: Any, path: str, language: str) -> None:
    client.cookies["django_language"] = language
    response = client.get(path)
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()
