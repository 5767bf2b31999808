"""axe-core (WCAG 2.1 A/AA) on the pages of issue 17 the every-page crawl can't reach, in Swedish and English:
an invitation link (a token nobody else has), a partner's view of their group's meetings, the case's partner
invitation form, the second-factor reset and a SAML provider read from a metadata address."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

from django.utils import timezone

LANGUAGES = ["sv", "en"]


def _world(alice: Any, ada: Any, bob: Any, sollentuna: Any) -> tuple[list[tuple[str, Any]], str]:
    from varna.core import services
    from varna.core.models import Group, Membership, Organisation
    from varna.meetings.models import Meeting
    from varna.sso.models import IdentityProvider

    police = Organisation.objects.create(municipality=sollentuna, key="polisen", name="Polisen", kind="police")
    group = Group.objects.create(municipality=sollentuna, kind="working", name="Arbetsgruppen")
    with mock.patch("django.db.transaction.on_commit", lambda fn, *a, **k: fn()):
        _invitation, token = services.invitation_create(
            actor=alice, municipality=sollentuna, email="ny@polisen.example", name="Ny Partner", organisation=police,
            group=group)
        _accepted, partner_token = services.invitation_create(
            actor=alice, municipality=sollentuna, email="pelle@polisen.example", name="Pelle", organisation=police,
            group=group)
    partner = services.invitation_accept(token=partner_token, password="a long passphrase of words",
                                         full_name="Pelle")
    now = timezone.now()
    meeting = Meeting.objects.create(municipality=sollentuna, group=group, title="Arbetsgruppens möte",
                                     starts_at=now + dt.timedelta(days=2), ends_at=now + dt.timedelta(days=2, hours=1))
    IdentityProvider.objects.create(municipality=sollentuna, slug="federation", name="Federationen", protocol="saml",
                                    saml_metadata_url="https://md.federation.example/idp.xml",
                                    saml_idp_entity_id="https://idp.example", saml_metadata_fetched_at=now,
                                    saml_certificate_not_after=now + dt.timedelta(days=300))
    membership = Membership.objects.get(user=bob, municipality=sollentuna)
    pages = [(f"/account/invitation/{token}/", None),
             ("/sollentuna/meetings/", partner), (f"/sollentuna/meetings/{meeting.pk}/", partner),
             (f"/sollentuna/manage/people/{membership.pk}/second-factor/", ada),
             ("/sollentuna/manage/identity-providers/federation/", ada)]
    return pages, token


def test_the_new_pages_have_no_wcag_violations(new_page: Any, axe: Any, alice: Any, ada: Any, bob: Any,
                                               sollentuna: Any) -> None:
    pages, _token = _world(alice, ada, bob, sollentuna)
    problems = []
    for language in LANGUAGES:
        for path, user in pages:
            page = new_page(language, user=user)
            response = page.goto(path)
            assert response is not None, path
            assert response.status == 200, (path, response.status)
            problems += [f"({language}) {path} [{v['impact']}] {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"])
                         for v in axe(page)]
    assert not problems, "\n".join(problems)
