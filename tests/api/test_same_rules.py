"""The API and the web form refuse the same input with the same words (issue #19): both parse, and the one
service decides. Shown with Täby, which has its own vocabulary (the 2024 template and a category of its own),
districts, units and plan, and nothing of Sollentuna's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.plans.second_municipality import import_approved, strategy_plan
from varna.api import services as api_services
from varna.core.models import Organisation
from varna.followup.models import ActivityLog
from varna.knowledge import services as knowledge
from varna.knowledge.models import Milieu
from varna.plans.models import Activity
from varna.situation import services as situation
from varna.situation.models import Observation

pytestmark = pytest.mark.django_db

COUNT = "n_female_15_17"
TOMORROW = (timezone.localdate() + dt.timedelta(days=1)).isoformat()


@pytest.fixture
def taby_world(taby: Any, tove: Any, make_person: Any) -> dict[str, Any]:
    knowledge.vocabulary_install(actor=tove, municipality=taby, edition="2024")
    knowledge.vocabulary_entry_create(actor=tove, municipality=taby, kind="category", key="skolhot",
                                      label="Hot mot skolor", label_en="Threats against schools")
    knowledge.vocabulary_entry_retire(actor=tove, municipality=taby,
                                      entry=Milieu.objects.get(municipality=taby, key="left-wing"))
    situation.district_upsert(municipality=taby, key="centrum", name="Täby centrum")
    steering = make_person("styr@taby.example", "steering_group", taby)
    import_approved(strategy_plan(), municipality=taby, coordinator=tove, approver=steering)
    return {"token": api_services.token_create(actor=tove, municipality=taby, name="t")[1]}


def _api(token: str, path: str, body: dict[str, Any], language: str) -> Any:
    return Client().post(f"/api/v1/taby/{path}", body, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE=language)


def _form(verified_client: Any, user: Any, path: str, data: dict[str, Any], language: str) -> Any:
    client = verified_client(user)
    client.cookies["django_language"] = language
    response = client.post(f"/taby/{path}", data)
    assert response.status_code == 200, response.status_code  # the form again, with its errors
    return response.context["form"].errors


# --- observations ----------------------------------------------------------------------------------

OBSERVATION = {"date": "2025-09-01", "district": "centrum", "category": "skolhot", "milieu": "mixed-ideology",
               "description": "Klistermärken vid busshållplatsen"}

# Täby's active milieus, in their order: left-wing is retired.
MILIEUS = ("Choose one of the municipality's milieus: autonomous, white-power, violent-islamist, unclear, "
           "right-wing, mixed-ideology, individual-ideology.")
# (what is wrong, the change to a good observation, the field, the English message)
BAD_OBSERVATIONS = [
    ("a day to come", {"date": TOMORROW}, "date", "The date can't be in the future."),
    ("a day before 2000", {"date": "1999-12-31"}, "date", "The date can't be before 2000-01-01."),
    ("a count over 999", {COUNT: 1000}, COUNT, "A count is a whole number from 0 to 999."),
    ("a negative count", {COUNT: -1}, COUNT, "A count is a whole number from 0 to 999."),
    ("a milieu of no one", {"milieu": "no-such-milieu"}, "milieu", MILIEUS),
    ("a retired milieu", {"milieu": "left-wing"}, "milieu", MILIEUS),
    ("a category of no one", {"category": "no-such-category"}, "category",
     "Choose one of the municipality's categories: propaganda, recruitment, threats, violence, online, "
     "relatives, gatherings, travel, other, skolhot."),
    ("a sign of no one", {"signs": ["no-such-sign"]}, "signs", "Choose signs from the municipality's list."),
    ("Sollentuna's district", {"district": "tureberg"}, "district", "Choose one of the municipality's districts."),
    ("an organisation of no one", {"source_organisation": "nobody"}, "source_organisation",
     "Choose one of the municipality's organisations."),
    ("a description over 500 characters", {"description": "x" * 501}, "description",
     "The description is longer than 500 characters."),
]


def _api_observation(change: dict[str, Any]) -> dict[str, Any]:
    body = {**OBSERVATION, **{k: v for k, v in change.items() if k != COUNT}}
    if COUNT in change:
        body["counts"] = {COUNT: change[COUNT]}
    return body


@pytest.mark.parametrize("language", ["en", "sv"])
@pytest.mark.parametrize(("wrong", "change", "field", "message"), BAD_OBSERVATIONS,
                         ids=[c[0] for c in BAD_OBSERVATIONS])
def test_an_observation_the_form_refuses_the_api_refuses_in_the_same_words(
        taby_world: Any, tove: Any, verified_client: Any, language: str, wrong: str, change: dict[str, Any],
        field: str, message: str) -> None:
    response = _api(taby_world["token"], "observations", _api_observation(change), language)
    assert response.status_code == 422, response.content
    said = response.json()["errors"][0]["message"]
    api_field = f"counts.{field}" if field == COUNT else field
    assert response.json() == {"detail": "refused", "errors": [{"field": api_field, "message": said}]}

    errors = _form(verified_client, tove, "situation/observations/new/", {**OBSERVATION, **change}, language)
    assert errors == {field: [said]}
    if language == "en":
        assert said == message
    else:
        assert said != message  # Swedish words, not the English ones
    assert not Observation.objects.exists()


@pytest.mark.parametrize("language", ["en", "sv"])
def test_personal_data_in_an_observation_is_refused_in_the_same_words(taby_world: Any, tove: Any,
                                                                      verified_client: Any, language: str) -> None:
    change = {"description": "Ring 070-123 45 67 om klistermärkena"}
    response = _api(taby_world["token"], "observations", _api_observation(change), language)
    assert response.status_code == 422
    said = [e["message"] for e in response.json()["errors"]]
    assert {e["field"] for e in response.json()["errors"]} == {"description"}
    assert said
    assert not any("070" in m for m in said)
    errors = _form(verified_client, tove, "situation/observations/new/", {**OBSERVATION, **change}, language)
    assert errors == {"description": said}
    assert not Observation.objects.exists()


def test_a_good_observation_is_saved_by_both(taby_world: Any, tove: Any, verified_client: Any) -> None:
    created = _api(taby_world["token"], "observations", _api_observation({COUNT: 999}), "en")
    assert created.status_code == 201, created.content
    client = verified_client(tove)
    assert client.post("/taby/situation/observations/new/", {**OBSERVATION, COUNT: 999}).status_code == 302
    assert [(o.category, o.milieu, o.district.key, getattr(o, COUNT)) for o in Observation.objects.all()] == [
        ("skolhot", "mixed-ideology", "centrum", 999)] * 2


# --- the activity log ------------------------------------------------------------------------------

LOG = {"date": "2025-09-01", "description": "Rutinen gicks igenom på ledningsmötet"}

BAD_LOGS = [
    ("a day to come", {"date": TOMORROW}, "date", "The date is in the future; log what has been done."),
    ("a link to an FTP server", {"link": "ftp://example.org/rutin.pdf"}, "link",
     "Enter a web address (http or https)."),
    ("a link that is no address", {"link": "http://"}, "link", "Enter a web address (http or https)."),
    ("too many participants", {"participants": 100_001}, "participants",
     "The number of participants is from 0 to 100000."),
    ("a description over 4000 characters", {"description": "x" * 4001}, "description",
     "Describe what was done in at most 4000 characters."),
]


@pytest.mark.parametrize("language", ["en", "sv"])
@pytest.mark.parametrize(("wrong", "change", "field", "message"), BAD_LOGS, ids=[c[0] for c in BAD_LOGS])
def test_a_log_entry_the_form_refuses_the_api_refuses_in_the_same_words(
        taby_world: Any, taby: Any, tove: Any, verified_client: Any, language: str, wrong: str,
        change: dict[str, Any], field: str, message: str) -> None:
    body = {"plan": "vbe-plan", "activity": "skyddsrutin", "unit": "trygg", **LOG, **change}
    response = _api(taby_world["token"], "activity-log", body, language)
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert response.json()["detail"] == "refused"
    assert [e["field"] for e in errors] == [field]
    said = errors[0]["message"]

    activity = Activity.objects.get(version__plan__municipality=taby, key="skyddsrutin")
    unit = Organisation.objects.get(municipality=taby, key="trygg")
    data = {"activity": activity.pk, "organisation": unit.pk, **LOG, **change}
    assert _form(verified_client, tove, "followup/log/new/", data, language) == {field: [said]}
    if language == "en":
        assert said == message
    else:
        assert said != message
    assert not ActivityLog.objects.exists()


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"activity": "samverkansmote", "plan": "no-such-plan"}, "plan", "No plan has this address name."),
    ({"activity": "implement-managers"}, "activity", "No activity of a plan version in force has this key."),
    ({"activity": "skyddsrutin", "unit": "buk"}, "unit", "No unit has this key."),
])
def test_the_api_names_the_key_that_matches_nothing(taby_world: Any, body: dict[str, Any], field: str,
                                                   message: str) -> None:
    # Sollentuna's activity and unit keys are nothing in Täby.
    response = _api(taby_world["token"], "activity-log", {**LOG, **body}, "en")
    assert response.status_code == 422
    assert response.json() == {"detail": "refused", "errors": [{"field": field, "message": message}]}
    assert not ActivityLog.objects.exists()
