"""Each page with figures says once how they are protected, and what it says is the profile it uses: the
catalogue of whole terms for published figures, "≤5" for the working group's own view, the plain published
rule for lists that are not by term. In Täby, the fixtures' other tenant, and in both languages."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from varna.disclosure.notes import protection_note
from varna.disclosure.suppression import INTERNAL, PUBLISHED


def _notes(html: str) -> dict[str, int]:
    with translation.override("sv"):
        texts = {"published": protection_note(PUBLISHED), "internal": protection_note(INTERNAL),
                 "plain": protection_note(PUBLISHED, catalogue=False)}
    return {name: html.count(text.replace("'", "&#x27;")) for name, text in texts.items()}


def test_the_notes_say_what_each_profile_does_in_both_languages() -> None:
    for language, words in [("sv", ("1 till 7", "hel termin", "≤5")), ("en", ("1 to 7", "whole term", "≤5"))]:
        with translation.override(language):
            assert words[0] in protection_note(PUBLISHED)
            assert words[1] in protection_note(PUBLISHED)
            assert words[2] in protection_note(INTERNAL)
            assert words[1] not in protection_note(INTERNAL)
            assert words[0] in protection_note(PUBLISHED, catalogue=False)
            assert words[1] not in protection_note(PUBLISHED, catalogue=False)


def test_the_steering_groups_dashboard_and_the_working_groups_say_their_own_profile(
        make_person: Any, taby: Any, verified_client: Any) -> None:
    steering = make_person("stina@taby.example", "steering_group", taby)
    working = make_person("wilma@taby.example", "working_group", taby)
    page = verified_client(steering).get("/taby/situation/").content.decode()
    assert _notes(page) == {"published": 1, "internal": 0, "plain": 0}
    page = verified_client(working).get("/taby/situation/").content.decode()
    assert _notes(page) == {"published": 0, "internal": 1, "plain": 0}


def test_the_annual_report_says_its_figures_are_published(tove: Any, verified_client: Any) -> None:
    page = verified_client(tove).get("/taby/report/?year=2026").content.decode()
    assert _notes(page) == {"published": 1, "internal": 0, "plain": 0}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_national_view_says_it_once(language: str, nils: Any, taby: Any, verified_client: Any) -> None:
    taby.national_opt_in = True
    taby.save()
    client = verified_client(nils)
    client.cookies["django_language"] = language
    page = client.get("/national/").content.decode()
    with translation.override(language):
        assert page.count(protection_note(PUBLISHED).replace("'", "&#x27;")) == 1
