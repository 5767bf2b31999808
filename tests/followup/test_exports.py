"""Follow-up exports equal their pages: the activity log (every page) and the compliance dashboard."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.export_checks import assert_export_equals_page, assert_export_equals_pages, every_page
from varna.core.models import AuditEvent, Organisation
from varna.followup.models import ActivityLog

from .conftest import TODAY

URL = "/sollentuna/followup/"
LOG = URL + "log/"


@pytest.fixture(autouse=True)
def _today(monkeypatch: Any) -> None:
    # The demo and the dashboard's default term are computed for the same day.
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def _files(client: Any, path: str, query: str) -> tuple[bytes, bytes]:
    csv_response = client.get(f"{path}export.csv{query}")
    xlsx_response = client.get(f"{path}export.xlsx{query}")
    assert csv_response.status_code == xlsx_response.status_code == 200
    assert csv_response["Content-Disposition"].startswith("attachment")
    return csv_response.content, xlsx_response.content


def test_the_log_export_holds_every_page_of_the_list(client: Any, demo_followup: Any, maria: Any) -> None:
    client.force_login(maria)
    pages = every_page(client, LOG)
    assert len(pages) > 1  # the demo fills several pages: the file must hold them all
    shown = assert_export_equals_pages(pages, *_files(client, LOG, ""))
    assert len(shown) - 1 == ActivityLog.objects.count()
    events = AuditEvent.objects.filter(action="followup.logs.exported", actor=maria)
    assert sorted(e.data["format"] for e in events) == ["csv", "xlsx"]
    assert all(e.data == {"format": e.data["format"], "filters": {}, "rows": len(shown) - 1} for e in events)


@pytest.mark.parametrize("query", ["?unit=buk", "?activity=implement-managers", "?term=2026-1&unit=kfk"])
def test_the_log_export_honours_the_filters(client: Any, demo_followup: Any, sten: Any, query: str) -> None:
    client.force_login(sten)
    csv_content, xlsx_content = _files(client, LOG, query)
    shown = assert_export_equals_pages(every_page(client, LOG + query), csv_content, xlsx_content)
    assert len(shown) > 1
    filters = dict(part.split("=") for part in query[1:].split("&"))
    event = AuditEvent.objects.filter(action="followup.logs.exported").latest("id")
    assert event.data["filters"] == filters
    assert event.data["rows"] == len(shown) - 1


def test_a_filtered_out_entry_is_in_neither_the_page_nor_the_files(client: Any, demo_followup: Any,
                                                                    sten: Any) -> None:
    ActivityLog.objects.filter(organisation__key="kfk").update(description="Bara för kfk")
    ActivityLog.objects.exclude(organisation__key="kfk").update(description="Inte kfk")
    client.force_login(sten)
    page = b"".join(every_page(client, LOG + "?unit=buk")).decode()
    csv_content, xlsx_content = _files(client, LOG, "?unit=buk")
    assert "Inte kfk" in page
    assert "Bara för kfk" not in page
    assert "Bara för kfk" not in csv_content.decode("utf-8-sig")
    cells = {c for row in load_workbook(io.BytesIO(xlsx_content)).active.iter_rows(values_only=True) for c in row}
    assert "Inte kfk" in cells
    assert "Bara för kfk" not in cells


def test_only_members_download_the_log(client: Any, verified_client: Any, demo_followup: Any, tove: Any,
                                       nils: Any) -> None:
    response = client.get(LOG + "export.csv")
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
    assert verified_client(tove).get(LOG + "export.csv").status_code == 404
    assert verified_client(nils).get(LOG + "export.xlsx").status_code == 404
    assert not AuditEvent.objects.filter(action="followup.logs.exported").exists()


def test_an_unknown_format_is_not_found_and_not_audited(client: Any, demo_followup: Any, sten: Any) -> None:
    client.force_login(sten)
    assert client.get(LOG + "export.pdf").status_code == 404
    assert not AuditEvent.objects.filter(action="followup.logs.exported").exists()


@pytest.mark.parametrize("query", ["", "?term=2026-1", "?term=2026-2&level=implement", "?unit=buk"])
def test_the_compliance_export_equals_the_dashboard(client: Any, demo_followup: Any, maria: Any, query: str) -> None:
    client.force_login(maria)
    page = client.get(URL + query)
    csv_content = client.get(URL + "compliance.csv" + query).content
    xlsx_content = client.get(URL + "compliance.xlsx" + query).content
    shown = assert_export_equals_page(page.content, csv_content, xlsx_content)
    assert len(shown) > 1
    if "unit=buk" in query:
        buk = Organisation.objects.get(municipality=demo_followup.municipality, key="buk").name
        assert {row[3] for row in shown[1:]} == {buk}  # another unit's rows are in neither
    assert AuditEvent.objects.filter(action="followup.compliance.exported", actor=maria).count() == 2


def test_staff_see_the_dashboard_but_may_not_download_it(client: Any, demo_followup: Any, bob: Any) -> None:
    client.force_login(bob)
    assert client.get(URL).status_code == 200
    assert client.get(URL + "compliance.csv").status_code == 403
    assert client.get(URL + "compliance.xlsx").status_code == 403
