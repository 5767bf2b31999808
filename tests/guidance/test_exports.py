"""The coordinator's contact review and its CSV/XLSX files hold the same contacts, columns and cells."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import translation

from tests.export_checks import assert_export_equals_page
from varna.core.models import AuditEvent

REVIEW = "/sollentuna/guidance/contacts/"


def test_the_contact_review_export_equals_the_page_and_is_audited(guide: Any, alice: Any,
                                                                   verified_client: Any) -> None:
    client = verified_client(alice)
    with translation.override("sv"):
        page = client.get(REVIEW)
        shown = assert_export_equals_page(page.content, client.get(REVIEW + "export.csv").content,
                                          client.get(REVIEW + "export.xlsx").content)
    rows = {row[1]: row for row in shown[1:]}
    # The seed's 2016 numbers need checking; the four national entries checked against a source do not.
    assert rows["coordinator"][7] == "Ja"
    assert rows["coordinator"][4] == "2016-04-07"
    assert rows["cve-professionals"][7] == "Nej"
    assert rows["cve-professionals"][2] == "nationellt"
    assert "Verified today" not in " ".join(shown[0])
    assert len(shown[0]) == 11
    # The 2016 relatives' line is listed but not in the guide: the national entry is newer and is.
    relatives = {row[2]: row[8] for row in shown[1:] if row[1] == "relatives-line"}
    assert relatives == {"av kommunen": "Nej", "nationellt": "Ja"}
    events = AuditEvent.objects.filter(action="guidance.contacts.exported")
    assert [(e.actor, e.data["format"], e.data["rows"]) for e in events.order_by("id")] == [
        (alice, "csv", len(shown) - 1), (alice, "xlsx", len(shown) - 1)]


def test_only_the_coordinator_downloads_the_contact_review(guide: Any, walter: Any, tove: Any,
                                                           verified_client: Any) -> None:
    assert verified_client(walter).get(REVIEW + "export.csv").status_code == 403
    assert verified_client(tove).get(REVIEW + "export.csv").status_code == 404
    assert Client().get(REVIEW + "export.csv").status_code == 302  # to the login page
    assert not AuditEvent.objects.filter(action="guidance.contacts.exported").exists()
