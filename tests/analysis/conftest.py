"""A municipality that is not Sollentuna (Täby), with its own districts, observations over three terms, a
survey, and the crime-prevention plan of tests/plans/second_municipality.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from varna.core.actors import SYSTEM
from varna.situation import services as situation
from varna.situation.choices import COUNT_FIELDS

DISTRICTS = [("centrum", "Centrum"), ("nasby", "Näsby"), ("ensta", "Ensta")]


def observe(municipality: Any, district: Any, *, date: dt.date, category: str, milieu: str = "white-power",
            people: int = 0, repeat: int = 1) -> None:
    values = {"date": date, "district": district, "milieu": milieu, "category": category, "signs": [],
              "source_organisation": None, "description": ""}
    values.update({name: 0 for name, _g, _a in COUNT_FIELDS})
    values["n_male_15_17"] = people
    for _i in range(repeat):
        situation.observation_create(actor=SYSTEM, municipality=municipality, values=values)


@pytest.fixture
def taby_districts(taby: Any) -> dict[str, Any]:
    return {key: situation.district_upsert(municipality=taby, key=key, name=name, order=i)
            for i, (key, name) in enumerate(DISTRICTS)}


@pytest.fixture
def taby_picture(taby: Any, taby_districts: dict[str, Any]) -> dict[str, Any]:
    """Propaganda falls from 30 observations to 12 over three terms; threats stay small (hidden), and the nine
    observations online each term are the ones secondary suppression hides beside them."""
    centrum = taby_districts["centrum"]
    for date, propaganda, threats in ((dt.date(2024, 10, 1), 30, 3), (dt.date(2025, 3, 1), 20, 2),
                                      (dt.date(2025, 9, 1), 12, 4)):
        observe(taby, centrum, date=date, category="propaganda", people=1, repeat=propaganda)
        observe(taby, taby_districts["nasby"], date=date, category="threats", people=1, repeat=threats)
        observe(taby, taby_districts["ensta"], date=date, category="online", people=1, repeat=9)
    return taby_districts


@pytest.fixture
def taby_group(make_person: Any, taby: Any) -> dict[str, Any]:
    return {"working": make_person("wilma@taby.example", "working_group", taby, unit="trygg"),
            "steering": make_person("styr@taby.example", "steering_group", taby),
            "staff": make_person("per@taby.example", "staff", taby, unit="utb")}


@pytest.fixture
def taby_plan(taby: Any, tove: Any, taby_group: dict[str, Any]) -> Any:
    from tests.plans.second_municipality import crime_prevention_plan, import_approved

    return import_approved(crime_prevention_plan(), municipality=taby, coordinator=tove,
                           approver=taby_group["steering"]).plan
