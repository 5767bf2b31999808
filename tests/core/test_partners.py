"""Partners from other organisations (police, region psychiatry): invited by core's e-mailed link to exactly one
group, with two factors, their organisation next to their name, and nothing else of the municipality (ASVS V4).

The attacker is written as tests: the partner poking at the rest of the municipality and at another
municipality, another group's meeting, a login without the second factor."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from varna.core import services
from varna.core.actors import SYSTEM
from varna.core.models import AuditEvent, Group, GroupMembership, Membership, Organisation, User

PASSWORD = "a long passphrase of words"
EMAIL = "pelle@polisen.example"


@pytest.fixture
def police(sollentuna: Any) -> Organisation:
    return Organisation.objects.create(municipality=sollentuna, key="polisen", name="Polisen Nord", kind="police")


@pytest.fixture
def groups(sollentuna: Any, taby: Any) -> dict[str, Group]:
    return {"working": Group.objects.create(municipality=sollentuna, kind="working", name="Arbetsgruppen"),
            "expert": Group.objects.create(municipality=sollentuna, kind="expert", name="Expertgruppen")}


def _invite(actor: Any, group: Group, organisation: Any) -> str:
    with mock.patch("django.db.transaction.on_commit", lambda fn, *a, **k: fn()):
        _invitation, token = services.invitation_create(actor=actor, municipality=group.municipality, email=EMAIL,
                                                        name="Pelle Polis", organisation=organisation, group=group)
    return token


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _take_up(client: Client, token: str) -> Any:
    """Choose a password, then set up the app (after the e-mailed code): what a partner does with the link."""
    response = client.post(f"/account/invitation/{token}/", {
        "full_name": "Pelle Polis", "password": PASSWORD, "password_again": PASSWORD})
    assert response.status_code == 302, "a partner is not logged in before a second factor"
    assert response["Location"].endswith("/account/two-factor/"), "a partner is not logged in before a second factor"
    client.post("/account/two-factor/", {"action": "send"})
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    client.post("/account/two-factor/", {"action": "check", "code": code})
    client.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user__email=EMAIL, confirmed=False)
    return client.post("/account/two-factor/", {"code": _code(device)})


def test_a_partner_sees_their_group_and_nothing_else(client: Client, alice: Any, sollentuna: Any, police: Any,
                                                     groups: dict[str, Group]) -> None:
    from varna.meetings.models import Meeting

    now = timezone.now()
    mine = Meeting.objects.create(municipality=sollentuna, group=groups["expert"], title="Expert",
                                  starts_at=now + dt.timedelta(days=3), ends_at=now + dt.timedelta(days=3, hours=1))
    other = Meeting.objects.create(municipality=sollentuna, group=groups["working"], title="Working",
                                   starts_at=now + dt.timedelta(days=4), ends_at=now + dt.timedelta(days=4, hours=1))
    _take_up(client, _invite(alice, groups["expert"], police))

    pelle = User.objects.get(email=EMAIL)
    assert str(pelle) == "Pelle Polis (Polisen Nord)"
    assert GroupMembership.objects.filter(user=pelle, group=groups["expert"], organisation=police).exists()
    assert not Membership.objects.filter(user=pelle).exists()
    assert AuditEvent.objects.filter(action="core.invitation.accepted").get().actor_label == \
        f"{EMAIL} (Polisen Nord)"

    listing = client.get("/sollentuna/meetings/").content.decode()
    assert f"/sollentuna/meetings/{mine.pk}/" in listing
    assert f"/sollentuna/meetings/{other.pk}/" not in listing
    assert "/meetings/actions/" not in listing
    assert "export.csv" not in listing
    assert client.get(f"/sollentuna/meetings/{mine.pk}/").status_code == 200
    assert client.get(f"/sollentuna/meetings/{mine.pk}/meeting.ics").status_code == 200
    for url in (f"/sollentuna/meetings/{other.pk}/", f"/sollentuna/meetings/{other.pk}/meeting.ics",
                "/sollentuna/meetings/export.csv", "/sollentuna/meetings/actions/", "/sollentuna/meetings/new/",
                "/sollentuna/manage/people/", "/sollentuna/manage/audit/", "/sollentuna/situation/",
                "/sollentuna/cases/", "/taby/meetings/"):
        assert client.get(url).status_code == 404, url  # nothing of the municipality is revealed to a partner


def test_a_partner_logs_in_with_two_factors(client: Client, alice: Any, police: Any,
                                            groups: dict[str, Group]) -> None:
    _take_up(client, _invite(alice, groups["expert"], police))
    fresh = Client()
    response = fresh.post("/account/login/", {"email": EMAIL, "password": PASSWORD})
    assert response["Location"].endswith("/account/two-factor/")
    assert fresh.get("/sollentuna/meetings/").status_code == 302


def test_a_partners_session_without_the_second_factor_is_sent_to_verify(client: Client, alice: Any,
                                                                        police: Any, groups: dict[str, Group]) -> None:
    _take_up(client, _invite(alice, groups["expert"], police))
    fresh = Client()
    fresh.force_login(User.objects.get(email=EMAIL))
    response = fresh.get("/sollentuna/meetings/")
    assert response.status_code == 302
    assert "two-factor" in response["Location"]


def test_the_organisation_shows_in_meeting_attendance(verified_client: Any, alice: Any, sollentuna: Any,
                                                      police: Any, groups: dict[str, Group]) -> None:
    from varna.meetings import services as meeting_services

    working = groups["working"]
    _take_up(Client(), _invite(alice, working, police))
    start = timezone.now() + dt.timedelta(days=2)
    meeting = meeting_services.meeting_create(actor=alice, municipality=sollentuna, starts_at=start,
                                              ends_at=start + dt.timedelta(hours=1))
    page = verified_client(alice).get(f"/sollentuna/meetings/{meeting.pk}/").content.decode()
    assert "Pelle Polis (Polisen Nord)" in page


def test_staff_in_a_group_are_not_partners(walter: Any, sollentuna: Any, groups: dict[str, Group]) -> None:
    from varna.core.permissions import is_partner
    from varna.core.selectors import partner_group_ids

    services.group_add_member(actor=SYSTEM, group=groups["expert"], user=walter)
    assert not is_partner(walter)
    assert partner_group_ids(walter, sollentuna) == frozenset()
    assert str(walter) == walter.full_name


def test_a_partners_start_page_leads_to_their_municipality_and_meetings(verified_client: Any, alice: Any,
                                                                         police: Any,
                                                                         groups: dict[str, Group]) -> None:
    _take_up(Client(), _invite(alice, groups["expert"], police))
    client = verified_client(User.objects.get(email=EMAIL))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/sollentuna/"
    assert "/sollentuna/meetings/" in client.get("/sollentuna/").content.decode()
