"""The editable contact directory: create, change, verify (how and against what), retire, history, the national
list kept by the platform administrator, the rule that a local contact never hides a newer national fact, the
stale-contact e-mail and the quiet flag, two municipalities side by side."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.guidance import result_page
from varna.core.models import AuditEvent
from varna.guidance import selectors, services
from varna.guidance.models import Contact, ContactChange, DirectorySettings
from varna.guidance.phone import PhoneError, check_swedish_phone

REVIEW = "/sollentuna/guidance/contacts/"
TODAY = timezone.localdate()
RELATIVE = {"asker": "relative", "age_band": "adult", "immediate_danger": "no", "planning_violence": "no",
            "wants_to_leave": "no", "signs": []}


def _details(**overrides: Any) -> dict[str, Any]:
    return {"name": "Familjestödet", "organisation": "Socialtjänsten", "kind": "social_services_intake",
            "phone": "08-555 123 45", "url": "https://example.org/familjestod", "opening_hours": "Vardagar 8–16",
            "description": "För föräldrar som är oroliga.", "asker_roles": ["relative"], "min_age": "",
            "max_age": "", "method": "called", "source": "Ringde växeln, fick numret bekräftat",
            "checked_on": TODAY.isoformat(), "source_date": "", **overrides}


def _verification(day: dt.date = TODAY, source: str = "Checked the page") -> services.Verification:
    return services.Verification(method="web_page", source=source, checked_on=day)


# --- phone numbers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("number", ["112", "1177", "114 14", "116 111", "08-579 213 22", "020-100 200",
                                    "0771-22 00 60", "070-123 45 67", "+46 8 579 213 22", "08 - 579 213 22"])
def test_swedish_numbers_in_their_usual_forms_are_accepted(number: str) -> None:
    assert check_swedish_phone(number)


@pytest.mark.parametrize("number", ["ring oss", "08/579", "+47 22 00 00 00", "0046 8 579 213 22", "08-12",
                                    "08-579 213 22 44 55", "+46 08 579 213 22", "55", "4711", "08--579",
                                    "(08) 579 213 22", "+46 8", "112; DROP"])
def test_anything_else_is_refused(number: str) -> None:
    with pytest.raises(PhoneError):
        check_swedish_phone(number)


# --- create, change, verify, retire ---------------------------------------------------------------

def test_a_contact_edit_with_its_source_reaches_the_public_result_page_with_its_date(
        client: Client, verified_client: Any, alice: Any, guide: Any) -> None:
    """The issue's done-when: a change with a verification source appears on the result page with its date."""
    contact = Contact.objects.get(municipality=guide, key="coordinator")
    before = result_page.read(result_page.show(client, RELATIVE))
    assert "2016-04-07" in before.cards["coordinator"]
    assert before.warns_of_stale_contacts
    checked = TODAY - dt.timedelta(days=2)
    coordinator = verified_client(alice)
    response = coordinator.post(f"{REVIEW}{contact.pk}/edit/", _details(
        name=contact.name, kind="coordinator", phone="08-579 299 00", checked_on=checked.isoformat(),
        source="https://example.org/kontakt"))
    assert response.status_code == 303
    client.logout()
    card = result_page.read(result_page.show(client, RELATIVE)).cards["coordinator"]
    assert "08-579 299 00" in card
    assert 'href="tel:0857929900"' in card
    assert f"Senast kontrollerad {checked.isoformat()} (ringde numret)" in card
    assert "2016" not in card
    # The public directory names the source.
    assert "https://example.org/kontakt" in client.get("/sollentuna/vart-vander-jag-mig/kontakter/").content.decode()
    # History and audit: who, how, against what, and what changed.
    change = ContactChange.objects.filter(contact=contact).first()
    assert change.kind == "edited"
    assert change.actor == alice
    assert change.method == "called"
    assert change.source == "https://example.org/kontakt"
    assert change.checked_on == checked
    assert change.changes["phone"] == ["08-579 213 22", "08-579 299 00"]
    event = AuditEvent.objects.get(action="guidance.contact.changed")
    assert event.actor == alice
    assert event.municipality == guide
    assert "phone" in event.data["fields"]
    history = verified_client(alice).get(f"{REVIEW}{contact.pk}/history/").content.decode()
    assert "08-579 213 22" in history
    assert "08-579 299 00" in history
    assert "https://example.org/kontakt" in history


def test_the_coordinator_adds_a_contact_and_the_guide_shows_it(verified_client: Any, alice: Any, guide: Any,
                                                               client: Client) -> None:
    coordinator = verified_client(alice)
    assert coordinator.get(f"{REVIEW}new/").status_code == 200
    response = coordinator.post(f"{REVIEW}new/", {**_details(), "key": "family-support"})
    assert response.status_code == 303
    contact = Contact.objects.get(municipality=guide, key="family-support")
    assert contact.last_verified_at == TODAY
    assert contact.verified_by == alice
    assert contact.source.startswith("Ringde")
    assert contact.changes.get().kind == "created"
    assert AuditEvent.objects.get(action="guidance.contact.created").data["key"] == "family-support"
    assert "family-support" in selectors.directory_for(guide)
    client.logout()
    directory = client.get("/sollentuna/vart-vander-jag-mig/kontakter/").content.decode()
    assert "Familjestödet" in directory
    assert f"Senast kontrollerad {TODAY.isoformat()}" in directory
    # Who it is for: Bris (national, up to 17) and adult psychiatry (Sollentuna's, 18 and over) say so.
    assert "För den som är högst 17 år" in directory
    assert "För den som är 18 år eller äldre" in directory


@pytest.mark.parametrize(("overrides", "field"), [
    ({"phone": "ring 08-555"}, "phone"),
    ({"phone": "+47 22 00 00 00"}, "phone"),
    ({"url": "http://example.org"}, "url"),
    ({"url": "javascript:alert(1)"}, "url"),
    ({"min_age": "18", "max_age": "12"}, "max_age"),
    ({"max_age": "200"}, "max_age"),
    ({"min_age": "-1"}, "min_age"),
    ({"phone": "", "url": ""}, "phone"),
    ({"method": ""}, "method"),
    ({"source": "  "}, "source"),
    ({"checked_on": (TODAY + dt.timedelta(days=1)).isoformat()}, "checked_on"),
    ({"asker_roles": ["hacker"]}, "asker_roles"),
    ({"key": "Not A Slug!"}, "key"),
    ({"source": "x" * 301}, "source"),
    ({"name": "x" * 201}, "name"),
    ({"phone": "0" * 41}, "phone"),
])
def test_bad_details_are_refused_and_nothing_is_saved(verified_client: Any, alice: Any, guide: Any,
                                                      overrides: dict[str, Any], field: str) -> None:
    count = Contact.objects.count()
    response = verified_client(alice).post(f"{REVIEW}new/", {**_details(), "key": "family-support", **overrides})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Contact.objects.count() == count
    assert not AuditEvent.objects.filter(action="guidance.contact.created").exists()


def test_a_key_already_in_use_is_refused(verified_client: Any, alice: Any, guide: Any) -> None:
    response = verified_client(alice).post(f"{REVIEW}new/", {**_details(), "key": "coordinator"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Contact.objects.filter(municipality=guide, key="coordinator").count() == 1


def test_retiring_asks_first_naming_the_contact_and_keeps_its_history(verified_client: Any, alice: Any,
                                                                       guide: Any) -> None:
    coordinator = verified_client(alice)
    contact = Contact.objects.get(municipality=guide, key="adult-psychiatry")
    # The confirmation every destructive action uses (varna.core.confirm), naming the contact and its number.
    page = coordinator.get(f"{REVIEW}{contact.pk}/retire/")
    html = page.content.decode()
    assert page.status_code == 200
    assert page.templates[0].name == "confirm.html"
    assert "<h1 class=\"ds-heading\" data-size=\"lg\">Avveckla Järva vuxenpsykiatri?</h1>" in html
    assert f"<strong>Järva vuxenpsykiatri ({contact.phone})</strong>" in html
    assert "Kontakten försvinner ur er guide. Den raderas inte" in html
    assert ">Avveckla Järva vuxenpsykiatri</button>" in html
    assert 'name="confirm" value="yes"' in html
    assert f'href="{REVIEW}"' in html  # "No, go back"
    # Looking is not retiring, and neither is a POST without the confirmation (a forged or replayed form).
    assert coordinator.post(f"{REVIEW}{contact.pk}/retire/").templates[0].name == "confirm.html"
    assert Contact.objects.get(pk=contact.pk).retired_at is None
    assert not contact.changes.filter(kind="retired").exists()
    response = coordinator.post(f"{REVIEW}{contact.pk}/retire/", {"confirm": "yes"}, follow=True)
    assert response.redirect_chain == [(REVIEW, 303)]
    assert "Järva vuxenpsykiatri är avvecklad och visas inte längre i guiden." in response.content.decode()
    contact.refresh_from_db()
    assert contact.is_retired
    assert "adult-psychiatry" not in selectors.directory_for(guide)
    assert [c.kind for c in contact.changes.all()] == ["retired", "created"]
    assert AuditEvent.objects.get(action="guidance.contact.retired").actor == alice
    # Not deleted: its history still opens; it can't be changed, and its key is free for a new contact.
    assert coordinator.get(f"{REVIEW}{contact.pk}/history/").status_code == 200
    assert coordinator.get(f"{REVIEW}{contact.pk}/edit/").status_code == 404
    assert coordinator.post(f"{REVIEW}{contact.pk}/retire/", {"confirm": "yes"}).status_code == 404
    assert coordinator.post(f"{REVIEW}new/", {**_details(), "key": "adult-psychiatry"}).status_code == 303
    assert Contact.objects.filter(municipality=guide, key="adult-psychiatry").count() == 2


def test_staff_cannot_write_and_other_municipalities_get_404(verified_client: Any, bob: Any, tove: Any,
                                                              guide: Any, taby: Any, client: Client) -> None:
    contact = Contact.objects.get(municipality=guide, key="coordinator")
    writes = [(f"{REVIEW}new/", {**_details(), "key": "x-new"}), (f"{REVIEW}{contact.pk}/edit/", _details()),
              (f"{REVIEW}{contact.pk}/verify/", _details()), (f"{REVIEW}{contact.pk}/retire/", {"confirm": "yes"}),
              (f"{REVIEW}settings/", {"stale_after_days": "30"})]
    for url, data in writes:
        assert client.post(url, data)["Location"].startswith("/account/login/")
    staff = verified_client(bob)
    assert all(staff.post(url, data).status_code == 403 for url, data in writes)
    other = verified_client(tove)
    assert all(other.post(url, data).status_code == 404 for url, data in writes)
    # Through Täby's own address, Sollentuna's contact is no more to be found.
    for action in ("edit", "verify", "retire", "history"):
        assert other.get(f"/taby/guidance/contacts/{contact.pk}/{action}/").status_code == 404
    contact.refresh_from_db()
    assert contact.phone == "08-579 213 22"
    assert not contact.is_retired
    assert not AuditEvent.objects.filter(action__startswith="guidance.contact.").exists()
    assert not DirectorySettings.objects.exists()


# --- a second municipality with its own contacts --------------------------------------------------

def test_a_second_municipality_keeps_its_own_contacts(verified_client: Any, alice: Any, tove: Any, guide: Any,
                                                      taby: Any, client: Client) -> None:
    other = verified_client(tove)
    response = other.post("/taby/guidance/contacts/new/", {
        **_details(name="Täby familjeenhet", phone="08-555 999 00", kind="coordinator"), "key": "coordinator"})
    assert response.status_code == 303
    taby_contact = Contact.objects.get(municipality=taby, key="coordinator")
    assert selectors.directory_for(taby)["coordinator"] == taby_contact
    assert selectors.directory_for(guide)["coordinator"].municipality == guide
    assert selectors.local_verified_contact_count(taby) == 1
    # Sollentuna's demo contacts are all from 2016: none counts as verified for the setup checklist.
    assert selectors.local_verified_contact_count(guide) == 0
    client.logout()
    taby_page = client.get("/taby/vart-vander-jag-mig/kontakter/").content.decode()
    assert "Täby familjeenhet" in taby_page
    assert "08-579 213 22" not in taby_page
    assert "Täby familjeenhet" not in client.get("/sollentuna/vart-vander-jag-mig/kontakter/").content.decode()
    # Sollentuna's coordinator cannot reach Täby's contact by either address.
    sollentuna = verified_client(alice)
    assert sollentuna.get(f"{REVIEW}{taby_contact.pk}/edit/").status_code == 404
    assert sollentuna.get(f"/taby/guidance/contacts/{taby_contact.pk}/edit/").status_code == 404


# --- national contacts and the override rule ------------------------------------------------------

def _relatives_line(municipality: Any) -> tuple[Contact, Contact]:
    """The issue's example with invented data: the plan's 2016 operator against a national entry saying that
    another operator has run the line since 2017, checked later."""
    national = Contact.objects.create(
        municipality=None, key="worried-relatives", name="Linjen för oroliga anhöriga", kind="relatives_line",
        organisation="Stiftelsen Exempel (sedan 2017)", phone="020-000 100", source="https://example.org/linjen",
        source_date=dt.date(2017, 3, 1), last_verified_at=dt.date(2025, 9, 1))
    own = Contact.objects.create(
        municipality=municipality, key="worried-relatives", name="Hjälplinjen för anhöriga", kind="relatives_line",
        organisation="Föreningen Förr (enligt planen 2016)", phone="020-000 100",
        source="Handlingsplanen 2016", source_date=dt.date(2016, 4, 7), last_verified_at=dt.date(2016, 4, 7))
    return national, own


def test_a_municipalitys_old_contact_never_hides_a_newer_national_fact(guide: Any, taby: Any,
                                                                       verified_client: Any, alice: Any) -> None:
    national, own = _relatives_line(guide)
    assert selectors.directory_for(guide)["worried-relatives"] == national
    # (The demo's own 2016 relatives' line is hidden by the demo's national entry in the same way.)
    assert (own, national) in selectors.overridden_by_national(guide)
    review = verified_client(alice).get(REVIEW).content.decode()
    assert "Nyare nationella kontakter visas i stället för era" in review
    assert "Er ”Hjälplinjen för anhöriga”" in review
    # The coordinator checks the line again, today, seeing the national entry on the form: theirs shows again.
    form = verified_client(alice).get(f"{REVIEW}{own.pk}/verify/").content.decode()
    assert "Stiftelsen Exempel (sedan 2017)" in form
    services.contact_verify(actor=alice, municipality=guide, contact=own, verification=_verification())
    assert selectors.directory_for(guide)["worried-relatives"].pk == own.pk
    assert all(hidden.key != "worried-relatives" for hidden, _n in selectors.overridden_by_national(guide))
    # Then the platform administrator records a newer national fact: the local entry steps back at once.
    admin = _platform_admin()
    services.contact_update(actor=admin, municipality=None, contact=national,
                            values={"organisation": "Stiftelsen Annan"},
                            verification=_verification(day=TODAY, source="https://example.org/ny"))
    own.refresh_from_db()
    national.refresh_from_db()
    assert own.fact_date == national.fact_date == TODAY
    # Same day: the municipality's own checked entry still stands (ties go to the local check).
    assert selectors.directory_for(guide)["worried-relatives"].pk == own.pk
    # Täby has no entry of its own: it gets the national one, with the change.
    assert selectors.directory_for(taby)["worried-relatives"].organisation == "Stiftelsen Annan"


def test_a_national_entry_without_a_date_is_overridden_by_the_municipalitys(guide: Any) -> None:
    directory = selectors.directory_for(guide)
    assert directory["police-tips"].municipality == guide  # the national 114 14 entry gives no date


def _platform_admin() -> Any:
    from varna.core.models import User

    user = User.objects.create_user(email="platform@varna.example", password="correct horse battery",
                                    full_name="Platform")
    user.user_permissions.add(Permission.objects.get(codename="maintain_national_contacts"))
    return User.objects.get(pk=user.pk)


def test_the_platform_administrator_keeps_the_national_list_in_the_product(verified_client: Any, alice: Any,
                                                                            guide: Any, taby: Any) -> None:
    from varna.core.permissions import requires_two_factor

    admin = _platform_admin()
    assert requires_two_factor(admin)
    client = verified_client(admin)
    assert client.get("/national/contacts/").status_code == 200
    emergency = Contact.objects.get(municipality=None, key="emergency-112")
    response = client.post(f"/national/contacts/{emergency.pk}/verify/", {
        "method": "web_page", "source": "https://www.112.se", "checked_on": TODAY.isoformat()})
    assert response.status_code == 303
    emergency.refresh_from_db()
    assert emergency.last_verified_at == TODAY
    assert emergency.verified_by == admin
    event = AuditEvent.objects.get(action="guidance.contact.verified")
    assert event.municipality is None
    assert event.data["national"] is True
    response = client.post("/national/contacts/new/", {**_details(name="Stödlinjen", kind="leaver_support"),
                                                       "key": "leaver-line"})
    assert response.status_code == 303
    assert "leaver-line" in selectors.directory_for(guide)
    assert "leaver-line" in selectors.directory_for(taby)
    # A coordinator cannot change the national list, neither by its pages nor by the service.
    coordinator = verified_client(alice)
    assert coordinator.get("/national/contacts/").status_code == 403
    assert coordinator.post(f"/national/contacts/{emergency.pk}/retire/").status_code == 403
    with pytest.raises(services.PermissionDenied):
        services.contact_retire(actor=alice, municipality=None, contact=emergency)
    # And the platform administrator's national pages do not take a municipality's contact.
    own = Contact.objects.get(municipality=guide, key="coordinator")
    assert verified_client(admin).get(f"/national/contacts/{own.pk}/edit/").status_code == 404


# --- stale contacts: the weekly e-mail and the quiet flag -----------------------------------------

def test_stale_contacts_are_mailed_weekly_and_flagged_quietly(verified_client: Any, alice: Any, tove: Any,
                                                              guide: Any, taby: Any, client: Client,
                                                              django_capture_on_commit_callbacks: Any) -> None:
    """The issue's done-when: a stale contact is mailed and flagged."""
    coordinator = verified_client(alice)
    # Everything of Sollentuna's checked recently, except one, with a stale age of 30 days.
    for contact in Contact.objects.filter(municipality=guide):
        services.contact_verify(actor=alice, municipality=guide, contact=contact,
                                verification=_verification(day=TODAY - dt.timedelta(days=10)))
    old = Contact.objects.get(municipality=guide, key="social-services-intake")
    services.contact_verify(actor=alice, municipality=guide, contact=old,
                            verification=_verification(day=TODAY - dt.timedelta(days=40)))
    assert selectors.stale_contacts(guide) == []  # within the default year
    from varna.guidance import catalogue

    assert not catalogue.guide_data(guide).directory["social-services-intake"].needs_warning
    assert coordinator.post(f"{REVIEW}settings/", {"stale_after_days": "30"}).status_code == 303
    # The guide's pieces kept in memory are rebuilt: the new age applies to the public pages at once.
    assert catalogue.guide_data(guide).directory["social-services-intake"].needs_warning
    assert AuditEvent.objects.get(action="guidance.directory_settings.changed").data == {
        "stale_after_days": [None, 30]}
    assert [c.key for c in selectors.stale_contacts(guide)] == ["social-services-intake"]
    # Täby has a fresh contact of its own: nothing to tell Täby's coordinator.
    services.contact_create(actor=tove, municipality=taby, key="coordinator",
                            values={"name": "Täby", "kind": "coordinator", "phone": "08-555 999 00"},
                            verification=_verification())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_contact_reminders", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [[alice.email]]
    body = mail.outbox[0].body
    assert "Socialkontorets mottagningsgrupp" in body
    assert "30 dagar" in body
    assert REVIEW in body
    assert "Kommunens kontaktperson" not in body  # fresh contacts are not listed
    event = AuditEvent.objects.get(action="guidance.contacts.reminder_sent")
    assert event.data["stale"] == ["social-services-intake"]
    assert event.municipality == guide
    # At most once a week, whether from the command or the task.
    from varna.guidance.tasks import send_contact_reminders

    with django_capture_on_commit_callbacks(execute=True):
        assert send_contact_reminders.enqueue().return_value == 0
    assert len(mail.outbox) == 1
    # Flagged on the public pages: a quiet sentence, no amber box.
    client.logout()
    directory = client.get("/sollentuna/vart-vander-jag-mig/kontakter/").content.decode()
    card = directory.split('id="contact-social-services-intake"', 1)[1].split("</li>", 1)[0]
    assert "växel" in card
    assert 'data-color="warning"' not in directory
    fresh = directory.split('id="contact-coordinator"', 1)[1].split("</li>", 1)[0]
    assert "växel" not in fresh


def test_the_stale_age_is_kept_within_sane_bounds(verified_client: Any, alice: Any, guide: Any) -> None:
    coordinator = verified_client(alice)
    for value in ("29", "1096", "abc"):
        response = coordinator.post(f"{REVIEW}settings/", {"stale_after_days": value})
        assert response.status_code == 200
        assert "stale_after_days" in response.context["form"].errors
    assert not DirectorySettings.objects.exists()
    with pytest.raises(services.ContactError):
        services.directory_settings_update(actor=alice, municipality=guide, stale_after_days=5)


def test_a_hidden_older_contact_is_in_the_weekly_mail(guide: Any, alice: Any,
                                                      django_capture_on_commit_callbacks: Any) -> None:
    for contact in Contact.objects.filter(municipality=guide):
        services.contact_verify(actor=alice, municipality=guide, contact=contact, verification=_verification())
    national, own = _relatives_line(guide)
    national.last_verified_at = TODAY - dt.timedelta(days=1)
    national.save()
    own.last_verified_at = TODAY - dt.timedelta(days=5)
    own.source_date = None
    own.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.stale_contacts_remind(municipality=guide) == 1
    body = mail.outbox[0].body
    assert "Hjälplinjen för anhöriga" in body
    assert (TODAY - dt.timedelta(days=1)).isoformat() in body


def test_the_last_contact_a_guide_can_always_offer_cannot_be_retired(guide: Any, taby: Any,
                                                                      verified_client: Any) -> None:
    """Täby has no contacts of its own: retiring 112 nationally would leave its guide without any answer."""
    admin = _platform_admin()
    emergency = Contact.objects.get(municipality=None, key="emergency-112")
    page = verified_client(admin).post(f"/national/contacts/{emergency.pk}/retire/", {"confirm": "yes"})
    html = page.content.decode()
    # Asked again on the same confirmation page, saying why, with the national list's consequence.
    assert page.status_code == 200
    assert page.templates[0].name == "confirm.html"
    assert "112 är den sista kontakten som guiden i Täby alltid kan erbjuda. Lägg till en annan kontakt först." in html
    assert "Kontakten försvinner ur guiden i varje kommun som använder den nationella kontakten." in html
    emergency.refresh_from_db()
    assert not emergency.is_retired
    assert not emergency.changes.filter(kind="retired").exists()
    assert not AuditEvent.objects.filter(action="guidance.contact.retired").exists()


def test_the_platform_administrator_finds_the_national_list_from_every_page(verified_client: Any, alice: Any,
                                                                            guide: Any) -> None:
    assert "/national/contacts/" in verified_client(_platform_admin()).get("/").content.decode()
    assert "/national/contacts/" not in verified_client(alice).get("/sollentuna/").content.decode()


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="0123456789 -+()/abc", max_size=20))
def test_an_accepted_number_dials_what_it_shows(text: str) -> None:
    """Whatever is accepted is digit groups (and a leading +) only, so the tel: link dials what the page shows."""
    try:
        shown = check_swedish_phone(text)
    except PhoneError:
        return
    assert set(shown) <= set("0123456789 -+")
    assert "+" not in shown[1:]
    digits = "".join(ch for ch in shown if ch.isdigit())
    assert 3 <= len(digits) <= 11


def test_what_a_coordinator_types_is_shown_escaped(verified_client: Any, alice: Any, guide: Any,
                                                   client: Client) -> None:
    coordinator = verified_client(alice)
    contact = Contact.objects.get(municipality=guide, key="coordinator")
    attack = '<script>alert("x")</script>'
    assert coordinator.post(f"{REVIEW}{contact.pk}/edit/", _details(
        name=contact.name, kind="coordinator", source=attack, opening_hours=attack)).status_code == 303
    for html in (coordinator.get(f"{REVIEW}{contact.pk}/history/").content.decode(), coordinator.get(REVIEW)
                 .content.decode(), Client().get("/sollentuna/vart-vander-jag-mig/kontakter/").content.decode()):
        assert attack not in html
        assert "&lt;script&gt;" in html


# --- the national list's stale entries go to the platform administrators --------------------------

def _national(key: str, name: str, verified: dt.date | None) -> Contact:
    return Contact.objects.create(key=key, name=name, kind="other", phone="020-100 200", last_verified_at=verified)


def test_stale_national_entries_are_mailed_to_the_platform_administrators_not_the_coordinators(
        sollentuna: Any, taby: Any, alice: Any, tove: Any, make_person: Any,
        django_capture_on_commit_callbacks: Any) -> None:
    from varna.core.models import User

    admin = _platform_admin()
    root = User.objects.create_superuser(email="root@varna.example", password="correct horse battery")
    gone = _platform_admin_named("gone@varna.example")
    gone.is_active = False
    gone.save()
    _national("emergency-112", "112", TODAY - dt.timedelta(days=10))
    _national("healthcare-advice", "1177 Vårdguiden", TODAY - dt.timedelta(days=400))
    _national("bris", "Bris", None)
    retired = _national("old-line", "Gamla linjen", None)
    retired.retired_at = timezone.now()
    retired.save()
    # Sollentuna's own contacts are fresh; Täby has its own, stale, entry for one of the national keys.
    Contact.objects.create(municipality=sollentuna, key="coordinator", name="Sollentunas samordnare",
                           last_verified_at=TODAY - dt.timedelta(days=10))
    Contact.objects.create(municipality=taby, key="healthcare-advice", name="Täbys sjukvårdsrådgivning",
                           last_verified_at=TODAY - dt.timedelta(days=400))

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_contact_reminders", stdout=out)
    assert out.getvalue().splitlines() == ["sollentuna: 0 e-mails about contacts", "taby: 1 e-mails about contacts",
                                           "national: 2 e-mails about contacts"]
    by_recipients = {tuple(message.to): message for message in mail.outbox}
    assert sorted(by_recipients) == [(admin.email, root.email), (tove.email,)]
    national = by_recipients[(admin.email, root.email)]
    assert national.subject == "2 nationella kontakter behöver kontrolleras"
    assert "- 1177 Vårdguiden (020-100 200): senast kontrollerad " + (TODAY - dt.timedelta(days=400)).isoformat() \
        in national.body
    assert "- Bris (020-100 200): aldrig kontrollerad" in national.body
    assert "365 dagar" in national.body
    assert "/national/contacts/" in national.body
    assert "112 (" not in national.body
    assert "Gamla linjen" not in national.body
    assert "Täby" not in national.body
    # Täby's coordinator hears of Täby's own entry only, never of the national ones.
    local = by_recipients[(tove.email,)].body
    assert "Täbys sjukvårdsrådgivning" in local
    assert "Bris" not in local
    assert "1177 Vårdguiden" not in local
    assert all(alice.email not in message.to for message in mail.outbox)
    event = AuditEvent.objects.get(action="guidance.national_contacts.reminder_sent")
    assert event.municipality is None
    assert event.data == {"stale": ["bris", "healthcare-advice"], "recipients": 2}
    # At most once a week, from the command or the task; a run for one municipality leaves the national list alone.
    from varna.guidance.tasks import send_contact_reminders

    with django_capture_on_commit_callbacks(execute=True):
        assert send_contact_reminders.enqueue().return_value == 0
        call_command("send_contact_reminders", "--municipality", "taby", stdout=out)
    assert len(mail.outbox) == 2
    assert "national" not in out.getvalue().splitlines()[-1]


def _platform_admin_named(email: str) -> Any:
    from varna.core.models import User

    user = User.objects.create_user(email=email, password="correct horse battery", full_name=email)
    user.user_permissions.add(Permission.objects.get(codename="maintain_national_contacts"))
    return user


def test_the_national_list_has_its_own_stale_age(settings: Any, taby: Any, verified_client: Any,
                                                django_capture_on_commit_callbacks: Any) -> None:
    admin = _platform_admin()
    _national("emergency-112", "112", TODAY - dt.timedelta(days=40))
    # A municipality's own age says nothing about the national list.
    DirectorySettings.objects.create(municipality=taby, stale_after_days=30)
    assert selectors.stale_national_contacts() == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.stale_national_contacts_remind() == 0
    settings.VARNA_NATIONAL_CONTACTS_STALE_DAYS = 30
    assert [c.key for c in selectors.stale_national_contacts()] == ["emergency-112"]
    assert [c.key for c in selectors.national_contacts() if c.is_stale] == ["emergency-112"]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.stale_national_contacts_remind() == 1
    assert mail.outbox[0].to == [admin.email]
    assert "30 dagar" in mail.outbox[0].body
    page = verified_client(admin).get("/national/contacts/").content.decode()
    assert ("En post som ingen har kontrollerat på mer än 30 dagar skickas till plattformsadministratörerna varje "
            "vecka tills någon kontrollerar den.") in page


def test_with_nobody_keeping_the_national_list_nothing_is_sent_or_recorded(
        alice: Any, django_capture_on_commit_callbacks: Any) -> None:
    _national("bris", "Bris", None)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.stale_national_contacts_remind() == 0
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action="guidance.national_contacts.reminder_sent").exists()
