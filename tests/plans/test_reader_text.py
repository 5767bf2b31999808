"""Readers never see internal activity keys: the plan's prose names the activities instead."""

from __future__ import annotations

from typing import Any

from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from varna.plans.text import without_keys

NAMES = {"prevent-working-group-meetings": "Arbetsgruppen träffas", "detect-situation-mapping": "Lägesbild"}


def test_keys_in_prose_become_the_activities_names() -> None:
    text = "Träffas två gånger per termin (prevent-working-group-meetings, detect-situation-mapping)."
    assert without_keys(text, NAMES) == "Träffas två gånger per termin (Arbetsgruppen träffas, Lägesbild)."


def test_hyphenated_words_and_addresses_that_are_not_keys_stay() -> None:
    text = "Se https://example.se/detect-situation-mapping och e-post, ett icke-key-ord och HT-2026."
    assert without_keys(text, NAMES) == text


@given(st.text())
def test_text_without_a_known_key_is_left_as_it_is(text: str) -> None:
    assert without_keys(text.replace("prevent-working-group-meetings", "").replace("detect-situation-mapping", ""),
                        NAMES) == text.replace("prevent-working-group-meetings", "").replace(
        "detect-situation-mapping", "")


def test_the_public_plan_page_shows_no_activity_key(client: Client, demo_plan: Any) -> None:
    html = client.get(f"/sollentuna/plans/{demo_plan.slug}/").content.decode()
    recommendations = html.split("how the plan meets", 1)[-1] if "how the plan meets" in html else html
    assert "(prevent-working-group-meetings" not in recommendations
    assert "prevent-parent-support)" not in html
