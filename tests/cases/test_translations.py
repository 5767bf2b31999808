"""The cases catalogue is complete in Swedish, and the pages render in Swedish by default."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from django.urls import reverse

PO = Path(__file__).resolve().parents[2] / "src/varna/cases/locale/sv/LC_MESSAGES/django.po"


def test_every_cases_message_has_a_swedish_translation() -> None:
    with PO.open("rb") as fh:
        catalog = read_po(fh)
    missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert missing == []


def test_the_case_page_is_in_swedish(case_a: Any, alice: Any, login: Any) -> None:
    page = login(alice).get(reverse("cases:case_detail", args=["sollentuna", case_a.code]))
    assert "Observerade tecken" in page.content.decode()
