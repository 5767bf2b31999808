"""The case list export equals the list: pseudonymous codes and categories only, the coordinator's only,
one audit event naming the codes so that the log review finds the read (ADR 0005, ADR 0010)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.export_checks import assert_export_equals_page, assert_tables_export_equals_page
from varna.core.models import AuditEvent

LIST = "/sollentuna/cases/"


def test_the_coordinators_export_equals_the_list(case_a: Any, case_b: Any, alice: Any, login: Any) -> None:
    from varna.cases import services

    services.identity_set(actor=alice, case=case_a, name="Kalle Exempelsson", identity_number="200801012384",
                          contact="")
    services.note_add(actor=alice, case=case_a, text="Anteckning om Kalle")
    client = login(alice)
    page = client.get(LIST)
    csv_response, xlsx_response = client.get(LIST + "export.csv"), client.get(LIST + "export.xlsx")
    assert csv_response.status_code == xlsx_response.status_code == 200
    assert "no-store" in csv_response["Cache-Control"]
    shown = assert_export_equals_page(page.content, csv_response.content, xlsx_response.content)
    assert {row[0] for row in shown[1:]} == {case_a.code, case_b.code}
    assert len(shown[0]) == 5  # code, status, age band, concern level, opened: nothing that names a person
    for content in (csv_response.content, page.content):  # and the XLSX holds what the page holds
        assert b"Kalle" not in content
        assert b"200801012384" not in content


def test_each_download_writes_one_event_naming_the_codes(case_a: Any, case_b: Any, alice: Any, login: Any) -> None:
    client = login(alice)
    before = AuditEvent.objects.count()
    client.get(LIST + "export.xlsx")
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert event.action == "cases.case_list.exported"
    assert event.actor == alice
    assert sorted(event.data["codes"]) == sorted([case_a.code, case_b.code])
    assert event.data["format"] == "xlsx"
    assert event.data["rows"] == 2


def test_the_export_shows_in_each_cases_access_log_and_the_log_review(case_a: Any, alice_reviewer: Any,
                                                                       login: Any) -> None:
    from varna.cases import selectors

    login(alice_reviewer).get(LIST + "export.csv")
    assert selectors.access_log_of(case_a).filter(action="cases.case_list.exported").exists()
    assert selectors.case_reads(case_a.municipality, code=case_a.code).filter(
        action="cases.case_list.exported").exists()


@pytest.mark.parametrize("who", ["pia", "bob", "sten", "tove", "nils"])
def test_everyone_but_the_coordinator_gets_404(request: Any, case_a: Any, case_b: Any, login: Any,
                                               who: str) -> None:
    # A participant reads the list of their cases but exports nothing: files leave with the coordinator only.
    client = login(request.getfixturevalue(who))
    assert client.get(LIST + "export.csv").status_code == 404
    assert client.get(LIST + "export.xlsx").status_code == 404
    assert not AuditEvent.objects.filter(action="cases.case_list.exported").exists()


def test_a_participant_sees_only_their_cases_on_the_list(case_a: Any, case_b: Any, pia: Any, login: Any) -> None:
    page = login(pia).get(reverse("cases:case_list", args=["sollentuna"])).content.decode()
    assert case_a.code in page
    assert case_b.code not in page
    assert "export.csv" not in page


def test_anonymous_is_sent_to_login(client: Any, case_a: Any) -> None:
    response = client.get(LIST + "export.csv")
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_the_statistics_export_equals_the_page(cases_setup: Any, alice: Any, sten: Any, login: Any) -> None:
    from varna.cases import services

    for _ in range(7):
        services.case_open(actor=alice, municipality=cases_setup, age_band="15_17", gender="male")
    services.case_open(actor=alice, municipality=cases_setup, age_band="18_24", gender="female")
    client = login(sten)
    url = reverse("cases:statistics", args=["sollentuna"])
    csv_response, xlsx_response = client.get(url + "export.csv"), client.get(url + "export.xlsx")
    shown = assert_tables_export_equals_page(client.get(url).content, csv_response.content, xlsx_response.content)
    assert len(shown) == 4
    cells = {row[1] for _caption, rows in shown for row in rows[1:]}
    assert "–" in cells
    assert "1" not in cells
    event = AuditEvent.objects.filter(action="cases.statistics.exported", actor=sten).latest("id")
    assert event.data == {"format": "xlsx", "filters": {}}  # no case code: nothing here names a case


@pytest.mark.parametrize("who", ["walter", "pia", "tove"])
def test_the_statistics_export_is_404_for_others(request: Any, cases_setup: Any, login: Any, who: str) -> None:
    client = login(request.getfixturevalue(who))
    assert client.get("/sollentuna/cases/statistics/export.csv").status_code == 404
