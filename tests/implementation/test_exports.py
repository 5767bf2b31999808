"""The implementation coverage export equals the overview's table, for the roles that see it there."""

from __future__ import annotations

from typing import Any

import pytest

from tests.export_checks import assert_export_equals_page
from varna.core.models import AuditEvent, Organisation
from varna.implementation import services

URL = "/sollentuna/implementation/"


def test_the_coverage_export_equals_the_overview(client: Any, demo_plan: Any, sollentuna: Any, maria: Any,
                                                 bob: Any, make_person: Any) -> None:
    make_person("ulla@sollentuna.example", "staff", sollentuna, unit="kfk")
    services.acknowledge(actor=bob, municipality=sollentuna)
    client.force_login(maria)
    client.cookies["django_language"] = "en"
    csv_response, xlsx_response = client.get(URL + "coverage.csv"), client.get(URL + "coverage.xlsx")
    assert csv_response.status_code == xlsx_response.status_code == 200
    shown = assert_export_equals_page(client.get(URL).content, csv_response.content, xlsx_response.content)
    rows = {row[0]: row[1:] for row in shown[1:]}
    names = dict(Organisation.objects.filter(municipality=sollentuna).values_list("key", "name"))
    assert rows[names["buk"]] == ["Not yet", "1", "1", "100", "–", "–"]
    assert rows[names["kfk"]] == ["No manager in Värna", "1", "0", "0", "–", "–"]
    event = AuditEvent.objects.filter(action="implementation.coverage.exported", actor=maria).latest("id")
    assert event.data == {"format": "xlsx", "filters": {}, "rows": 2}


@pytest.mark.parametrize("who", ["bob", "ada"])
def test_those_who_do_not_see_coverage_do_not_download_it(request: Any, verified_client: Any, demo_plan: Any,
                                                           who: str) -> None:
    client = verified_client(request.getfixturevalue(who))
    assert "coverage" not in client.get(URL).context
    assert client.get(URL + "coverage.csv").status_code == 403
    assert not AuditEvent.objects.filter(action="implementation.coverage.exported").exists()


def test_another_municipality_and_no_round(verified_client: Any, client: Any, demo_plan: Any, tove: Any,
                                           make_person: Any, taby: Any) -> None:
    assert verified_client(tove).get(URL + "coverage.xlsx").status_code == 404
    client.force_login(make_person("maj@taby.example", "manager", taby, unit="skola"))
    assert client.get("/taby/implementation/coverage.csv").status_code == 404  # no approved plan, no round
