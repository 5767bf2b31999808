"""The contact directory: national contacts inherited and overridden, staleness, re-verification, tenancy."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.guidance import result_page
from varna.core.models import AuditEvent
from varna.guidance import demo
from varna.guidance.models import Contact
from varna.guidance.selectors import directory_for, stale_contacts

REVIEW = "/sollentuna/guidance/contacts/"
CHECKED = {"method": "called", "source": "Called the number, the intake answered",
           "checked_on": timezone.localdate().isoformat()}


def test_demo_contacts_carry_the_seed_numbers_and_show_as_stale(guide: Any) -> None:
    directory = directory_for(guide)
    expected = {"coordinator": "08-579 213 22", "social-services-intake": "08-579 212 50",
                "adult-psychiatry": "08-123 384 25", "relatives-line": "020-100 200", "police-tips": "114 14",
                "emergency-112": "112", "healthcare-advice": "1177", "bris": "116 111"}
    assert {key: directory[key].phone for key in expected} == expected
    for key in ("coordinator", "social-services-intake", "adult-psychiatry", "police-tips"):
        assert directory[key].last_verified_at == dt.date(2016, 4, 7)
        assert directory[key].is_stale
    # The plan's 2016 relatives' line is kept, but the national entry checked in 2026 is what the guide shows.
    assert directory["relatives-line"].is_national
    own = Contact.objects.get(municipality=guide, key="relatives-line")
    assert own.last_verified_at == dt.date(2016, 4, 7)
    assert own in stale_contacts(guide)


def test_a_municipality_inherits_national_contacts_and_overrides_them_by_key(guide: Any, taby: Any) -> None:
    demo.load(taby)  # Täby has no own file: only the national list
    national = Contact.objects.get(municipality=None, key="relatives-line")
    assert directory_for(taby)["relatives-line"] == national
    # police-tips: the national entry gives no date, so the municipality's own (2016) replaces it.
    assert directory_for(guide)["police-tips"].municipality == guide
    assert "coordinator" not in directory_for(taby)


def test_loading_the_demo_twice_creates_nothing_twice(guide: Any) -> None:
    count = Contact.objects.count()
    assert demo.load(guide) == "contacts already loaded"
    assert Contact.objects.count() == count


@pytest.mark.parametrize(("days", "stale"), [(0, False), (365, False), (366, True)])
def test_a_contact_is_stale_after_twelve_months(days: int, stale: bool) -> None:
    today = dt.date(2026, 11, 25)
    assert Contact(last_verified_at=today - dt.timedelta(days=days)).is_stale_on(today) is stale
    assert Contact(last_verified_at=None).is_stale_on(today)


def test_the_public_directory_says_quietly_when_each_contact_was_last_checked(client: Client, guide: Any) -> None:
    for language, checked, national in (("sv", "Senast kontrollerad 2016-04-07", "Förvaltas nationellt"),
                                        ("en", "Last checked 2016-04-07", "Maintained nationally")):
        client.cookies["django_language"] = language
        response = client.get("/sollentuna/vart-vander-jag-mig/kontakter/")
        assert response.status_code == 200
        html = response.content.decode()
        assert 'href="tel:0857921250"' in html
        assert checked in html
        # No amber box per contact; the national numbers (112 among them) carry no warning at all.
        assert 'data-color="warning"' not in html
        card_112 = html.split('id="contact-emergency-112"', 1)[1].split("</li>", 1)[0]
        assert national in card_112
        assert "switchboard" not in card_112
        assert "växel" not in card_112


def test_coordinator_reverifies_a_stale_contact_saying_how(verified_client: Any, alice: Any, guide: Any) -> None:
    client = verified_client(alice)
    page = client.get(REVIEW)
    assert page.status_code == 200
    stale_first = page.context["table"].objects[0]
    assert stale_first.is_stale
    contact = Contact.objects.get(municipality=guide, key="coordinator")
    response = client.post(f"{REVIEW}{contact.pk}/verify/", CHECKED)
    assert response.status_code == 303
    contact.refresh_from_db()
    assert contact.last_verified_at == timezone.localdate()
    assert contact.verified_by == alice
    assert contact.verification_method == "called"
    assert contact.source == CHECKED["source"]
    assert not contact.is_stale
    event = AuditEvent.objects.get(action="guidance.contact.verified")
    assert event.actor == alice
    assert event.municipality == guide
    assert event.data == {"key": "coordinator", "national": False, "previous": "2016-04-07",
                          "verified": timezone.localdate().isoformat(), "method": "called"}


def test_verifying_needs_the_coordinator_role_and_says_how(client: Client, bob: Any, verified_client: Any, alice: Any,
                                                       guide: Any) -> None:
    contact = Contact.objects.get(municipality=guide, key="coordinator")
    url = f"{REVIEW}{contact.pk}/verify/"
    assert client.post(url, CHECKED).status_code == 302
    assert "login" in client.post(url)["Location"]
    client.force_login(bob)
    assert client.get(REVIEW).status_code == 403
    assert client.post(url, CHECKED).status_code == 403
    # "Verified today" with nothing said about how is no longer possible: the form asks again.
    page = verified_client(alice).post(url, {})
    assert page.status_code == 200
    assert set(page.context["form"].errors) == {"method", "source", "checked_on"}
    assert not AuditEvent.objects.filter(action="guidance.contact.verified").exists()


def test_national_contacts_are_not_verified_by_a_municipality(verified_client: Any, alice: Any, guide: Any) -> None:
    national = Contact.objects.get(municipality=None, key="emergency-112")
    assert verified_client(alice).post(f"{REVIEW}{national.pk}/verify/", CHECKED).status_code == 404


def test_another_municipalitys_coordinator_gets_404(verified_client: Any, tove: Any, guide: Any) -> None:
    client = verified_client(tove)
    contact = Contact.objects.get(municipality=guide, key="coordinator")
    assert client.get(REVIEW).status_code == 404
    assert client.post(f"{REVIEW}{contact.pk}/verify/", CHECKED).status_code == 404
    # Not even through Täby's own address.
    assert client.post(f"/taby/guidance/contacts/{contact.pk}/verify/", CHECKED).status_code == 404
    contact.refresh_from_db()
    assert contact.last_verified_at == dt.date(2016, 4, 7)


def test_the_guide_shows_a_change_to_the_directory_at_once(client: Client, verified_client: Any, alice: Any,
                                                           guide: Any) -> None:
    """The guide keeps the directory in memory; saving a contact must refresh it."""
    answers = {"asker": "relative", "age_band": "adult", "immediate_danger": "no",
               "planning_violence": "no", "wants_to_leave": "no", "signs": []}
    first = result_page.read(result_page.show(client, answers))
    assert first.contacts[0] == "coordinator"
    assert "2016-04-07" in first.cards["coordinator"]
    contact = Contact.objects.get(municipality=guide, key="coordinator")
    verified_client(alice).post(f"{REVIEW}{contact.pk}/verify/", CHECKED)
    contact.refresh_from_db()
    contact.phone = "08-000 00 00"
    contact.save()
    client.logout()
    again = result_page.read(result_page.show(client, answers))
    card = again.cards["coordinator"]
    assert again.contacts[0] == "coordinator"
    assert "08-000 00 00" in card
    assert "2016" not in card
    assert "kommunens växel" not in card  # no "if the number does not work" hint any more


def test_the_coordinators_start_page_says_how_many_contacts_need_checking(verified_client: Any, alice: Any,
                                                                           guide: Any) -> None:
    client = verified_client(alice)
    client.cookies["django_language"] = "en"
    html = client.get("/sollentuna/").content.decode()
    # The six 2016 contacts of Sollentuna's own; never-verified national entries are not the coordinator's.
    assert "Contact directory (6 need checking)" in html
    assert f'href="{REVIEW}"' in html
