"""The item list's CSV and XLSX files hold exactly the rows of the list, every page of it, under its filters
(ADR 0010); each export is audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.export_checks import assert_export_equals_page, assert_export_equals_pages, every_page
from varna.core.models import AuditEvent
from varna.monitoring import services

pytestmark = pytest.mark.django_db
URL = "/sollentuna/monitoring/"


def test_the_export_holds_every_page_of_the_list_under_the_filters_and_is_audited(
        verified_client: Callable[[Any], Any], alice: Any, news: Any, make_item: Callable[..., Any]) -> None:
    client = verified_client(alice)
    for n in range(55):
        make_item(news, f"Hakkors nummer {n}", milieus=["white-power"], days_ago=n / 10)
    make_item(news, "=HYPERLINK(\"http://evil.example\")", milieus=["white-power"], days_ago=9)
    make_item(news, "Nya simhallen öppnar", milieus=[], days_ago=1)  # filtered out by the milieu
    query = {"milieu": "white-power", "page": "2"}
    pages = every_page(client, URL + "?milieu=white-power")
    assert len(pages) == 2
    # The page number doesn't narrow the file: it holds both pages, in the page's order.
    shown = assert_export_equals_pages(pages, client.get(URL + "export.csv", query).content,
                                       client.get(URL + "export.xlsx", query).content)
    assert len(shown) == 1 + 56
    assert shown[-1][1] == "=HYPERLINK(\"http://evil.example\")"
    assert all("simhallen" not in row[1] for row in shown)
    event = AuditEvent.objects.filter(action="monitoring.items.exported").first()
    assert event.actor == alice
    assert event.data["filters"]["milieu"] == "white-power"
    assert event.data["rows"] == 56
    assert client.get(URL + "export.pdf").status_code == 404


def test_the_export_is_for_those_who_read_the_list(verified_client: Callable[[Any], Any], bob: Any, tove: Any,
                                                   items: dict[str, Any]) -> None:
    assert verified_client(bob).get(URL + "export.csv").status_code == 403
    assert verified_client(tove).get(URL + "export.csv").status_code == 404
    assert not AuditEvent.objects.filter(action="monitoring.items.exported").exists()


def test_tags_and_statuses_read_the_same_on_page_and_in_the_files(verified_client: Callable[[Any], Any],
                                                                  alice: Any, items: dict[str, Any]) -> None:
    services.item_tag(actor=alice, item=items["graffiti"], name="skola")
    services.item_tag(actor=alice, item=items["graffiti"], name="klotter")
    services.item_dismiss(actor=alice, item=items["report"])
    client = verified_client(alice)
    query = {"relevance": "all"}
    shown = assert_export_equals_page(client.get(URL, query).content, client.get(URL + "export.csv", query).content,
                                      client.get(URL + "export.xlsx", query).content)
    by_title = {row[1]: row for row in shown[1:]}
    assert by_title["Hakkors på skolgården"][4:] == ["klotter, skola", "", "Taggad"]
    assert by_title["Rapport om jihadistisk propaganda"][6] == "Avfärdad"
    assert by_title["Nya simhallen öppnar"][3] == ""
