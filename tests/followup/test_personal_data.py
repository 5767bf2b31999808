"""The activity log holds no personal data: every role that reads follow-up reads its free text, so the
personal-data guard runs in the service, and the web form and the API both refuse what it finds."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from tests.followup.test_pages import _activity, _unit
from varna.core.models import AuditEvent
from varna.followup import services
from varna.followup.models import ActivityLog

URL = "/sollentuna/followup/"

# What issue 15 saw saved and shown to the manager: a name, an identity number, a phone number, a street
# address; and an e-mail address.
PERSONAL = [
    ("Samtal med Anna Svensson om läget i klassen", "name"),
    ("Eleven med personnummer 850101-1236 deltog inte", "personal identity number"),
    ("Ring 070-123 45 67 efter mötet", "phone number"),
    ("Träffen hölls hemma på Storgatan 12", "street address"),
    ("Frågor till namn@example.se", "e-mail address"),
]
CLEAN = ["Gick igenom planen på APT med hela arbetslaget", "Föräldramöte i aulan med 40 deltagare",
         "Utbildning om tecken och symboler för personalen i Tureberg"]


@pytest.mark.parametrize(("text", "kind"), PERSONAL)
def test_the_service_refuses_a_description_with_personal_data(demo_plan: Any, alice: Any, sollentuna: Any,
                                                              text: str, kind: str) -> None:
    with translation.override("en"), pytest.raises(services.FollowupPersonalData) as refused:
        services.log_create(actor=alice, municipality=sollentuna,
                            activity=_activity(sollentuna, "implement-managers"), organisation=None,
                            date=dt.date(2026, 11, 1), description=text)
    assert kind in str(refused.value)
    # The refusal says what kind was found, never the text itself.
    assert not any(part in str(refused.value) for part in text.split() if any(ch.isdigit() for ch in part))
    assert "Svensson" not in str(refused.value)
    assert "example.se" not in str(refused.value)
    assert not ActivityLog.objects.exists()
    assert not AuditEvent.objects.filter(action="followup.log.created").exists()


@pytest.mark.parametrize("text", CLEAN)
def test_ordinary_descriptions_are_logged(demo_plan: Any, alice: Any, sollentuna: Any, text: str) -> None:
    activity = _activity(sollentuna, "implement-managers")
    log = services.log_create(actor=alice, municipality=sollentuna, activity=activity, organisation=None,
                              date=dt.date(2026, 11, 1), description=text)
    assert log.description == text


def test_the_form_shows_the_refusal_on_the_description_in_both_languages(client: Any, demo_plan: Any, bob: Any,
                                                                        sollentuna: Any) -> None:
    client.force_login(bob)
    data = {"activity": _activity(sollentuna, "implement-managers").pk, "organisation": _unit(sollentuna, "buk").pk,
            "date": "2026-11-01", "description": "Samtal med Anna Svensson", "participants": "1"}
    for language, words in [("sv", "läses av alla roller"), ("en", "read by every role")]:
        client.cookies["django_language"] = language
        response = client.post(URL + "log/new/", data)
        assert response.status_code == 200
        assert words in " ".join(response.context["form"].errors["description"])
    assert not ActivityLog.objects.exists()


def test_the_api_refuses_it_and_names_the_field(bob: Any, demo_plan: Any, client: Any) -> None:
    from varna.api import services as api_services
    from varna.plans.selectors import approved_activities_of

    secret = api_services.token_create(actor=bob, municipality=demo_plan.municipality, name="t")[1]
    key = approved_activities_of(demo_plan.municipality).first().key
    response = client.post("/api/v1/sollentuna/activity-log",
                           {"activity": key, "unit": "buk", "date": "2025-03-01",
                            "description": "Ring 070-123 45 67 efter mötet"},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 422
    body = response.json()
    assert {e["field"] for e in body["errors"]} == {"description"}
    assert "070" not in response.content.decode()
    assert not ActivityLog.objects.exists()
