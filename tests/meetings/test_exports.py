"""Meeting and action exports equal their pages: both meeting tables (every earlier meeting), the action list
as the user sees it (their own, or all with ?all=1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.export_checks import (
    assert_export_equals_pages,
    assert_tables_export_equals_page,
    csv_tables,
    every_page,
    page_captioned_tables,
    xlsx_tables,
)
from varna.core.models import AuditEvent, Group
from varna.meetings.models import Action, Meeting

URL = "/sollentuna/meetings/"
ACTIONS = URL + "actions/"


@pytest.fixture
def meetings(sollentuna: Any, alice: Any) -> list[Meeting]:
    """Two planned meetings and 23 earlier ones: more than one page of earlier meetings."""
    group = Group.objects.create(municipality=sollentuna, kind=Group.Kind.WORKING, name="Arbetsgruppen")
    now = timezone.now().replace(microsecond=0)
    made = []
    for days in [-14, -40, *range(1, 23 * 7, 7)]:
        starts = now - dt.timedelta(days=days)
        made.append(Meeting.objects.create(
            municipality=sollentuna, group=group, title=f"Arbetsgruppen {days}", starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2), place="" if days % 2 else "Kommunhuset",
            status=Meeting.Status.PLANNED if days < 0 else Meeting.Status.HELD, created_by=alice))
    return made


@pytest.fixture
def actions(meetings: list[Meeting], sollentuna: Any, alice: Any, walter: Any, sten: Any) -> list[Action]:
    held = meetings[2]
    return [Action.objects.create(municipality=sollentuna, meeting=held, title=title, owner=owner, due_date=due,
                                  status=status, status_note=note)
            for title, owner, due, status, note in [
                ("Boka lokal", walter, dt.date(2020, 1, 1), Action.Status.OPEN, ""),
                ("Skicka inbjudan", walter, dt.date(2099, 1, 1), Action.Status.IN_PROGRESS, "Utkast klart"),
                ("Ta fram lägesbild", sten, dt.date(2099, 2, 1), Action.Status.DONE, "=inte en formel"),
                ("Kontakta polisen", alice, dt.date(2099, 3, 1), Action.Status.OPEN, "")]]


def _files(client: Any, path: str, query: str = "") -> tuple[bytes, bytes]:
    csv_response, xlsx_response = client.get(f"{path}export.csv{query}"), client.get(f"{path}export.xlsx{query}")
    assert csv_response.status_code == xlsx_response.status_code == 200
    return csv_response.content, xlsx_response.content


def test_the_meeting_export_holds_both_tables_and_every_earlier_meeting(client: Any, sten: Any,
                                                                        meetings: list[Meeting]) -> None:
    client.force_login(sten)
    pages = every_page(client, URL)
    assert len(pages) == 2
    csv_content, xlsx_content = _files(client, URL)
    # The first page shows both tables; the file holds the upcoming ones and the earlier ones of every page.
    first = page_captioned_tables(pages[0])
    earlier = [first[1][1][0], *[row for html in pages for row in page_captioned_tables(html)[1][1][1:]]]
    shown = [first[0], (first[1][0], earlier)]
    assert csv_tables(csv_content) == shown
    assert xlsx_tables(xlsx_content) == shown
    assert [len(rows) - 1 for _caption, rows in shown] == [2, 23]
    event = AuditEvent.objects.get(action="meetings.meetings.exported", data__format="csv")
    assert event.data == {"format": "csv", "filters": {}, "rows": 25}
    assert event.actor == sten


def test_a_page_that_fits_equals_its_export(client: Any, sten: Any, meetings: list[Meeting]) -> None:
    Meeting.objects.filter(title__in=[m.title for m in meetings[5:]]).delete()
    client.force_login(sten)
    shown = assert_tables_export_equals_page(client.get(URL).content, *_files(client, URL))
    assert [len(rows) - 1 for _caption, rows in shown] == [2, 3]
    assert {row[2] for _caption, rows in shown for row in rows[1:]} == {"Kommunhuset", "–"}


@pytest.mark.parametrize("who", ["staff", "manager", "administrator"])
def test_roles_that_do_not_read_meetings_download_nothing(verified_client: Any, bob: Any, maria: Any, ada: Any,
                                                          meetings: list[Meeting], who: str) -> None:
    client = verified_client({"staff": bob, "manager": maria, "administrator": ada}[who])
    assert client.get(URL).status_code == 403
    assert client.get(URL + "export.csv").status_code == 403


def test_another_municipality_gets_404(verified_client: Any, tove: Any, meetings: list[Meeting]) -> None:
    assert verified_client(tove).get(URL + "export.xlsx").status_code == 404
    assert not AuditEvent.objects.filter(action="meetings.meetings.exported").exists()


def test_my_actions_export_holds_only_mine(client: Any, walter: Any, actions: list[Action]) -> None:
    client.force_login(walter)
    shown = assert_export_equals_pages(every_page(client, ACTIONS), *_files(client, ACTIONS))
    assert {row[0] for row in shown[1:]} == {"Boka lokal", "Skicka inbjudan"}
    assert {row[0]: row[4] for row in shown[1:]} == {"Boka lokal": "Ja", "Skicka inbjudan": "Nej"}  # overdue
    event = AuditEvent.objects.filter(action="meetings.actions.exported").latest("id")
    assert event.data["filters"] == {"scope": "mine"}
    assert event.data["rows"] == 2


def test_every_action_with_all(client: Any, walter: Any, actions: list[Action]) -> None:
    client.force_login(walter)
    shown = assert_export_equals_pages(every_page(client, ACTIONS + "?all=1"), *_files(client, ACTIONS, "?all=1"))
    assert {row[0] for row in shown[1:]} == {a.title for a in actions}
    assert [row[6] for row in shown[1:] if row[0] == "Ta fram lägesbild"] == ["=inte en formel"]
    event = AuditEvent.objects.filter(action="meetings.actions.exported").latest("id")
    assert event.data["filters"] == {"scope": "all"}
    assert event.data["rows"] == 4


def test_staff_may_not_list_everyones_actions_in_a_file_either(client: Any, bob: Any, actions: list[Action]) -> None:
    client.force_login(bob)
    response = client.get(ACTIONS + "?all=1")
    assert response.status_code == 200
    assert not response.context["table"].rows
    csv_content, _xlsx = _files(client, ACTIONS, "?all=1")
    assert "Boka lokal" not in csv_content.decode("utf-8-sig")
