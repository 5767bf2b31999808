"""The national view's export equals the page: every table, suppressed display values, one CSV and one sheet
per table; for the national analyst only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.export_checks import assert_tables_export_equals_page
from varna.core.models import AuditEvent
from varna.situation.choices import COUNT_FIELDS

pytestmark = pytest.mark.django_db

URL = "/national/"


@pytest.fixture
def shared(sollentuna: Any, taby: Any, make_observation: Any, demo_plan: Any) -> None:
    for municipality in (sollentuna, taby):
        municipality.national_opt_in = True
        municipality.save()
    other_gender = next(name for name, gender, _age in COUNT_FIELDS if gender != COUNT_FIELDS[0][1])
    make_observation(**{COUNT_FIELDS[0][0]: 3, other_gender: 30})
    make_observation(date=dt.date(2025, 9, 2), milieu="autonomous", **{COUNT_FIELDS[0][0]: 21})


def test_every_table_of_the_national_view_equals_its_file(verified_client: Any, nils: Any, shared: None) -> None:
    client = verified_client(nils)
    page = client.get(URL).content
    csv_response, xlsx_response = client.get(URL + "export.csv"), client.get(URL + "export.xlsx")
    assert csv_response.status_code == xlsx_response.status_code == 200
    shown = assert_tables_export_equals_page(page, csv_response.content, xlsx_response.content)
    assert len(shown) == 8  # the map's table, the plans, five situation breakdowns and training
    cells = {cell for _caption, rows in shown[2:] for row in rows[1:] for cell in row[1:]}
    # Rounded, never the count; spring's small gender total (3) withholds its split by gender ("..").
    assert ".." in cells
    assert "3" not in cells
    assert "21" not in cells
    events = AuditEvent.objects.filter(action="national.overview.exported", actor=nils)
    assert sorted(e.data["format"] for e in events) == ["csv", "xlsx"]
    assert all(e.municipality is None and e.data["tables"] == 8 for e in events)


@pytest.mark.parametrize("query", ["?measure=training", "?measure=plans", "?measure=observations&term=2025-1"])
def test_the_file_follows_the_maps_choices(verified_client: Any, nils: Any, shared: None, query: str) -> None:
    client = verified_client(nils)
    client.cookies["django_language"] = "en"
    csv_content = client.get(URL + "export.csv" + query).content
    xlsx_content = client.get(URL + "export.xlsx" + query).content
    shown = assert_tables_export_equals_page(client.get(URL + query).content, csv_content, xlsx_content)
    terms = dict(shown)["People involved per term, by gender"]
    # One row per term, each that term's own total, and no total over several terms.
    assert [row[0] for row in terms[1:-1]] == ["Spring 2025", "Autumn 2025"]
    assert terms[-1][-1] == ".."
    event = AuditEvent.objects.filter(action="national.overview.exported").latest("id")
    assert event.data["filters"]["measure"] == query.split("=")[1].split("&")[0]
    assert event.data["filters"]["term"] == ("2025-1" if "term=" in query else "2025-2")


@pytest.mark.parametrize("who", ["alice", "tove"])
def test_members_of_a_municipality_get_no_national_file(request: Any, verified_client: Any, shared: None,
                                                        who: str) -> None:
    client = verified_client(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.get(URL + "export.csv").status_code == 403
    assert not AuditEvent.objects.filter(action="national.overview.exported").exists()


def test_anonymous_is_sent_to_login(client: Any) -> None:
    response = client.get(URL + "export.xlsx")
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
