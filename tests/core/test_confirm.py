"""Every destructive action asks first, naming the object, and acts only on the confirmation page's button."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from varna.core.models import Membership
from varna.meetings import services as meetings
from varna.meetings.models import Meeting
from varna.plans import services as plans
from varna.plans.models import PlanVersion

pytestmark = pytest.mark.django_db


def _asks(response: Any, *names: str) -> str:
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="confirm" value="yes"' in page
    for name in names:
        assert name in page
    return page


def test_deleting_a_draft_asks_first_and_names_it(verified_client: Any, alice: Any, demo_plan: Any) -> None:
    draft = (PlanVersion.objects.filter(plan=demo_plan, status=PlanVersion.Status.DRAFT).first()
             or plans.version_create_draft(actor=alice, plan=demo_plan))
    client = verified_client(alice)
    url = f"/{demo_plan.municipality.slug}/plans/{demo_plan.slug}/versions/{draft.number}/delete/"
    with_translation = client.get(url, HTTP_ACCEPT_LANGUAGE="sv")
    _asks(with_translation, demo_plan.title, "Ta bort utkastet")
    _asks(client.post(url), demo_plan.title)  # the old one-click form only brings the person here
    assert PlanVersion.objects.filter(pk=draft.pk).exists()
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    assert not PlanVersion.objects.filter(pk=draft.pk).exists()


def test_cancelling_a_meeting_asks_first(verified_client: Any, alice: Any, sollentuna: Any) -> None:
    from varna.meetings.models import Group

    Group.objects.create(municipality=sollentuna, kind=Group.Kind.WORKING, name="Arbetsgruppen")
    start = timezone.now() + dt.timedelta(days=7)
    meeting = meetings.meeting_create(actor=alice, municipality=sollentuna, title="Vårmöte",
                                      starts_at=start, ends_at=start + dt.timedelta(hours=1), place="")
    client = verified_client(alice)
    url = f"/{sollentuna.slug}/meetings/{meeting.pk}/cancel/"
    _asks(client.get(url), "Vårmöte")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED
    client.post(url, {"confirm": "yes"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED


def test_removing_a_role_asks_first_and_names_role_and_person(verified_client: Any, ada: Any, bob: Any,
                                                              sollentuna: Any) -> None:
    membership = Membership.objects.get(user=bob)
    client = verified_client(ada)
    url = f"/{sollentuna.slug}/manage/people/{membership.pk}/revoke/"
    _asks(client.get(url), bob.full_name, str(membership.get_role_display()))
    assert Membership.objects.filter(pk=membership.pk).exists()
    client.post(url, {"confirm": "yes"})
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_confirmation_page_is_only_for_those_who_may_act(verified_client: Any, bob: Any, tove: Any,
                                                             ada: Any, sollentuna: Any) -> None:
    membership = Membership.objects.get(user=bob)
    url = f"/{sollentuna.slug}/manage/people/{membership.pk}/revoke/"
    assert verified_client(tove).get(url).status_code == 404
    assert verified_client(bob).post(url, {"confirm": "yes"}).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()
