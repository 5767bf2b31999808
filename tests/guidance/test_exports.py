"""The coordinator's contact review and its CSV/XLSX files hold the same contacts, columns and cells."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import translation

from tests.export_checks import assert_export_equals_page
from varna.core.models import AuditEvent
from varna.guidance.models import Contact

REVIEW = "/sollentuna/guidance/contacts/"


def test_the_contact_review_export_equals_the_page_and_is_audited(guide: Any, alice: Any,
                                                                   verified_client: Any) -> None:
    client = verified_client(alice)
    with translation.override("sv"):
        page = client.get(REVIEW)
        shown = assert_export_equals_page(page.content, client.get(REVIEW + "export.csv").content,
                                          client.get(REVIEW + "export.xlsx").content)
    rows = {" ".join(row[0].split()): row for row in shown[1:]}
    assert shown[0] == ["Kontakt", "Telefon", "Senast kontrollerad", "Behöver kontrolleras", "I guiden", "Källa"]
    own = {contact.key: contact.name for contact in Contact.objects.filter(municipality=guide)}
    # The page and the files agree on the cell; the check compares them with whitespace folded.
    national = {contact.key: f"{contact.name} (nationell post)"
                for contact in Contact.objects.filter(municipality__isnull=True)}
    # The seed's 2016 numbers need checking; the four national entries checked against a source do not.
    assert rows[own["coordinator"]][2:4] == ["2016-04-07", "Ja"]
    professionals = rows[national["cve-professionals"]]
    assert professionals[3] == "Nej"
    assert professionals[2].startswith("2026-11-25; ")  # the day, then how and by whom, in one cell
    assert "Verified today" not in " ".join(shown[0])
    # The 2016 relatives' line is listed but not in the guide: the national entry is newer and is.
    assert rows[own["relatives-line"]][4] == "Nej"
    assert rows[national["relatives-line"]][4] == "Ja"
    events = AuditEvent.objects.filter(action="guidance.contacts.exported")
    assert [(e.actor, e.data["format"], e.data["rows"]) for e in events.order_by("id")] == [
        (alice, "csv", len(shown) - 1), (alice, "xlsx", len(shown) - 1)]


def test_only_the_coordinator_downloads_the_contact_review(guide: Any, walter: Any, tove: Any,
                                                           verified_client: Any) -> None:
    assert verified_client(walter).get(REVIEW + "export.csv").status_code == 403
    assert verified_client(tove).get(REVIEW + "export.csv").status_code == 404
    assert Client().get(REVIEW + "export.csv").status_code == 302  # to the login page
    assert not AuditEvent.objects.filter(action="guidance.contacts.exported").exists()


def test_the_start_page_menu_and_directory_give_one_count_of_contacts_to_check(guide: Any, alice: Any,
                                                                                 verified_client: Any) -> None:
    # The count is the coordinator's own work: the six contacts from the 2016 plan. 112 and 1177 have never
    # been verified nationally, but that is the platform administrator's to do, not the coordinator's.
    client = verified_client(alice)
    with translation.override("sv"):
        start = client.get("/sollentuna/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
        review = client.get(REVIEW, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "6 kontakter i katalogen behöver kontrolleras" in start
    assert "Kontaktregister (6 behöver kontrolleras)" in start
    assert "6 av kommunens egna kontakter behöver kontrolleras." in review
    # The ones the coordinator can act on come first: the first row is the municipality's own.
    first_row = review[review.index("<tbody>"):].split("</tr>")[0]
    assert "nationell post" not in first_row
    assert "Kontrollera" in first_row
