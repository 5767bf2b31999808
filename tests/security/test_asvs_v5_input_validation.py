"""ASVS 4.0.3 V5.1: input validation. Every path in (form, file import, API) goes through the same service rules,
so no path accepts what another refuses (issue #16: the API took observation dates the form refuses)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

API = "/api/v1/sollentuna/observations"


@pytest.fixture
def districts(sollentuna: Any) -> dict[str, Any]:
    from varna.situation import demo

    return {d.key: d for d in demo.load_districts(sollentuna)}


@pytest.fixture
def token(walter: Any, sollentuna: Any) -> str:
    from varna.api import services

    return services.token_create(actor=walter, municipality=sollentuna, name="test")[1]


def _post(token: str, **values: Any) -> Any:
    body = {"date": "2025-03-10", "district": "tureberg", "category": "propaganda", "milieu": "white-power",
            **values}
    return Client().post(API, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
                         HTTP_ACCEPT_LANGUAGE="en")


def _values(districts: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    from varna.situation.choices import COUNT_FIELDS

    return {"date": dt.date(2025, 3, 10), "district": districts["tureberg"], "category": "propaganda",
            "milieu": "white-power", "signs": [], "source_organisation": None, "description": "",
            **{name: 0 for name, _g, _a in COUNT_FIELDS}, **overrides}


@pytest.mark.parametrize(("day", "message"), [
    ("1900-01-01", "The date can't be before 2000-01-01."),
    ((timezone.localdate() + dt.timedelta(days=400)).isoformat(), "The date can't be in the future."),
])
def test_v5_1_3_the_api_refuses_observation_dates_the_form_refuses(token: str, districts: Any, day: str,
                                                                   message: str) -> None:
    from varna.situation.models import Observation, ObservationRollup

    response = _post(token, date=day)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "date", "message": message}]
    assert not Observation.objects.exists()
    assert not ObservationRollup.objects.exists()


def test_v5_1_3_the_form_refuses_the_same_dates(client: Client, walter: Any, districts: Any) -> None:
    client.force_login(walter)
    client.cookies["django_language"] = "en"
    response = client.post("/sollentuna/situation/observations/new/", {
        "date": "1900-01-01", "district": "tureberg", "category": "propaganda", "milieu": "white-power"})
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == ["The date can't be before 2000-01-01."]


def test_v5_1_3_the_api_refuses_counts_the_form_refuses(token: str, districts: Any) -> None:
    from varna.situation.models import Observation

    response = _post(token, counts={"n_male_15_17": 5000})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "counts.n_male_15_17",
                                          "message": "A count is a whole number from 0 to 999."}]
    assert not Observation.objects.exists()
    assert _post(token, counts={"n_male_15_17": 999}).status_code == 201


def test_v5_1_3_the_service_refuses_them_whoever_calls_it(walter: Any, sollentuna: Any, districts: Any) -> None:
    from varna.situation import services

    for values in (_values(districts, date=dt.date(1900, 1, 1)), _values(districts, n_male_15_17=1000)):
        with pytest.raises(services.InvalidValue):
            services.observation_create(actor=walter, municipality=sollentuna, values=values)
        with pytest.raises(services.InvalidValue):
            services.observations_import(actor=walter, municipality=sollentuna, rows=[values])


def test_v5_1_3_an_imported_row_dated_1900_is_reported_by_its_row(client: Client, walter: Any, districts: Any) -> None:
    from varna.situation.models import Observation

    client.force_login(walter)
    client.cookies["django_language"] = "en"
    content = (b"date,district,category,milieu\n2025-03-10,tureberg,propaganda,white-power\n"
               b"1900-03-10,tureberg,propaganda,white-power\n")
    response = client.post("/sollentuna/situation/import/", {"file": SimpleUploadedFile("obs.csv", content)})
    assert [(problem.row, problem.message) for problem in response.context["problems"]] == [
        (3, "date: The date can't be before 2000-01-01.")]
    assert not Observation.objects.exists()


def test_v5_1_4_a_term_without_observations_leaves_every_term_list(walter: Any, sollentuna: Any,
                                                                   districts: Any) -> None:
    from varna.national import selectors as national
    from varna.situation import services
    from varna.situation.models import ObservationRollup

    sollentuna.national_opt_in = True
    sollentuna.save()
    kept = services.observation_create(actor=walter, municipality=sollentuna, values=_values(districts))
    mistyped = services.observation_create(actor=walter, municipality=sollentuna,
                                           values=_values(districts, date=dt.date(2003, 3, 10)))
    assert national.terms_available() == ["2003-1", "2025-1"]
    # Corrected: the observation moves to its real term and the empty row of 2003 goes with it.
    services.observation_change(actor=walter, observation=mistyped, values={"date": dt.date(2025, 9, 1)})
    assert national.terms_available() == ["2025-1", "2025-2"]
    services.observation_delete(actor=walter, observation=kept)
    assert national.terms_available() == ["2025-2"]
    assert not ObservationRollup.objects.filter(observations__lte=0).exists()
