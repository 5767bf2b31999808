"""Invitations: a link that works once and until it expires; no password is ever sent; roles needing a second
administrator become requests; other municipalities' links are just links (their holder gets only what they name)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from varna.core import services
from varna.core.models import AuditEvent, Group, Invitation, Membership, Municipality, RoleRequest, User

PASSWORD = "a long and new passphrase"


def _token(message: Any) -> str:
    return re.search(r"/account/invitation/([^/\s]+)/", message.body).group(1)


@pytest.fixture
def invite(ada: Any, sollentuna: Any, django_capture_on_commit_callbacks: Any) -> Any:
    def make(email: str = "new@sollentuna.example", role: str = "staff", **extra: Any) -> tuple[Invitation, str]:
        with django_capture_on_commit_callbacks(execute=True):
            return services.invitation_create(actor=ada, municipality=sollentuna, email=email, role=role, **extra)
    return make


def test_invitation_mails_a_link_and_no_password(invite: Any) -> None:
    invitation, token = invite()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@sollentuna.example"]
    assert _token(mail.outbox[0]) == token
    assert token not in invitation.token_digest
    assert Invitation.objects.filter(token_digest__contains=token).count() == 0
    assert "password" not in mail.outbox[0].body.lower().replace("choose your own password", "")


def test_new_person_sets_password_once_and_gets_the_role(invite: Any, client: Any, sollentuna: Any) -> None:
    _invitation, token = invite()
    url = reverse("core:invitation", kwargs={"token": token})
    assert client.get(url).status_code == 200
    response = client.post(url, {"full_name": "Nora", "password": PASSWORD, "password_again": PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(email="new@sollentuna.example")
    assert user.check_password(PASSWORD)
    assert Membership.objects.filter(user=user, municipality=sollentuna, role="staff").exists()
    assert AuditEvent.objects.filter(action="core.invitation.accepted", municipality=sollentuna).count() == 1
    client.logout()
    # Single use: the same link no longer works, for anyone.
    assert client.get(url).status_code == 404
    assert client.post(url, {"full_name": "x", "password": PASSWORD + "2", "password_again": PASSWORD + "2"}
                       ).status_code == 404
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_expired_and_withdrawn_links_do_not_work(invite: Any, client: Any, ada: Any) -> None:
    invitation, token = invite()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(reverse("core:invitation", kwargs={"token": token})).status_code == 404
    other, other_token = invite(email="two@sollentuna.example")
    services.invitation_revoke(actor=ada, invitation=other)
    assert client.get(reverse("core:invitation", kwargs={"token": other_token})).status_code == 404
    with pytest.raises(services.CoreError):
        services.invitation_accept(token=other_token, password=PASSWORD)
    assert not User.objects.filter(email__in=["new@sollentuna.example", "two@sollentuna.example"]).exists()


def test_weak_password_is_refused_and_nothing_changes(invite: Any, client: Any) -> None:
    _invitation, token = invite()
    url = reverse("core:invitation", kwargs={"token": token})
    response = client.post(url, {"full_name": "Nora", "password": "short", "password_again": "short"})
    assert response.status_code == 200
    assert not User.objects.filter(email="new@sollentuna.example").exists()
    assert client.get(url).status_code == 200


def test_existing_account_must_log_in_as_the_invitee(invite: Any, client: Any, bob: Any, walter: Any,
                                                     sollentuna: Any) -> None:
    _invitation, token = invite(email=bob.email, role="manager")
    url = reverse("core:invitation", kwargs={"token": token})
    # Nobody can take over an existing account by choosing its password through the invitation.
    client.post(url, {"full_name": "x", "password": PASSWORD, "password_again": PASSWORD})
    bob.refresh_from_db()
    assert not bob.check_password(PASSWORD)
    client.force_login(walter)
    client.post(url)
    assert not Membership.objects.filter(user=walter, role="manager").exists()
    client.force_login(bob)
    client.post(url)
    assert Membership.objects.filter(user=bob, municipality=sollentuna, role="manager").exists()


def test_coordinator_role_becomes_a_request_for_a_second_administrator(invite: Any, ada: Any,
                                                                      sollentuna: Any) -> None:
    _invitation, token = invite(role="coordinator")
    user = services.invitation_accept(token=token, password=PASSWORD, full_name="Nora")
    assert not Membership.objects.filter(user=user, role="coordinator").exists()
    request = RoleRequest.objects.get(user=user, role="coordinator", status="pending")
    assert request.requested_by == ada
    with pytest.raises(services.CoreError):
        services.role_request_approve(actor=ada, role_request=request)


def test_only_an_administrator_invites_with_a_role(alice: Any, bob: Any, tove: Any, sollentuna: Any) -> None:
    for actor in (alice, bob, tove):
        with pytest.raises(services.CoreError):
            services.invitation_create(actor=actor, municipality=sollentuna, email="x@y.example", role="staff")
    group = Group.objects.create(municipality=sollentuna, kind="working", name="Arbetsgruppen")
    invitation, token = services.invitation_create(actor=alice, municipality=sollentuna, email="p@polisen.example",
                                                   group=group)
    user = services.invitation_accept(token=token, password=PASSWORD)
    assert group.members.filter(user=user).exists()
    assert not Membership.objects.filter(user=user).exists()


def test_other_municipalitys_unit_or_group_is_refused(ada: Any, taby: Any, sollentuna: Any) -> None:
    group = Group.objects.create(municipality=taby, kind="working", name="Täbys grupp")
    with pytest.raises(services.CoreError):
        services.invitation_create(actor=ada, municipality=sollentuna, email="x@y.example", group=group)


def test_command_creates_a_municipality_in_setup_and_invites_its_administrators(
        db: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("municipality_create", "--name", "Upplands Väsby", "--code", "0114",
                     "--admin", "it@vasby.example", "--admin", "sak@vasby.example")
    municipality = Municipality.objects.get(code="0114")
    assert (municipality.slug, municipality.in_setup) == ("upplands-vasby", True)
    assert sorted(m.to[0] for m in mail.outbox) == ["it@vasby.example", "sak@vasby.example"]
    # The first administrators have nobody to approve them: the operator's command is that approval.
    user = services.invitation_accept(token=_token(mail.outbox[0]), password=PASSWORD)
    assert Membership.objects.filter(user=user, municipality=municipality, role="administrator").exists()


@pytest.mark.parametrize("code", ["186", "01860", "abcd", ""])
def test_command_refuses_a_bad_code(db: Any, code: str) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("municipality_create", "--name", "Österåker", "--code", code)
    assert not Municipality.objects.exists()


def test_command_refuses_a_taken_code_or_slug(sollentuna: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("municipality_create", "--name", "Någon", "--code", "0163")
    with pytest.raises(CommandError):
        call_command("municipality_create", "--name", "Sollentuna", "--code", "0199")
    assert Municipality.objects.count() == 1


def test_cli_alias() -> None:
    from varna.cli import translate

    assert translate(["municipality", "create", "--name", "X"]) == ["municipality_create", "--name", "X"]
