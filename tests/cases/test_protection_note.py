"""The case statistics say how their figures are protected: whole years of the published catalogue, not "≤5"
(issue 15)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import translation

from varna.disclosure.notes import protection_note
from varna.disclosure.suppression import INTERNAL, PUBLISHED


def test_the_statistics_page_states_the_rule_it_applies(cases_setup: Any, sten: Any, login: Any) -> None:
    page = login(sten).get(reverse("cases:statistics", args=["sollentuna"])).content.decode()
    with translation.override("sv"):
        assert page.count(protection_note(PUBLISHED, period="year").replace("'", "&#x27;")) == 1
        assert protection_note(INTERNAL).replace("'", "&#x27;") not in page
