"""Plan exports equal their pages: the activity table (under its filters) and the version list; drafts only
for those who may see them; public downloads of the approved plan are audited and rate-limited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.export_checks import assert_export_equals_page, csv_table
from varna.core.models import AuditEvent
from varna.plans import views
from varna.plans.models import Plan

PLAN = "/sollentuna/plans/handlingsplan-vbe/"


@pytest.fixture
def draft(demo_plan: Plan, alice: Any) -> Any:
    from varna.plans import services

    return services.version_create_draft(actor=alice, plan=demo_plan)


def _files(client: Client, path: str, query: str = "") -> tuple[bytes, bytes]:
    csv_response, xlsx_response = client.get(f"{path}export.csv{query}"), client.get(f"{path}export.xlsx{query}")
    assert csv_response.status_code == xlsx_response.status_code == 200
    return csv_response.content, xlsx_response.content


@pytest.mark.parametrize("query", ["", "?organisation=buk", "?cadence=per_term", "?organisation=buk&cadence=per_year"])
def test_the_activity_export_equals_the_table(client: Client, demo_plan: Plan, query: str) -> None:
    path = PLAN + "activities/"
    page = client.get(path + query)  # the first request renders it (the next ones are served whole from the cache)
    shown = assert_export_equals_page(page.content, *_files(client, path, query))
    activities = page.context["activities"]
    assert [row[1] for row in shown[1:]] == [a.direction for a in activities]
    event = AuditEvent.objects.filter(action="plans.activities.exported").latest("id")
    assert event.actor is None
    assert event.data["rows"] == len(shown) - 1
    assert event.data["filters"] == dict(p.split("=") for p in query[1:].split("&") if p)
    if query:
        everything = csv_table(client.get(path + "export.csv").content, shown[0])
        assert len(everything) > len(shown)  # a filtered-out activity is in neither the page nor the file


def test_the_drafts_activities_are_exported_only_to_those_who_see_drafts(client: Client, verified_client: Any,
                                                                         draft: Any, alice: Any,
                                                                         walter: Any) -> None:
    path = f"{PLAN}versions/{draft.number}/activities/"
    assert client.get(path + "export.csv").status_code == 404
    client.force_login(walter)
    assert client.get(path).status_code == 404
    assert client.get(path + "export.xlsx").status_code == 404
    coordinator = verified_client(alice)
    assert_export_equals_page(coordinator.get(path).content, *_files(coordinator, path))


def test_the_version_list_export_equals_the_list(client: Client, verified_client: Any, draft: Any,
                                                 alice: Any) -> None:
    path = PLAN + "versions/"
    public = assert_export_equals_page(client.get(path).content, *_files(client, path))
    coordinator = verified_client(alice)
    with_drafts = assert_export_equals_page(coordinator.get(path).content, *_files(coordinator, path))
    number = str(draft.number)
    assert number in [row[0] for row in with_drafts[1:]]
    assert number not in [row[0] for row in public[1:]]
    events = AuditEvent.objects.filter(action="plans.versions.exported")
    assert [e.data["rows"] for e in events.order_by("id")] == [len(public) - 1] * 2 + [len(with_drafts) - 1] * 2


def test_another_municipalitys_plan_is_not_found(client: Client, demo_plan: Plan, taby: Any) -> None:
    assert client.get("/taby/plans/handlingsplan-vbe/activities/export.csv").status_code == 404
    assert client.get(PLAN + "activities/export.ods").status_code == 404


def test_public_exports_are_rate_limited_per_address() -> None:
    for view in (views.activity_table_export, views.version_list_export):
        assert view.varna_rate_limit[0] == "plan_exports"
