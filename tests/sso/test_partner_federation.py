"""A partner comes through the federation's identity provider: invited by e-mail, they log in there instead of
choosing a password, and accept. Nobody without an open invitation gets in where the provider refuses strangers."""

from __future__ import annotations

import re
from typing import Any
from unittest import mock

from django.core import mail
from django.test import Client

from varna.core import services
from varna.core.models import AuditEvent, Group, GroupMembership, Organisation, User

PELLE = {"email": "pelle@polisen.example", "name": "Pelle Polis", "groups": [], "organisation": "Polisen"}


def test_an_invited_partner_logs_in_through_the_federation_and_accepts(
        client: Client, oidc_idp: Any, oidc_provider: Any, oidc_login: Any, alice: Any, sollentuna: Any,
        taby_provider: Any) -> None:
    oidc_provider.unknown_users = "refuse"
    oidc_provider.save()
    police = Organisation.objects.create(municipality=sollentuna, key="polisen", name="Polisen Nord", kind="police")
    group = Group.objects.create(municipality=sollentuna, kind="expert", name="Expertgruppen")
    oidc_idp.set_accounts({"pelle-1": PELLE})
    # Without an invitation the provider refuses a stranger.
    assert oidc_login(Client(), "sollentuna", "kommun", "pelle-1").status_code == 403
    with mock.patch("django.db.transaction.on_commit", lambda fn, *a, **k: fn()):
        services.invitation_create(actor=alice, municipality=sollentuna, email=PELLE["email"], name="Pelle",
                                   organisation=police, group=group)
    path = re.search(r"(/account/invitation/[^/\s]+/)", mail.outbox[-1].body).group(1)
    page = client.get(path).content.decode()
    assert "/account/sso/sollentuna/kommun/login/?next=" + path in page
    assert "/account/sso/taby/" not in page  # only the inviting municipality's providers

    response = oidc_login(client, "sollentuna", "kommun", "pelle-1", next_url=path)
    assert response.status_code == 302
    assert response["Location"] == path
    assert client.post(path).status_code == 302
    pelle = User.objects.get(email=PELLE["email"])
    assert not pelle.has_usable_password()
    assert GroupMembership.objects.filter(user=pelle, group=group).exists()
    assert str(pelle) == "Pelle Polis (Polisen Nord)"
    assert AuditEvent.objects.filter(action="core.invitation.accepted", actor=pelle).exists()


def test_another_municipalitys_invitation_opens_no_door(oidc_idp: Any, oidc_provider: Any, oidc_login: Any,
                                                        tove: Any, taby: Any) -> None:
    oidc_provider.unknown_users = "refuse"
    oidc_provider.save()
    police = Organisation.objects.create(municipality=taby, key="polisen", name="Polisen", kind="police")
    group = Group.objects.create(municipality=taby, kind="expert", name="Täbys expertgrupp")
    with mock.patch("django.db.transaction.on_commit", lambda fn, *a, **k: fn()):
        services.invitation_create(actor=tove, municipality=taby, email=PELLE["email"], organisation=police,
                                   group=group)
    oidc_idp.set_accounts({"pelle-1": PELLE})
    assert oidc_login(Client(), "sollentuna", "kommun", "pelle-1").status_code == 403
    assert not User.objects.filter(email=PELLE["email"]).exists()
