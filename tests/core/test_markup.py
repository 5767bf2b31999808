"""Markup that assistive technology relies on: references between elements resolve, shared strings are translated."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from varna.plans.models import Plan

_IDREF_ATTRIBUTES = re.compile(r'\s(?:aria-describedby|aria-labelledby|aria-controls|for)="([^"]+)"')
_IDS = re.compile(r'\sid="([^"]+)"')


def _dangling_references(html: str) -> list[str]:
    ids = set(_IDS.findall(html))
    return [ref for refs in _IDREF_ATTRIBUTES.findall(html) for ref in refs.split() if ref not in ids]


def test_form_fields_point_at_their_help_and_error_texts(verified_client: Any, alice: Any, demo_plan: Plan) -> None:
    client = verified_client(alice)
    client.post(f"/sollentuna/plans/{demo_plan.slug}/versions/new/")
    base = f"/sollentuna/plans/{demo_plan.slug}/versions/2/"
    pages = [client.get(base + "activities/new/"),
             client.post(base + "activities/new/", {"lock_version": 0, "key": "not a slug", "cadence_kind": "x"}),
             Client().post("/account/login/", {"email": "not-an-address", "password": ""})]
    for response in pages:
        html = response.content.decode()
        assert _dangling_references(html) == []
    invalid = pages[1].content.decode()
    assert 'aria-describedby="id_key_helptext id_key_error"' in invalid
    assert 'id="id_key_helptext"' in invalid
    assert 'id="id_key_error"' in invalid


def test_the_shared_page_frame_is_translated(client: Client, db: Any) -> None:
    swedish = client.get("/account/login/").content.decode()
    assert "Skip to main content" not in swedish
    client.cookies["django_language"] = "en"
    assert "Skip to main content" in client.get("/account/login/").content.decode()
