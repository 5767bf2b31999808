"""Writes for meetings. Each is atomic and writes its audit event; holding a meeting fulfils the plan."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from varna.core import audit
from varna.core.models import GroupMembership, Municipality, field_label
from varna.disclosure import guard as personal_data_guard
from varna.followup import services as followup_services
from varna.meetings import agenda, permissions, selectors
from varna.meetings.models import Action, AgendaItem, Attendee, CalendarToken, Decision, Meeting


class MeetingError(Exception):
    pass


class MeetingPermissionError(MeetingError):
    pass


class MeetingPersonalData(MeetingError, personal_data_guard.PersonalDataError):
    """A text of the meeting held personal data; the message says what and where, never the text."""


def _guard(model: type[models.Model], **texts: str) -> None:
    """Every member of the working group reads the minutes, decisions and actions: they say what was
    discussed and decided, never about whom (DESIGN.md: meetings hold no personal data)."""
    labels = {name: field_label(model, name) for name in texts}
    why = _("Meeting texts are read by the whole group: write what was discussed and decided, never about whom.")
    personal_data_guard.check_fields(texts, labels, why=why, error=MeetingPersonalData)


def _require_manager(actor: Any, municipality: Municipality) -> None:
    if actor is not None and not permissions.can_manage_meetings(actor, municipality):
        raise MeetingPermissionError(_("Only the coordinator runs meetings."))


def _require_planned(meeting: Meeting) -> None:
    if not meeting.is_planned:
        raise MeetingError(_("The agenda can only be changed before the meeting is held."))


def _require_held(meeting: Meeting) -> None:
    if not meeting.is_held:
        raise MeetingError(_("Mark the meeting as held first."))


@transaction.atomic
def meeting_create(*, actor: Any, municipality: Municipality, starts_at: dt.datetime, ends_at: dt.datetime,
                   place: str = "", title: str = "") -> Meeting:
    """Convene the working group: invite its members and build the agenda."""
    _require_manager(actor, municipality)
    if ends_at <= starts_at:
        raise MeetingError(_("The meeting must end after it starts."))
    _guard(Meeting, title=title)
    group = selectors.working_group_of(municipality)
    if group is None:
        raise MeetingError(_("The municipality has no working group yet."))
    meeting = Meeting.objects.create(
        municipality=municipality, group=group, title=title or group.name, starts_at=starts_at, ends_at=ends_at,
        place=place, created_by=actor if getattr(actor, "is_authenticated", False) else None)
    for member in GroupMembership.objects.filter(group=group).select_related("organisation"):
        Attendee.objects.create(meeting=meeting, user_id=member.user_id, organisation=member.organisation)
    _add_proposals(meeting)
    audit.record(actor=actor, action="meetings.meeting.created", municipality=municipality, obj=meeting,
                 data={"starts_at": starts_at.isoformat()})
    return meeting


def _add_proposals(meeting: Meeting) -> int:
    existing = set(meeting.agenda_items.exclude(source_ref="").values_list("source_ref", flat=True))
    order = meeting.agenda_items.aggregate(m=Max("order"))["m"] or 0
    added = 0
    for source in agenda.sources():
        for proposal in source(meeting):
            if proposal.source_ref in existing:
                continue
            order += 10
            AgendaItem.objects.create(meeting=meeting, order=order, kind=proposal.kind, title=proposal.title[:300],
                                      notes=proposal.notes, source_ref=proposal.source_ref)
            existing.add(proposal.source_ref)
            added += 1
    return added


@transaction.atomic
def meeting_update(*, actor: Any, meeting: Meeting, starts_at: dt.datetime, ends_at: dt.datetime, place: str,
                   title: str) -> Meeting:
    """Move or rename a meeting before it is held. Calendars see the change (the sequence goes up)."""
    _require_manager(actor, meeting.municipality)
    _require_planned(meeting)
    if ends_at <= starts_at:
        raise MeetingError(_("The meeting must end after it starts."))
    _guard(Meeting, title=title)
    meeting.starts_at, meeting.ends_at, meeting.place = starts_at, ends_at, place
    meeting.title = title or meeting.group.name
    meeting.sequence += 1
    meeting.save(update_fields=["starts_at", "ends_at", "place", "title", "sequence"])
    audit.record(actor=actor, action="meetings.meeting.changed", municipality=meeting.municipality, obj=meeting,
                 data={"starts_at": starts_at.isoformat()})
    return meeting


@transaction.atomic
def agenda_refresh(*, actor: Any, meeting: Meeting) -> int:
    """Add what has come up since the agenda was built (edited and typed items are kept)."""
    _require_manager(actor, meeting.municipality)
    _require_planned(meeting)
    added = _add_proposals(meeting)
    audit.record(actor=actor, action="meetings.agenda.refreshed", municipality=meeting.municipality, obj=meeting,
                 data={"added": added})
    return added


@transaction.atomic
def agenda_item_add(*, actor: Any, meeting: Meeting, title: str, notes: str = "") -> AgendaItem:
    _require_manager(actor, meeting.municipality)
    _require_planned(meeting)
    _guard(AgendaItem, title=title, notes=notes)
    order = (meeting.agenda_items.aggregate(m=Max("order"))["m"] or 0) + 10
    item = AgendaItem.objects.create(meeting=meeting, order=order, title=title, notes=notes)
    audit.record(actor=actor, action="meetings.agenda.item_added", municipality=meeting.municipality, obj=meeting,
                 data={"item": item.pk})
    return item


@transaction.atomic
def agenda_item_delete(*, actor: Any, item: AgendaItem) -> None:
    meeting = item.meeting
    _require_manager(actor, meeting.municipality)
    _require_planned(meeting)
    audit.record(actor=actor, action="meetings.agenda.item_removed", municipality=meeting.municipality, obj=meeting,
                 data={"title": item.title})
    item.delete()


@transaction.atomic
def meeting_mark_held(*, actor: Any, meeting: Meeting, present: Iterable[int], minutes: str = "") -> Meeting:
    """Record that the meeting took place and who came; log it against the plan's meeting activities."""
    _require_manager(actor, meeting.municipality)
    _require_planned(meeting)
    if meeting.starts_at > timezone.now():
        raise MeetingError(_("A meeting can be marked as held once it has started."))
    _guard(Meeting, minutes=minutes)
    present_ids = set(present)
    for attendee in meeting.attendees.all():
        attendee.present = attendee.user_id in present_ids
        attendee.save(update_fields=["present"])
    meeting.status, meeting.held_at, meeting.minutes = Meeting.Status.HELD, timezone.now(), minutes
    meeting.sequence += 1
    meeting.save(update_fields=["status", "held_at", "minutes", "sequence"])
    day = timezone.localtime(meeting.starts_at).date()
    fulfilled = []
    for activity in selectors.activities_fulfilled(meeting):
        followup_services.log_from_source(
            actor=actor, municipality=meeting.municipality, activity=activity, date=day,
            description=_("Meeting held: %(title)s") % {"title": meeting.title},
            source="meeting", source_ref=f"meetings.meeting:{meeting.pk}", participants=len(present_ids))
        fulfilled.append(f"{activity.version.plan.slug}/{activity.key}")
    audit.record(actor=actor, action="meetings.meeting.held", municipality=meeting.municipality, obj=meeting,
                 data={"present": len(present_ids), "fulfils": fulfilled})
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: Any, meeting: Meeting) -> Meeting:
    _require_manager(actor, meeting.municipality)
    _require_planned(meeting)
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence"])
    audit.record(actor=actor, action="meetings.meeting.cancelled", municipality=meeting.municipality, obj=meeting)
    return meeting


@transaction.atomic
def minutes_save(*, actor: Any, meeting: Meeting, minutes: str) -> Meeting:
    _require_manager(actor, meeting.municipality)
    _require_held(meeting)
    _guard(Meeting, minutes=minutes)
    meeting.minutes = minutes
    meeting.save(update_fields=["minutes"])
    audit.record(actor=actor, action="meetings.minutes.changed", municipality=meeting.municipality, obj=meeting)
    return meeting


@transaction.atomic
def decision_add(*, actor: Any, meeting: Meeting, text: str) -> Decision:
    _require_manager(actor, meeting.municipality)
    _require_held(meeting)
    _guard(Decision, text=text)
    order = (meeting.decisions.aggregate(m=Max("order"))["m"] or 0) + 1
    decision = Decision.objects.create(meeting=meeting, order=order, text=text)
    audit.record(actor=actor, action="meetings.decision.added", municipality=meeting.municipality, obj=decision)
    return decision


@transaction.atomic
def action_add(*, actor: Any, meeting: Meeting, title: str, owner: Any, due_date: dt.date,
               decision: Decision | None = None) -> Action:
    """An action decided at the meeting; it stays on every later agenda until its owner marks it done."""
    _require_manager(actor, meeting.municipality)
    _require_held(meeting)
    _guard(Action, title=title)
    if not meeting.attendees.filter(user=owner).exists() and not owner.memberships.filter(
            municipality=meeting.municipality).exists():
        raise MeetingError(_("The owner must belong to the municipality."))
    if decision is not None and decision.meeting_id != meeting.pk:
        raise MeetingError(_("The decision belongs to another meeting."))
    action = Action.objects.create(municipality=meeting.municipality, meeting=meeting, decision=decision,
                                   title=title, owner=owner, due_date=due_date)
    audit.record(actor=actor, action="meetings.action.created", municipality=meeting.municipality, obj=action,
                 data={"owner": owner.get_username(), "due": due_date.isoformat()})
    _tell_owner(action)
    return action


def _tell_owner(action: Action) -> None:
    url = settings.VARNA_PUBLIC_URL + reverse("meetings:action_list", args=[action.municipality.slug])
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("New action for you: %(title)s") % {"title": action.title}
        body = _("The working group decided at its meeting %(date)s that you will: %(title)s\n"
                 "Due: %(due)s\n\nUpdate its status in Värna: %(url)s") % {
            "date": timezone.localtime(action.meeting.starts_at).date().isoformat(), "title": action.title,
            "due": action.due_date.isoformat(), "url": url}
    recipient = action.owner.email
    if recipient:
        transaction.on_commit(lambda: send_mail(subject, body, None, [recipient]))


@transaction.atomic
def action_update_status(*, actor: Any, action: Action, status: str, note: str = "") -> Action:
    if not permissions.can_update_action(actor, action.municipality, action):
        raise MeetingPermissionError(_("Only the owner or the coordinator updates an action."))
    if status not in Action.Status.values:
        raise MeetingError(_("Unknown status."))
    _guard(Action, status_note=note)
    before = action.status
    action.status, action.status_note = status, note
    action.save(update_fields=["status", "status_note", "updated_at"])
    audit.record(actor=actor, action="meetings.action.status_changed", municipality=action.municipality, obj=action,
                 data={"from": before, "to": status})
    return action


# --- calendar feed -------------------------------------------------------------------------------

@transaction.atomic
def calendar_token_create(*, actor: Any, municipality: Municipality) -> str:
    """A new secret feed address for the actor; any earlier one stops working. Returns the secret once."""
    if not permissions.can_use_calendar_feed(actor, municipality):
        raise MeetingPermissionError(_("Your role has no meeting calendar."))
    CalendarToken.objects.filter(municipality=municipality, user=actor, revoked_at__isnull=True).update(
        revoked_at=timezone.now())
    raw = secrets.token_urlsafe(32)
    CalendarToken.objects.create(municipality=municipality, user=actor, token_hash=selectors.hash_token(raw))
    audit.record(actor=actor, action="meetings.calendar_feed.created", municipality=municipality)
    return raw


@transaction.atomic
def calendar_token_revoke(*, actor: Any, municipality: Municipality) -> int:
    revoked = CalendarToken.objects.filter(municipality=municipality, user=actor, revoked_at__isnull=True).update(
        revoked_at=timezone.now())
    audit.record(actor=actor, action="meetings.calendar_feed.revoked", municipality=municipality,
                 data={"revoked": revoked})
    return revoked


def calendar_token_used(token: CalendarToken) -> None:
    # Not audited per fetch: calendar programs poll every few minutes. The timestamp shows it is in use.
    CalendarToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())


def list_exported(*, actor: Any, municipality: Municipality, what: str, file_format: str, filters: dict[str, str],
                  rows: int) -> None:
    """An export of the meeting or action list (`what`): format, filters and row count, never the rows."""
    audit.record(actor=actor, action=f"meetings.{what}.exported", municipality=municipality,
                 data={"format": file_format, "filters": filters, "rows": rows})
