"""Working-group meetings: agenda, holding a meeting fulfils the plan, actions carry over, calendars, minutes."""

import datetime as dt
import shutil
import subprocess
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from varna.core.models import AuditEvent, Group, GroupMembership, Organisation
from varna.core.terms import Term
from varna.followup import selectors as followup_selectors
from varna.followup.expectations import Status
from varna.followup.models import ActivityLog
from varna.meetings import services
from varna.meetings.models import Action, AgendaItem, CalendarToken, Meeting

URL = "/sollentuna/meetings/"


@pytest.fixture
def group(sollentuna: Any, alice: Any, walter: Any) -> Group:
    group = Group.objects.create(municipality=sollentuna, kind=Group.Kind.WORKING, name="Arbetsgruppen")
    GroupMembership.objects.create(group=group, user=alice)
    GroupMembership.objects.create(group=group, user=walter,
                                   organisation=Organisation.objects.get(municipality=sollentuna, key="kfk"))
    return group


def _meeting(alice: Any, sollentuna: Any, days_ago: int) -> Meeting:
    starts = timezone.now().replace(microsecond=0) - dt.timedelta(days=days_ago)
    return services.meeting_create(actor=alice, municipality=sollentuna, starts_at=starts,
                                   ends_at=starts + dt.timedelta(hours=2), place="Kommunhuset")


def _held(alice: Any, meeting: Meeting) -> Meeting:
    return services.meeting_mark_held(actor=alice, meeting=meeting, present=[alice.pk], minutes="Anteckningar")


def test_coordinator_plans_a_meeting_with_the_working_group_invited(verified_client: Any, alice: Any, walter: Any,
                                                                    group: Group, demo_plan: Any) -> None:
    response = verified_client(alice).post(URL + "new/", {"date": "2026-12-10", "starts": "13:00", "ends": "15:00",
                                                          "place": "Kommunhuset", "title": ""})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.title == "Arbetsgruppen"
    assert meeting.group == group
    assert {(a.user.email, a.organisation.key if a.organisation else None) for a in meeting.attendees.all()} == {
        ("alice@sollentuna.example", None), ("walter@sollentuna.example", "kfk")}
    assert AuditEvent.objects.filter(action="meetings.meeting.created", actor=alice).exists()


def test_agenda_lists_activities_behind_schedule(alice: Any, group: Group, demo_plan: Any, sollentuna: Any) -> None:
    meeting = _meeting(alice, sollentuna, days_ago=0)
    items = meeting.agenda_items.filter(kind=AgendaItem.Kind.OVERDUE_ACTIVITY)
    term = Term.of(timezone.localdate())
    overdue = {r.activity.key for r in followup_selectors.compliance(sollentuna, term) if r.overdue}
    assert {i.source_ref.rsplit("/", 1)[-1] for i in items} == overdue
    assert {i.source_ref.split(":")[1].split("/")[0] for i in items} <= {str(demo_plan.pk)}


def test_holding_a_meeting_logs_the_plans_meeting_activities(alice: Any, group: Group, demo_plan: Any,
                                                             sollentuna: Any) -> None:
    meeting = _held(alice, _meeting(alice, sollentuna, days_ago=1))
    logs = ActivityLog.objects.filter(source_ref=f"meetings.meeting:{meeting.pk}")
    assert sorted(log.activity_key for log in logs) == ["detect-situation-mapping", "prevent-working-group-meetings"]
    assert all(log.organisation is None and log.participants == 1 and log.source == "meeting" for log in logs)


def test_two_meetings_a_term_fulfil_twice_per_term_for_every_responsible_unit(alice: Any, group: Group,
                                                                             demo_plan: Any, sollentuna: Any) -> None:
    today = timezone.localdate()
    term = Term.of(today)
    for days in (1, 2):
        _held(alice, _meeting(alice, sollentuna, days_ago=days))
    if Term.of(today - dt.timedelta(days=2)) != term:
        pytest.skip("the meetings fell in different terms")
    rows = [r for r in followup_selectors.compliance(sollentuna, term, today=today)
            if r.activity.key == "prevent-working-group-meetings"]
    assert {r.unit.key for r in rows} == {"samordnare", "arbetsgruppen"}
    assert all((r.expected, r.done, r.status) == (2, 2, Status.DONE) for r in rows)


def test_a_future_meeting_cannot_be_marked_held(alice: Any, group: Group, demo_plan: Any, sollentuna: Any) -> None:
    with pytest.raises(services.MeetingError):
        _held(alice, _meeting(alice, sollentuna, days_ago=-3))
    assert not ActivityLog.objects.exists()


def test_open_actions_carry_over_to_the_next_agenda_until_done(alice: Any, walter: Any, group: Group,
                                                               demo_plan: Any, sollentuna: Any) -> None:
    first = _held(alice, _meeting(alice, sollentuna, days_ago=30))
    decision = services.decision_add(actor=alice, meeting=first, text="Utbildning för fritidsgårdarna")
    open_action = services.action_add(actor=alice, meeting=first, title="Boka utbildare", owner=walter,
                                      due_date=dt.date(2026, 12, 1), decision=decision)
    done_action = services.action_add(actor=alice, meeting=first, title="Skicka kallelse", owner=walter,
                                      due_date=dt.date(2026, 12, 1))
    services.action_update_status(actor=walter, action=done_action, status=Action.Status.DONE)
    services.action_update_status(actor=walter, action=open_action, status=Action.Status.IN_PROGRESS)

    second = _meeting(alice, sollentuna, days_ago=-7)
    carried = second.agenda_items.filter(kind=AgendaItem.Kind.OPEN_ACTION)
    assert [i.title for i in carried] == ["Boka utbildare"]
    assert carried.get().source_ref == f"action:{open_action.pk}"

    services.action_update_status(actor=walter, action=open_action, status=Action.Status.DONE)
    third = _meeting(alice, sollentuna, days_ago=-14)
    assert not third.agenda_items.filter(kind=AgendaItem.Kind.OPEN_ACTION).exists()


def test_agenda_is_editable_before_the_meeting_only(verified_client: Any, alice: Any, group: Group, demo_plan: Any,
                                                    sollentuna: Any) -> None:
    client = verified_client(alice)
    meeting = _meeting(alice, sollentuna, days_ago=1)
    assert client.post(f"{URL}{meeting.pk}/agenda/", {"title": "Övrigt", "notes": ""}).status_code == 302
    item = meeting.agenda_items.get(title="Övrigt")
    _held(alice, meeting)
    client.post(f"{URL}{meeting.pk}/agenda/", {"title": "För sent", "notes": ""})
    client.post(f"{URL}{meeting.pk}/agenda/{item.pk}/delete/", {"confirm": "yes"})
    assert meeting.agenda_items.filter(title="Övrigt").exists()
    assert not meeting.agenda_items.filter(title="För sent").exists()


def test_only_the_owner_or_coordinator_updates_an_action(client: Any, alice: Any, walter: Any, sten: Any,
                                                         group: Group, demo_plan: Any, sollentuna: Any) -> None:
    meeting = _held(alice, _meeting(alice, sollentuna, days_ago=3))
    action = services.action_add(actor=alice, meeting=meeting, title="Boka lokal", owner=walter,
                                 due_date=dt.date(2026, 12, 1))
    client.force_login(sten)
    assert client.post(f"{URL}actions/{action.pk}/status/", {"status": "done"}).status_code == 403
    client.force_login(walter)
    assert client.get(URL + "actions/").status_code == 200
    assert client.post(f"{URL}actions/{action.pk}/status/", {"status": "done", "note": "Bokat"}).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.status_note) == ("done", "Bokat")


def test_roles_and_tenancy(client: Any, verified_client: Any, bob: Any, tove: Any, alice: Any, group: Group,
                           demo_plan: Any, sollentuna: Any) -> None:
    meeting = _meeting(alice, sollentuna, days_ago=1)
    assert client.get(URL).status_code == 302
    client.force_login(bob)
    assert client.get(URL).status_code == 403
    tove_client = verified_client(tove)
    for path in [URL, f"{URL}{meeting.pk}/", f"{URL}{meeting.pk}/meeting.ics", URL + "new/"]:
        assert tove_client.get(path).status_code == 404


def _parse(body: bytes) -> list[Any]:
    return [c for c in Calendar.from_ical(body).walk() if c.name == "VEVENT"]


def test_meeting_ics_parses_back(client: Any, walter: Any, alice: Any, group: Group, demo_plan: Any,
                                 sollentuna: Any) -> None:
    meeting = _meeting(alice, sollentuna, days_ago=-5)
    client.force_login(walter)
    response = client.get(f"{URL}{meeting.pk}/meeting.ics")
    assert response["Content-Type"].startswith("text/calendar")
    [event] = _parse(response.content)
    assert str(event["uid"]) == f"{meeting.uid}@varna"
    assert event.decoded("dtstart") == meeting.starts_at
    assert event.decoded("dtend") == meeting.ends_at
    assert str(event["summary"]) == "Arbetsgruppen"
    assert str(event["location"]) == "Kommunhuset"


def test_calendar_feed_at_a_secret_revocable_address(client: Any, walter: Any, alice: Any, group: Group,
                                                     demo_plan: Any, sollentuna: Any, time_machine: Any) -> None:
    planned = _meeting(alice, sollentuna, days_ago=-5)
    held = _held(alice, _meeting(alice, sollentuna, days_ago=5))
    client.force_login(walter)
    feed_url = client.post(URL + "calendar/", {"action": "create"}).context["feed_url"]
    token = feed_url.rsplit("/", 2)[-2]
    assert CalendarToken.objects.get().token_hash != token  # only the hash is stored
    client.logout()
    read_at = timezone.now().replace(microsecond=0) + dt.timedelta(hours=1)
    time_machine.move_to(read_at, tick=False)
    response = client.get(f"/calendar/{token}/meetings.ics")
    assert response.status_code == 200
    assert {str(e["uid"]) for e in _parse(response.content)} == {f"{planned.uid}@varna", f"{held.uid}@varna"}
    assert CalendarToken.objects.get().last_used_at == read_at

    client.force_login(walter)
    client.post(URL + "calendar/", {"action": "revoke"})
    client.logout()
    assert client.get(f"/calendar/{token}/meetings.ics").status_code == 404
    assert client.get("/calendar/not-a-token/meetings.ics").status_code == 404


def test_a_new_feed_address_ends_the_old_one(walter: Any, group: Group, sollentuna: Any, client: Any) -> None:
    first = services.calendar_token_create(actor=walter, municipality=sollentuna)
    second = services.calendar_token_create(actor=walter, municipality=sollentuna)
    assert client.get(f"/calendar/{first}/meetings.ics").status_code == 404
    assert client.get(f"/calendar/{second}/meetings.ics").status_code == 200


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_minutes_pdf_holds_decisions_and_actions(client: Any, walter: Any, alice: Any, group: Group,
                                                 demo_plan: Any, sollentuna: Any, tmp_path: Any) -> None:
    meeting = _held(alice, _meeting(alice, sollentuna, days_ago=2))
    services.decision_add(actor=alice, meeting=meeting, text="Arbetsgruppen beslutar om en temadag")
    services.action_add(actor=alice, meeting=meeting, title="Boka lokal för temadagen", owner=walter,
                        due_date=dt.date(2026, 12, 1))
    client.force_login(walter)
    response = client.get(f"{URL}{meeting.pk}/minutes.pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ["Protokoll", "Arbetsgruppen beslutar om en temadag", "Boka lokal för temadagen", "Närvaro"]:
        assert expected in text
    assert AuditEvent.objects.filter(action="meetings.minutes.exported").exists()


def test_meeting_pages_render(client: Any, verified_client: Any, walter: Any, alice: Any, group: Group,
                              demo_plan: Any, sollentuna: Any) -> None:
    meeting = _held(alice, _meeting(alice, sollentuna, days_ago=2))
    _meeting(alice, sollentuna, days_ago=-2)
    coordinator = verified_client(alice)
    for path in [URL, f"{URL}{meeting.pk}/", URL + "new/", URL + "actions/?all=1", URL + "calendar/"]:
        assert coordinator.get(path).status_code == 200


def test_demo_meetings_load_once_and_fulfil_the_plan(time_machine: Any, demo_plan: Any, sollentuna: Any) -> None:
    from varna.core import demo as core_demo
    from varna.meetings import demo

    # Mid-autumn: the demo's three meetings (two last spring, one this autumn) are all in the past.
    time_machine.move_to(dt.datetime(2026, 10, 15, 10, tzinfo=ZoneInfo("Europe/Stockholm")))
    core_demo.load_municipality()
    assert demo.load(sollentuna) == "4 meetings added"
    assert sorted(Meeting.objects.values_list("status", flat=True)) == ["held", "held", "held", "planned"]
    assert demo.load(sollentuna) == "0 meetings added"
    assert Meeting.objects.count() == 4
    assert ActivityLog.objects.filter(source="meeting", activity_key="prevent-working-group-meetings").count() == 3


def test_coordinator_marks_a_meeting_held_in_the_browser(verified_client: Any, alice: Any, walter: Any, group: Group,
                                                         demo_plan: Any, sollentuna: Any) -> None:
    meeting = _meeting(alice, sollentuna, days_ago=1)
    client = verified_client(alice)
    assert client.get(f"{URL}{meeting.pk}/held/").status_code == 200
    response = client.post(f"{URL}{meeting.pk}/held/", {"present": [str(walter.pk)], "minutes": "Lägesbild"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_held
    assert meeting.minutes == "Lägesbild"
    assert [a.user for a in meeting.attendees.filter(present=True)] == [walter]
    assert ActivityLog.objects.filter(source_ref=f"meetings.meeting:{meeting.pk}").count() == 2
    assert client.post(f"{URL}{meeting.pk}/decisions/", {"text": "Beslut om temadag"}).status_code == 302
    assert client.post(f"{URL}{meeting.pk}/actions/", {"title": "Boka", "owner": walter.pk,
                                                       "due_date": "2026-12-20", "decision": ""}).status_code == 302
    assert meeting.decisions.count() == 1
    assert meeting.actions.get().owner == walter


def test_a_planned_meeting_can_be_moved_and_calendars_see_the_change(verified_client: Any, alice: Any,
                                                                     group: Group, demo_plan: Any,
                                                                     sollentuna: Any) -> None:
    meeting = _meeting(alice, sollentuna, days_ago=-10)
    client = verified_client(alice)
    assert client.get(f"{URL}{meeting.pk}/edit/").status_code == 200
    response = client.post(f"{URL}{meeting.pk}/edit/", {"title": "Extra möte", "date": "2026-12-15",
                                                        "starts": "09:00", "ends": "10:30", "place": "Sal B"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.place, meeting.sequence) == ("Extra möte", "Sal B", 1)
    assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M") == "2026-12-15 09:00"
    [event] = _parse(client.get(f"{URL}{meeting.pk}/meeting.ics").content)
    assert int(event["sequence"]) == 1
    held = _held(alice, _meeting(alice, sollentuna, days_ago=1))
    assert client.get(f"{URL}{held.pk}/edit/").status_code == 302  # no longer changeable


def test_the_owner_is_told_about_a_new_action(alice: Any, walter: Any, group: Group, demo_plan: Any,
                                              sollentuna: Any, django_capture_on_commit_callbacks: Any) -> None:
    from django.core import mail

    meeting = _held(alice, _meeting(alice, sollentuna, days_ago=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.action_add(actor=alice, meeting=meeting, title="Boka lokal", owner=walter,
                            due_date=dt.date(2026, 12, 1))
    [message] = mail.outbox
    assert message.to == ["walter@sollentuna.example"]
    assert "Boka lokal" in message.subject
    assert "2026-12-01" in message.body
    assert "/sollentuna/meetings/actions/" in message.body
