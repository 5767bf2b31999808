"""The coordinator's start page lists what needs attention, from each module's selectors: stale contacts,
plan activities behind schedule, open meeting actions and referrals awaiting an answer (a count only)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from varna.cases.models import Case, LegalBasis, Referral
from varna.core.models import Group, GroupMembership
from varna.guidance.models import Contact
from varna.meetings import services as meeting_services

URL = "/sollentuna/"


@pytest.fixture
def needs_attention(sollentuna: Any, alice: Any, demo_plan: Any) -> Any:
    from varna.cases import demo as cases_demo

    Contact.objects.create(municipality=sollentuna, key="fritid", name="Fritidsgården", last_verified_at=None)
    Contact.objects.create(municipality=sollentuna, key="skola", name="Skolan",
                           last_verified_at=timezone.localdate())
    group = Group.objects.create(municipality=sollentuna, kind=Group.Kind.WORKING, name="Arbetsgruppen")
    GroupMembership.objects.create(group=group, user=alice)
    starts = timezone.now().replace(microsecond=0) - dt.timedelta(days=3)
    meeting = meeting_services.meeting_create(actor=alice, municipality=sollentuna, starts_at=starts,
                                              ends_at=starts + dt.timedelta(hours=1))
    meeting_services.meeting_mark_held(actor=alice, meeting=meeting, present=[alice.pk])
    for title in ("Bjud in polisen", "Uppdatera kontaktlistan"):
        meeting_services.action_add(actor=alice, meeting=meeting, title=title, owner=alice,
                                    due_date=timezone.localdate() + dt.timedelta(days=14))
    cases_demo.load(sollentuna)
    case = Case.objects.create(municipality=sollentuna, opened_by=alice)
    basis = LegalBasis.objects.filter(municipality=sollentuna).first()
    for answer in (Referral.Answer.PENDING, Referral.Answer.PENDING, Referral.Answer.PENDING,
                   Referral.Answer.ACCEPTED):
        Referral.objects.create(case=case, kind=Referral.Kind.POLICE, legal_basis=basis, answer=answer,
                                sent_on=timezone.localdate(), created_by=alice)
    return case


def _attention(html: str) -> list[str]:
    match = re.search(r'<ul [^>]*id="attention"[^>]*>(.*?)</ul>', html, re.S)
    return [re.sub(r"\s+", " ", item).strip() for item in re.findall(r"<a [^>]*>(.*?)</a>", match.group(1), re.S)] \
        if match else []


@pytest.fixture
def on_a_known_day(time_machine: Any) -> None:
    """A fixed day in the spring term (time moves on from it): what is behind schedule depends on the date."""
    time_machine.move_to(dt.datetime(2026, 3, 11, 10, tzinfo=ZoneInfo("Europe/Stockholm")))


def test_coordinator_sees_what_needs_attention(on_a_known_day: None, verified_client: Any, alice: Any,
                                               sollentuna: Any, needs_attention: Case) -> None:
    html = verified_client(alice).get(URL).content.decode()
    items = _attention(html)
    assert "Det här väntar på dig" in html
    # The contact never verified (not the one verified today); the demo plan's five activities behind their
    # cadence on 11 March; two open actions; three referrals without an answer (not the accepted one).
    assert items == ["1 kontakt i katalogen behöver kontrolleras",
                     "5 aktiviteter i planen ligger efter schemat denna termin",
                     "2 åtgärder från mötena är öppna", "3 remisser väntar på svar"]
    assert needs_attention.code not in html
    for href in ("/sollentuna/guidance/", "/sollentuna/meetings/actions/", "/sollentuna/cases/"):
        assert href in html


def test_staff_see_no_case_count_and_no_directory_work(verified_client: Any, bob: Any,
                                                       needs_attention: Case) -> None:
    items = _attention(verified_client(bob).get(URL).content.decode())
    assert not any("remiss" in item or "kontakt" in item or "åtgärd" in item for item in items), items


def test_nothing_listed_for_anonymous_visitors(client: Any, needs_attention: Case) -> None:
    assert _attention(client.get(URL).content.decode()) == []


def test_selectors(sollentuna: Any, alice: Any, needs_attention: Case) -> None:
    from varna.cases import selectors as case_selectors
    from varna.guidance import selectors as guidance_selectors
    from varna.meetings import selectors as meeting_selectors

    assert "fritid" in {c.key for c in guidance_selectors.stale_contacts(sollentuna)}
    assert "skola" not in {c.key for c in guidance_selectors.stale_contacts(sollentuna)}
    assert meeting_selectors.open_actions_of(sollentuna).count() == 2
    assert case_selectors.referrals_awaiting_answer_count(alice, sollentuna) == 3
