"""Synthetic meetings for the demo: two terms of working-group meetings with decisions and actions. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from varna.core import demo as core_demo
from varna.core import services as core_services
from varna.core.actors import SYSTEM
from varna.core.models import Group, Municipality, Organisation, Role
from varna.core.terms import Term
from varna.meetings import selectors, services
from varna.meetings.models import Meeting

PLACE = "Kommunhuset, konferensrum 3 (demo)"
TITLE = "Arbetsgruppen mot våldsbejakande extremism (demo)"
# Synthetic members so that the attendance list looks like a real working group.
_MEMBERS = [
    ("demo.polis@sollentuna.example", "Polly Polis (demo)", "polisen"),
    ("demo.soc@sollentuna.example", "Sam Socialtjänst (demo)", "soc-mottagning"),
    ("demo.fritid@sollentuna.example", "Frida Fritid (demo)", "fritidsgardar"),
]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), timezone.get_current_timezone())


def _ensure_members(municipality: Municipality) -> None:
    core_demo.load_people(municipality)
    group = Group.objects.get(municipality=municipality, kind=Group.Kind.WORKING)
    for email, name, unit in _MEMBERS:
        organisation = Organisation.objects.filter(municipality=municipality, key=unit).first()
        user = core_services.user_get_or_create(email=email, full_name=name)
        core_services.membership_grant(actor=SYSTEM, municipality=municipality, user=user, role=Role.WORKING_GROUP,
                                       organisation=organisation)
        core_services.group_add_member(actor=SYSTEM, group=group, user=user, organisation=organisation)


def _held(municipality: Municipality, day: dt.date, minutes: str) -> Meeting | None:
    starts = _at(day, 13)
    if Meeting.objects.filter(municipality=municipality, starts_at=starts).exists():
        return None
    meeting = services.meeting_create(actor=SYSTEM, municipality=municipality, starts_at=starts,
                                      ends_at=_at(day, 15), place=PLACE, title=TITLE)
    present = [a.user_id for i, a in enumerate(meeting.attendees.all()) if i != 1]  # one sent apologies
    return services.meeting_mark_held(actor=SYSTEM, meeting=meeting, present=present, minutes=minutes)


@transaction.atomic
def load(municipality: Municipality, *, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    if selectors.working_group_of(municipality) is None:
        return "no working group"
    _ensure_members(municipality)
    coordinator = core_services.user_get_or_create(email=core_demo.DEMO_PEOPLE[0].email,
                                                   full_name=core_demo.DEMO_PEOPLE[0].name)
    working = core_services.user_get_or_create(email=core_demo.DEMO_PEOPLE[2].email,
                                               full_name=core_demo.DEMO_PEOPLE[2].name)
    current = Term.of(today)
    previous = current.previous()
    created = 0
    days = [previous.start + dt.timedelta(days=50), previous.start + dt.timedelta(days=140),
            current.start + dt.timedelta(days=60)]
    for n, day in enumerate(d for d in days if d < today):
        meeting = _held(municipality, day, "Syntetiska demoanteckningar: lägesbild, uppföljning av planen, "
                                           "utbildningsbehov i skolorna.")
        if meeting is None:
            continue
        created += 1
        decision = services.decision_add(actor=SYSTEM, meeting=meeting,
                                         text="Arbetsgruppen föreslår en utbildningsinsats om tecken och symboler "
                                              "för fritidsgårdarnas personal (demo).")
        services.action_add(actor=SYSTEM, meeting=meeting, title="Boka utbildare och lokal (demo)", owner=coordinator,
                            due_date=day + dt.timedelta(days=30), decision=decision)
        action = services.action_add(actor=SYSTEM, meeting=meeting, title="Sammanställ frågor från skolorna (demo)",
                                     owner=working, due_date=day + dt.timedelta(days=45))
        if n == 0:
            services.action_update_status(actor=coordinator, action=action, status="done", note="Klart (demo).")
    if not Meeting.objects.filter(municipality=municipality, status=Meeting.Status.PLANNED,
                                  starts_at__gte=timezone.now()).exists():
        day = today + dt.timedelta(days=14)
        services.meeting_create(actor=SYSTEM, municipality=municipality, starts_at=_at(day, 13), ends_at=_at(day, 15),
                                place=PLACE, title=TITLE)
        created += 1
    return f"{created} meetings added"
