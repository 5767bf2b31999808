"""Situation exports equal their pages: the dashboard's suppressed tables ("≤5" and "–" included), the
observation list (reporter and free text only where the page shows them), the survey list and survey results."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.export_checks import (
    assert_export_equals_page,
    assert_export_equals_pages,
    assert_tables_export_equals_page,
    every_page,
)
from varna.core.models import AuditEvent
from varna.situation import services
from varna.situation.choices import COUNT_FIELDS
from varna.situation.models import Observation

DASH = "/sollentuna/situation/"
LIST = DASH + "observations/"
SURVEYS = DASH + "surveys/"
FILTERS = ["", "?milieu=white-power", "?district=tureberg&category=propaganda", "?term_from=2025-2&term_to=2026-1",
           "?milieu=violent-islamist&published=on"]


def _files(client: Any, path: str, query: str = "") -> tuple[bytes, bytes]:
    csv_response, xlsx_response = client.get(f"{path}export.csv{query}"), client.get(f"{path}export.xlsx{query}")
    assert csv_response.status_code == xlsx_response.status_code == 200
    return csv_response.content, xlsx_response.content


# --- the dashboard ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query", FILTERS)
@pytest.mark.parametrize("user", ["walter", "sten"])
def test_every_dashboard_table_equals_its_file(request: Any, client: Client, demo_situation: Any, user: str,
                                               query: str) -> None:
    client.force_login(request.getfixturevalue(user))
    page = client.get(DASH + query).content
    shown = assert_tables_export_equals_page(page, *_files(client, DASH, query))
    assert [caption for caption, _rows in shown] == [t.caption for t in client.get(DASH + query).context["tables"]]
    event = AuditEvent.objects.filter(action="situation.export", data__what="dashboard").latest("id")
    assert event.data["policy"] == ("internal" if user == "walter" and "published" not in query else "published")


def test_hidden_cells_leave_as_they_are_shown(client: Client, walter: Any, make_observation: Any) -> None:
    """A table with small counts: "≤5" and the secondary "–" are in the page, the CSV and the XLSX alike."""
    women, men = COUNT_FIELDS[0][0], next(name for name, gender, _a in COUNT_FIELDS if gender != COUNT_FIELDS[0][1])
    make_observation(district="tureberg", **{women: 3, men: 9})
    make_observation(district="tureberg", milieu="autonomous", **{women: 8, men: 12})
    make_observation(district="tureberg", milieu="violent-islamist", **{women: 7, men: 2})
    client.force_login(walter)
    shown = assert_tables_export_equals_page(client.get(DASH).content, *_files(client, DASH))
    cells = {cell for _caption, rows in shown for row in rows[1:] for cell in row[1:]}
    assert "≤5" in cells
    assert "–" in cells
    assert not {"3", "2"} & cells  # the small counts themselves leave nowhere


def test_the_dashboard_export_is_for_the_dashboard_roles(client: Client, verified_client: Any, bob: Any,
                                                         maria: Any, tove: Any, demo_situation: Any) -> None:
    for user in (bob, maria):
        client.force_login(user)
        assert client.get(DASH + "export.xlsx").status_code == 403
    assert verified_client(tove).get(DASH + "export.csv").status_code == 404


# --- the observation list -----------------------------------------------------------------------


@pytest.fixture
def observations(make_observation: Any, walter: Any, alice: Any) -> list[Observation]:
    made = [make_observation(walter, district="tureberg", date=dt.date(2025, 1, 10) + dt.timedelta(days=n),
                             description=f"Klistermärken vid station {n}", **{COUNT_FIELDS[0][0]: n % 4})
            for n in range(55)]
    made.append(make_observation(alice, district="edsberg", category="gatherings", milieu="autonomous",
                                 description="Symboler på en vägg"))
    return made


def test_the_coordinator_exports_every_page_with_reporter_and_description(verified_client: Any, alice: Any,
                                                                         observations: list[Observation]) -> None:
    client = verified_client(alice)
    client.cookies["django_language"] = "en"
    pages = every_page(client, LIST)
    assert len(pages) == 2  # 56 observations, 50 a page
    shown = assert_export_equals_pages(pages, *_files(client, LIST))
    assert len(shown) == 57
    assert shown[0][-2:] == ["Description", "Reported by"]
    assert {row[-1] for row in shown[1:]} == {"walter", "alice"}
    event = AuditEvent.objects.filter(action="situation.export", data__what="observations").latest("id")
    assert event.data["rows"] == 56
    assert event.data["filters"] == {}


def test_the_working_group_never_gets_the_reporter(client: Client, walter: Any,
                                                   observations: list[Observation]) -> None:
    client.force_login(walter)
    client.cookies["django_language"] = "en"
    csv_content, xlsx_content = _files(client, LIST)
    shown = assert_export_equals_pages(every_page(client, LIST), csv_content, xlsx_content)
    assert "Reported by" not in shown[0]
    assert "Description" in shown[0]  # the page shows the working group the description, so the file does
    assert b"walter" not in csv_content
    assert b"alice" not in csv_content


def test_a_filtered_out_observation_is_in_neither(client: Client, walter: Any,
                                                  observations: list[Observation]) -> None:
    client.force_login(walter)
    query = "?district=edsberg"
    csv_content, xlsx_content = _files(client, LIST, query)
    shown = assert_export_equals_pages(every_page(client, LIST + query), csv_content, xlsx_content)
    assert len(shown) == 2
    assert "Symboler på en vägg" in shown[1]
    assert "Klistermärken".encode() not in csv_content
    event = AuditEvent.objects.filter(action="situation.export", data__what="observations").latest("id")
    assert event.data["filters"] == {"district": "edsberg"}
    assert event.data["rows"] == 1


def test_those_who_do_not_list_observations_cannot_export_them(client: Client, verified_client: Any, sten: Any,
                                                               bob: Any, tove: Any,
                                                               observations: list[Observation]) -> None:
    for user in (sten, bob):
        client.force_login(user)
        assert client.get(LIST).status_code == 403
        assert client.get(LIST + "export.csv").status_code == 403
    assert verified_client(tove).get(LIST + "export.xlsx").status_code == 404
    assert not AuditEvent.objects.filter(action="situation.export", data__what="observations").exists()


# --- surveys ------------------------------------------------------------------------------------


@pytest.fixture
def survey(alice: Any, sollentuna: Any, districts: Any) -> Any:
    today = timezone.localdate()
    survey = services.survey_create(actor=alice, municipality=sollentuna, title="Lägesbildsenkät VT",
                                    questions=["seen-propaganda", "milieu", "comment"],
                                    audiences=["school", "civil_society"], opens_on=today - dt.timedelta(days=1),
                                    closes_on=today + dt.timedelta(days=30))
    for n in range(9):
        Client().post(f"/sollentuna/situation/survey/{survey.links.get(audience='school').token}/",
                      {"seen-propaganda": "yes" if n % 3 else "no", "milieu": "white-power"})
    Client().post(f"/sollentuna/situation/survey/{survey.links.get(audience='civil_society').token}/",
                  {"seen-propaganda": "yes"})
    return survey


def test_the_survey_list_export_equals_its_page(client: Client, sten: Any, survey: Any) -> None:
    client.force_login(sten)
    shown = assert_export_equals_page(client.get(SURVEYS).content, *_files(client, SURVEYS))
    assert shown[1][0] == "Lägesbildsenkät VT"
    assert AuditEvent.objects.filter(action="situation.export", data__what="surveys").count() == 2


@pytest.mark.parametrize("user", ["walter", "sten"])
def test_the_survey_results_export_equals_its_page(request: Any, client: Client, survey: Any, user: str) -> None:
    client.force_login(request.getfixturevalue(user))
    base = f"{SURVEYS}{survey.pk}/"
    csv_content = client.get(base + "results.csv").content
    xlsx_content = client.get(base + "results.xlsx").content
    shown = assert_tables_export_equals_page(client.get(base).content, csv_content, xlsx_content)
    assert len(shown) == 2  # the free-text question has no table; civil society gave too few answers
    assert client.get(base + "results.pdf").status_code == 404
