"""Training exports equal their pages: the event list (every page, under its topic filter) and the coverage."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.export_checks import assert_export_equals_page, assert_export_equals_pages, every_page
from varna.core.models import AuditEvent, Organisation
from varna.training.models import Attendance, TrainingEvent

URL = "/sollentuna/training/"
COVERAGE = URL + "coverage/"


@pytest.fixture
def events(demo_plan: Any, sollentuna: Any) -> list[TrainingEvent]:
    """25 events (more than a page of 20), two topics, with attendance from two units."""
    buk, kfk = (Organisation.objects.get(municipality=sollentuna, key=k) for k in ("buk", "kfk"))
    today = timezone.localdate()
    made = []
    for n in range(25):
        event = TrainingEvent.objects.create(
            municipality=sollentuna, title=f"Utbildning {n}", topic="signs_symbols" if n % 3 else "parents",
            audience="staff", date=today - dt.timedelta(days=3 * n))
        Attendance.objects.create(event=event, organisation=buk if n % 2 else kfk, n_female=n, n_male=2, n_other=n % 2)
        made.append(event)
    TrainingEvent.objects.create(municipality=sollentuna, title="Utan deltagare", topic="other", audience="pupils",
                                 date=today)
    return made


def _files(client: Any, path: str, query: str = "") -> tuple[bytes, bytes]:
    csv_response, xlsx_response = client.get(f"{path}export.csv{query}"), client.get(f"{path}export.xlsx{query}")
    assert csv_response.status_code == xlsx_response.status_code == 200
    return csv_response.content, xlsx_response.content


def test_the_event_export_holds_every_page(client: Any, bob: Any, events: list[TrainingEvent]) -> None:
    client.force_login(bob)
    pages = every_page(client, URL)
    assert len(pages) == 2
    shown = assert_export_equals_pages(pages, *_files(client, URL))
    assert len(shown) - 1 == 26
    assert [shown[1][1], shown[1][4]] == ["Utan deltagare", "0"]  # an event without attendance counts 0
    event = AuditEvent.objects.filter(action="training.events.exported", actor=bob).latest("id")
    assert event.data == {"format": "xlsx", "filters": {}, "rows": 26}


def test_the_topic_filter_holds_for_page_and_files(client: Any, maria: Any, events: list[TrainingEvent]) -> None:
    client.force_login(maria)
    query = "?topic=parents"
    shown = assert_export_equals_pages(every_page(client, URL + query), *_files(client, URL, query))
    titles = {row[1] for row in shown[1:]}
    assert titles == {e.title for e in events if e.topic == "parents"}
    assert "Utbildning 1" not in titles  # another topic is in neither
    event = AuditEvent.objects.filter(action="training.events.exported").latest("id")
    assert event.data["filters"] == {"topic": "parents"}
    assert event.data["rows"] == len(titles)


@pytest.mark.parametrize("query", ["", "?topic=signs_symbols"])
def test_the_coverage_export_equals_its_page(client: Any, walter: Any, events: list[TrainingEvent],
                                             query: str) -> None:
    client.force_login(walter)
    shown = assert_export_equals_page(client.get(COVERAGE + query).content, *_files(client, COVERAGE, query))
    assert len(shown) == 3  # the header and two units
    assert AuditEvent.objects.filter(action="training.coverage.exported", actor=walter).count() == 2


def test_only_members_of_the_municipality_download(client: Any, verified_client: Any, tove: Any, nils: Any,
                                                   events: list[TrainingEvent]) -> None:
    assert "/account/login/" in client.get(URL + "export.csv")["Location"]
    for path in (URL, COVERAGE):
        assert verified_client(tove).get(path + "export.csv").status_code == 404
        assert verified_client(nils).get(path + "export.xlsx").status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="training.", action__endswith=".exported").exists()
