"""ASVS 4.0.3 V5.3.3: stored XSS. Every free-text field of the plan editor gets a script; no page runs it."""

from __future__ import annotations

from typing import Any
from unittest import mock

import yaml
from django.test import Client
from django.urls import reverse

from tests.security.test_authorization_matrix import routes
from varna.plans import services
from varna.plans.models import Plan

PAYLOAD = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
RAW = ["<script>alert(1)", "<img src=x onerror"]
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"


def _pages(plan: Plan, number: int, level: str, key: str) -> list[str]:
    """Every GET page of the plans and core modules, for this plan version, level and activity."""
    values = {"municipality": "sollentuna", "plan": plan.slug, "number": number, "level": level, "key": key,
              "membership_id": 1}
    paths = []
    for route in routes():
        if route.admin or not all(p in values for p in route.params):
            continue
        paths.append(reverse(route.name, kwargs={p: values[p] for p in route.params} or None))
    paths.append(reverse("plans:version_compare", args=["sollentuna", plan.slug]) + f"?from=1&to={number}")
    return paths


def _check(client: Client, paths: list[str]) -> int:
    shown = 0
    with mock.patch("weasyprint.HTML.write_pdf", return_value=b"%PDF-1.7"):
        for path in paths:
            response = client.get(path)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            for raw in RAW:
                assert raw not in html, f"unescaped input on {path}"
            shown += html.count(ESCAPED)
    return shown


def test_v5_3_3_script_in_every_plan_editor_field_is_escaped_on_every_page(
        verified_client: Any, demo_plan: Plan, alice: Any, sten: Any) -> None:
    client = verified_client(alice)
    base = f"/sollentuna/plans/{demo_plan.slug}/"
    assert client.post(base + "versions/new/").status_code == 302
    draft = demo_plan.versions.get(status="draft")
    vbase = f"{base}versions/{draft.number}/"
    level = draft.levels.get(key="prevent")

    form = client.get(vbase + "levels/prevent/edit/").context["form"]
    response = client.post(vbase + "levels/prevent/edit/", {
        "lock_version": form.initial["lock_version"], "name": PAYLOAD, "introduction": PAYLOAD})
    assert response.status_code == 302, response.content
    draft.refresh_from_db()
    response = client.post(vbase + "activities/new/", {
        "lock_version": draft.lock_version, "level": level.pk, "key": "xss-probe", "direction": PAYLOAD,
        "action": PAYLOAD, "responsible_text": PAYLOAD, "cadence_kind": "per_term", "cadence_count": 1,
        "when_text": PAYLOAD})
    assert response.status_code == 302, response.content

    draft_pages = _pages(demo_plan, draft.number, "prevent", "xss-probe")
    assert _check(client, draft_pages) >= 5  # shown, escaped, on the editor and draft pages

    client.logout()
    client = verified_client(sten)
    response = client.post(vbase + "approve/", {"body_kind": "committee", "body": PAYLOAD, "date": "2026-11-20",
                                                "paragraph": PAYLOAD[:30], "registry_number": PAYLOAD,
                                                "valid_from": "2026-12-01"})
    assert response.status_code == 302, response.content
    assert _check(client, draft_pages) >= 5

    # Now approved and public: everyone reads it, escaped, and the coordinator's audit log too.
    client.logout()
    assert _check(Client(), _pages(demo_plan, draft.number, "prevent", "xss-probe")) >= 5
    client = verified_client(alice)
    assert _check(client, [reverse("core:audit_log", args=["sollentuna"])]) >= 0


_FREE_TEXT_KEYS = {"title", "scope", "registry_number", "as_written", "name", "body", "introduction", "direction",
                   "action", "responsible_text", "when", "when_text", "text", "how_met", "note"}


def _poison(node: Any) -> Any:
    """Put the payload into every free-text value of a plan file, keeping keys, slugs, dates and numbers."""
    if isinstance(node, dict):
        return {k: (PAYLOAD if k in _FREE_TEXT_KEYS and isinstance(v, str) else _poison(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_poison(item) for item in node]
    return node


def test_v5_3_3_script_in_every_free_text_field_of_an_imported_plan_is_escaped(
        verified_client: Any, sollentuna: Any, alice: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from varna.plans.demo import DEMO_FILE

    data = _poison(yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8")))
    data["plan"]["slug"] = "xss-plan"
    client = verified_client(alice)
    upload = SimpleUploadedFile("plan.yaml", yaml.safe_dump(data, allow_unicode=True).encode(), "application/yaml")
    response = client.post("/sollentuna/plans/import/", {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = Plan.objects.get(municipality=sollentuna, slug="xss-plan")
    # An import is a draft; recorded as adopted (with the poisoned decision the file states), everyone reads it.
    draft = plan.versions.get()
    services.version_approve_as_operator(version=draft, decision=services.Decision(
        body_kind="council", body=draft.decision_body, date=draft.decision_date,
        paragraph=draft.decision_paragraph, registry_number=draft.registry_number))
    level = plan.versions.get().levels.first().key
    key = plan.versions.get().activities.first().key
    pages = _pages(plan, 1, level, key)
    assert _check(client, pages) >= 20
    client.logout()
    assert _check(Client(), pages) >= 20


# --- output encoding for files other than HTML (issue #16) -----------------------------------------------

def test_v5_3_1_a_line_break_in_a_meeting_title_is_escaped_in_the_calendar_not_a_server_error(
        client: Client, alice: Any, walter: Any, sollentuna: Any, demo_plan: Plan) -> None:
    import datetime as dt

    from django.utils import timezone
    from icalendar import Calendar

    from varna.core.models import Group, GroupMembership
    from varna.meetings import services

    group = Group.objects.create(municipality=sollentuna, kind=Group.Kind.WORKING, name="Arbetsgruppen")
    GroupMembership.objects.create(group=group, user=alice)
    GroupMembership.objects.create(group=group, user=walter)
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    meeting = services.meeting_create(actor=alice, municipality=sollentuna, starts_at=starts,
                                      ends_at=starts + dt.timedelta(hours=1), place="Rum 1;\x07 plan 2, norr",
                                      title="Arbetsgruppen\r\nextra möte;\x1b VT,\nDTSTART:19700101")
    client.force_login(walter)
    feed = services.calendar_token_create(actor=walter, municipality=sollentuna)
    for path in (f"/sollentuna/meetings/{meeting.pk}/meeting.ics", f"/calendar/{feed}/meetings.ics"):
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert "\x1b" not in body
        assert "\x07" not in body
        assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))  # folded (RFC 5545 § 3.1)
        assert "\nDTSTART:19700101" not in body  # no property can be smuggled in through a line break
        [event] = [c for c in Calendar.from_ical(response.content).walk() if c.name == "VEVENT"]
        assert str(event["summary"]) == "Arbetsgruppen\nextra möte; VT,\nDTSTART:19700101"
        assert str(event["location"]) == "Rum 1; plan 2, norr"
        assert event.decoded("dtstart") == meeting.starts_at


def test_v5_3_1_csv_cells_stay_text_in_programs_that_split_on_semicolons_or_commas() -> None:
    import csv
    import io

    from varna.core.exports import Column, as_csv, table_of

    table = table_of([Column("Text", lambda value: value)], ["ok;=1+1", "ok,=2+2", "=3+3", "\uff1d4+4", 'a"b;c'],
                     title="t")
    content = as_csv(table).decode("utf-8-sig")
    lines = content.split("\r\n")
    assert lines[:6] == ['"Text"', '"ok;=1+1"', '"ok,=2+2"', '"\'=3+3"', '"\'\uff1d4+4"', '"a""b;c"']
    # Read as a Swedish spreadsheet program reads it: semicolon-separated, honouring the quotes.
    for delimiter in (";", ","):
        cells = [row for row in csv.reader(io.StringIO(content), delimiter=delimiter)]
        assert all(len(row) == 1 for row in cells if row)
        assert not any(cell.startswith(("=", "+", "-", "@", "\uff1d")) for row in cells for cell in row)
