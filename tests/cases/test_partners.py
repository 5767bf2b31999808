"""A partner from another organisation invited to exactly one case (varna.cases.partners, ADR 0005)."""

from __future__ import annotations

import re
from typing import Any
from unittest import mock

import pytest
from django.core import mail

from varna.cases import services
from varna.core import services as core_services
from varna.core.models import AuditEvent, Organisation, User

EMAIL = "rut@region.example"


@pytest.fixture
def region(cases_setup: Any) -> Organisation:
    return Organisation.objects.create(municipality=cases_setup, key="psykiatri", name="Regionens psykiatri",
                                       kind="health")


def _invite(actor: Any, case: Any, organisation: Any) -> str:
    with mock.patch("django.db.transaction.on_commit", lambda fn, *a, **k: fn()):
        invitation = services.partner_invite(actor=actor, case=case, email=EMAIL, name="Rut",
                                             organisation=organisation)
    return re.search(r"/account/invitation/([^/\s]+)/", mail.outbox[-1].body).group(1) if invitation else ""


def _accept(token: str) -> User:
    return core_services.invitation_accept(token=token, password="a long passphrase of words", full_name="Rut")


def test_a_partner_sees_the_one_case_and_nothing_else(alice: Any, case_a: Any, case_b: Any, region: Any,
                                                      login: Any) -> None:
    token = _invite(alice, case_a, region)
    assert case_a.code not in mail.outbox[-1].body  # the mail crosses to another organisation's mail system
    rut = _accept(token)
    client = login(rut)
    base = f"/{case_a.municipality.slug}/cases/"
    assert client.get(f"{base}{case_a.code}/").status_code == 200
    assert client.get(f"{base}{case_b.code}/").status_code == 404
    listing = client.get(base).content.decode()
    assert case_a.code in listing
    assert case_b.code not in listing
    assert client.get(f"{base}{case_a.code}/participants/").status_code == 404  # the coordinator's page
    participants = login(alice).get(f"{base}{case_a.code}/participants/").content.decode()
    assert "Rut (Regionens psykiatri)" in participants
    assert AuditEvent.objects.filter(action="cases.participant.added", data__partner=True).exists()
    assert AuditEvent.objects.filter(action="cases.partner.invited", object_id=case_a.code).exists()


def test_the_coordinator_invites_from_the_participants_page(alice: Any, case_a: Any, region: Any,
                                                            login: Any) -> None:
    url = f"/{case_a.municipality.slug}/cases/{case_a.code}/participants/"
    client = login(alice)
    with mock.patch("django.db.transaction.on_commit", lambda fn, *a, **k: fn()):
        response = client.post(url, {"action": "invite", "partner-email": EMAIL, "partner-name": "Rut",
                                     "partner-organisation": region.pk})
    assert response.status_code == 302
    assert mail.outbox[-1].to == [EMAIL]


def test_only_the_coordinator_invites_to_a_case(pia: Any, tove: Any, case_a: Any, region: Any) -> None:
    for actor in (pia, tove):  # a participant of the case; another municipality's coordinator
        with pytest.raises(services.CaseError):
            _invite(actor, case_a, region)


def test_someone_with_a_role_is_added_not_invited(alice: Any, otto: Any, case_a: Any, region: Any) -> None:
    with pytest.raises(services.CaseError):
        services.partner_invite(actor=alice, case=case_a, email=otto.email, name="Otto", organisation=region)


def test_a_case_closed_in_between_takes_no_partner(alice: Any, case_a: Any, region: Any) -> None:
    token = _invite(alice, case_a, region)
    type(case_a).objects.filter(pk=case_a.pk).update(status="closed")
    with pytest.raises(core_services.CoreError):
        _accept(token)
    assert not User.objects.filter(email=EMAIL, case_participations__isnull=False).exists()
