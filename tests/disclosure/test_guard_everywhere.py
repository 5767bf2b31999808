"""The personal-data guard runs in the service of every free text outside cases: meeting titles, agenda notes,
minutes, decisions, actions and their status notes, training titles and notes, the annual report's comments
on the plan, monitoring tags, observations, survey answers and the activity log. Nothing is saved, the
refusal names the kind and the field in Swedish and English, and neither it nor the log holds the text.

Tested in Täby, the other tenant of the fixtures: nothing here depends on the demo municipality."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone, translation

from varna.core.models import AuditEvent, Group, GroupMembership, Organisation
from varna.disclosure.guard import PersonalDataError
from varna.meetings import services as meetings
from varna.meetings.models import Action, AgendaItem, Decision, Meeting
from varna.report import services as report
from varna.report.models import Assessment
from varna.training import services as training
from varna.training.models import TrainingEvent

SECRET = "Kalle i 8B, ring 070-123 45 67"
CLEAN = "Genomgång av lägesbilden i Centrum inför sommarlovet i juni."


@pytest.fixture
def working_group(taby: Any, tove: Any) -> Group:
    group = Group.objects.create(municipality=taby, kind=Group.Kind.WORKING, name="Samverkansgruppen")
    GroupMembership.objects.create(group=group, user=tove)
    return group


@pytest.fixture
def held(taby: Any, tove: Any, working_group: Group) -> Meeting:
    starts = timezone.now().replace(microsecond=0) - dt.timedelta(days=1)
    meeting = meetings.meeting_create(actor=tove, municipality=taby, starts_at=starts,
                                      ends_at=starts + dt.timedelta(hours=1), place="Kommunhuset")
    return meetings.meeting_mark_held(actor=tove, meeting=meeting, present=[tove.pk], minutes=CLEAN)


def _refused(call: Callable[[], Any], field: str, caplog: pytest.LogCaptureFixture) -> PersonalDataError:
    with caplog.at_level(logging.INFO, logger="varna.disclosure"), pytest.raises(PersonalDataError) as refused:
        call()
    assert field in refused.value.errors
    assert set(refused.value.kinds[field]) == {"person_name", "phone_number"}
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert field in logged
    for part in ("Kalle", "8B", "070", "45 67"):
        assert part not in str(refused.value)
        assert part not in logged
    return refused.value


def test_meeting_texts_refuse_personal_data_and_save_nothing(
        taby: Any, tove: Any, working_group: Group, held: Meeting, caplog: pytest.LogCaptureFixture) -> None:
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    end = starts + dt.timedelta(hours=1)
    _refused(lambda: meetings.meeting_create(actor=tove, municipality=taby, starts_at=starts, ends_at=end,
                                             title=SECRET), "title", caplog)
    assert Meeting.objects.filter(municipality=taby).count() == 1
    _refused(lambda: meetings.minutes_save(actor=tove, meeting=held, minutes=SECRET), "minutes", caplog)
    held.refresh_from_db()
    assert held.minutes == CLEAN
    _refused(lambda: meetings.decision_add(actor=tove, meeting=held, text=SECRET), "text", caplog)
    assert not Decision.objects.exists()
    _refused(lambda: meetings.action_add(actor=tove, meeting=held, title=SECRET, owner=tove,
                                         due_date=timezone.localdate()), "title", caplog)
    assert not Action.objects.exists()
    action = meetings.action_add(actor=tove, meeting=held, title="Ta fram en affisch om stöd", owner=tove,
                                 due_date=timezone.localdate())
    _refused(lambda: meetings.action_update_status(actor=tove, action=action, status="done", note=SECRET),
             "status_note", caplog)
    action.refresh_from_db()
    assert action.status_note == ""
    assert action.status != "done"
    assert not AuditEvent.objects.filter(action__in=["meetings.minutes.changed", "meetings.decision.added"]).exists()


def test_agenda_notes_and_minutes_of_a_new_meeting_are_guarded(
        taby: Any, tove: Any, working_group: Group, caplog: pytest.LogCaptureFixture) -> None:
    starts = timezone.now().replace(microsecond=0) - dt.timedelta(hours=2)
    meeting = meetings.meeting_create(actor=tove, municipality=taby, starts_at=starts,
                                      ends_at=starts + dt.timedelta(hours=1))
    before = AgendaItem.objects.count()
    _refused(lambda: meetings.agenda_item_add(actor=tove, meeting=meeting, title="Övrigt", notes=SECRET),
             "notes", caplog)
    assert AgendaItem.objects.count() == before
    _refused(lambda: meetings.meeting_mark_held(actor=tove, meeting=meeting, present=[tove.pk], minutes=SECRET),
             "minutes", caplog)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_clean_meeting_texts_are_saved(tove: Any, held: Meeting) -> None:
    decision = meetings.decision_add(actor=tove, meeting=held, text="Arbetsgruppen beslutar om en temadag i maj.")
    meetings.minutes_save(actor=tove, meeting=held, minutes=CLEAN + "\nNästa möte i Norrbyskolans aula.")
    assert decision.pk
    assert "Norrbyskolans" in Meeting.objects.get(pk=held.pk).minutes


def test_the_meeting_page_shows_what_was_found_and_where_in_both_languages(
        verified_client: Any, tove: Any, held: Meeting) -> None:
    client = verified_client(tove)
    url = f"/taby/meetings/{held.pk}/decisions/"
    for language, words in [("sv", ["Ett namn hittades i ”beslut”", "Ett telefonnummer hittades"]),
                            ("en", ["A name was found in “decision”", "A phone number was found"])]:
        client.cookies["django_language"] = language
        response = client.post(url, {"text": SECRET}, follow=True)
        shown = " ".join(str(message) for message in response.context["messages"])
        assert all(word in shown for word in words), shown
        assert "070" not in shown
    assert not Decision.objects.exists()


def test_training_title_and_notes_are_guarded(taby: Any, tove: Any, caplog: pytest.LogCaptureFixture) -> None:
    unit = Organisation.objects.create(municipality=taby, key="skola", name="Skolan", kind="school")
    for field, values in [("title", {"title": SECRET}), ("description", {"title": "Tecken", "description": SECRET})]:
        refused = _refused(lambda values=values: training.event_create(
            actor=tove, municipality=taby, topic="signs", audience="staff", date=timezone.localdate(),
            attendance=[training.AttendanceRow(unit, {"female": 3, "male": 2})], **{"title": "", **values}), field,
            caplog)
        assert isinstance(refused, training.TrainingError)
    assert not TrainingEvent.objects.exists()
    event = training.event_create(actor=tove, municipality=taby, title="Tecken och symboler", topic="signs",
                                  audience="staff", date=timezone.localdate(), description="Föreläsning i aulan i maj.")
    assert event.pk


def test_the_annual_reports_comments_on_the_plan_are_guarded(taby: Any, tove: Any,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    for field in ("comment", "evidence"):
        _refused(lambda field=field: report.assessment_save(actor=tove, municipality=taby, year=2026, number=1,
                                                            score=2, **{field: SECRET}), field, caplog)
    assert not Assessment.objects.filter(comment__contains="Kalle").exists()
    assert not Assessment.objects.filter(evidence__contains="Kalle").exists()
    saved = report.assessment_save(actor=tove, municipality=taby, year=2026, number=1, score=2,
                                   comment="Samverkan med skolorna fungerar, föreningarna behöver nås.")
    assert saved.score == 2


def test_a_monitoring_tag_refusal_names_what_was_found() -> None:
    from varna.monitoring.services import tag_problem

    with translation.override("en"):
        assert "A phone number was found" in (tag_problem("070-123 45 67") or "")
    assert tag_problem("aktivklubb") is None


def test_the_action_status_page_refuses_a_note_with_personal_data(verified_client: Any, tove: Any,
                                                                   held: Meeting) -> None:
    action = meetings.action_add(actor=tove, meeting=held, title="Ta fram en affisch om stöd", owner=tove,
                                 due_date=timezone.localdate())
    client = verified_client(tove)
    client.cookies["django_language"] = "en"
    response = client.post(f"/taby/meetings/actions/{action.pk}/status/", {"status": "done", "note": SECRET},
                           follow=True)
    assert response.status_code == 200
    assert "A name was found in “comment”" in " ".join(str(m) for m in response.context["messages"])
    action.refresh_from_db()
    assert action.status_note == ""


def test_the_self_assessment_page_saves_nothing_when_one_comment_names_a_person(
        verified_client: Any, tove: Any) -> None:
    client = verified_client(tove)
    client.cookies["django_language"] = "en"
    data = {"rec-TOTAL_FORMS": "12", "rec-INITIAL_FORMS": "12", "rec-MIN_NUM_FORMS": "0", "rec-MAX_NUM_FORMS": "12"}
    for i in range(12):
        data |= {f"rec-{i}-number": str(i + 1), f"rec-{i}-score": "2", f"rec-{i}-comment": "Samverkan fungerar.",
                 f"rec-{i}-evidence": ""}
    data["rec-11-evidence"] = SECRET
    response = client.post("/taby/report/assessment/?year=2026", data, follow=True)
    shown = " ".join(str(m) for m in response.context["messages"])
    assert "A name was found in “evidence in Värna”" in shown
    assert "070" not in shown
    assert not Assessment.objects.filter(municipality__slug="taby").exists()
