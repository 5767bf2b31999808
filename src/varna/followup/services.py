"""Writes for follow-up: logging what was done, exports and reminders. Each writes its audit event."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.core.validators import URLValidator
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from varna.core import audit
from varna.core.files import display_name
from varna.core.models import Membership, Municipality, Organisation, Role
from varna.core.permissions import NotPermitted, is_member, require
from varna.core.terms import Term
from varna.disclosure import guard as personal_data_guard
from varna.followup import permissions, selectors
from varna.followup.models import ActivityLog, ReminderSent
from varna.plans.models import Activity


class FollowupError(Exception):
    pass


class FollowupPermissionError(FollowupError, NotPermitted):
    """The actor may not log for this unit."""


class FollowupInvalid(FollowupError):
    """One value breaks a rule of every log entry; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


DESCRIPTION_MAX = 4000
MAX_PARTICIPANTS = 100_000
# The form's link field refuses a bad address with these words too, so both paths say the same.
LINK_INVALID = _lazy("Enter a web address (http or https).")
_LINK = URLValidator(schemes=["http", "https"])


def _check_values(*, date: dt.date, description: str, participants: int | None, link: str) -> None:
    """The rules of every log entry, whoever parsed the values (the form, the API)."""
    if date > timezone.localdate():
        raise FollowupInvalid("date", _("The date is in the future; log what has been done."))
    if len(description) > DESCRIPTION_MAX:
        raise FollowupInvalid("description", _("Describe what was done in at most %(n)s characters.")
                              % {"n": DESCRIPTION_MAX})
    if participants is not None and not 0 <= participants <= MAX_PARTICIPANTS:
        raise FollowupInvalid("participants", _("The number of participants is from 0 to %(max)s.")
                              % {"max": MAX_PARTICIPANTS})
    if link:
        try:
            _LINK(link)
        except ValidationError:
            raise FollowupInvalid("link", str(LINK_INVALID)) from None


def log_target(*, municipality: Municipality, activity: str, plan: str | None = None,
               unit: str | None = None) -> tuple[Activity, Organisation | None]:
    """The activity in force and the unit that a program names by keys (the API), for :func:`log_create`.

    `plan` (a plan's address name) is needed only when several plans in force have an activity with the key.
    :class:`FollowupInvalid` names the key that matches nothing.
    """
    from varna.plans import selectors as plans

    chosen = None
    if plan:
        chosen = plans.plans_of(municipality).filter(slug=plan).first()
        if chosen is None:
            raise FollowupInvalid("plan", _("No plan has this address name."))
    in_force = list(selectors.loggable_activities(municipality, plan=chosen).filter(key=activity))
    if chosen is None and len({a.version.plan_id for a in in_force}) > 1:
        raise FollowupInvalid("plan", _("Several plans have an activity with this key: name the plan."))
    if not in_force:
        raise FollowupInvalid("activity", _("No activity of a plan version in force has this key."))
    organisation = None
    if unit:
        organisation = Organisation.objects.for_municipality(municipality).filter(key=unit).first()
        if organisation is None:
            raise FollowupInvalid("unit", _("No unit has this key."))
    return in_force[0], organisation


# The one guard's refusal (varna.disclosure.guard), under the name this module's callers know.
FollowupPersonalData = personal_data_guard.PersonalDataError


def _check_personal_data(description: str) -> None:
    """Every role that reads follow-up reads a log's free text, so it may name nobody."""
    personal_data_guard.check(
        description, field="description", label=_("description"),
        why=_("The activity log is read by every role: describe what was done, never who it concerned."))


@transaction.atomic
def log_create(*, actor: Any, municipality: Municipality, activity: Activity, organisation: Organisation | None,
               date: dt.date, description: str, participants: int | None = None, link: str = "",
               attachment: UploadedFile | None = None) -> ActivityLog:
    """Log one occurrence of `activity` for `organisation` (None: the responsible units together)."""
    if activity.version.plan.municipality_id != municipality.pk:
        raise FollowupError(_("The activity belongs to another municipality."))
    if not permissions.can_log_for(actor, municipality, organisation):
        raise FollowupPermissionError(_("You may only log what your own unit has done."))
    _check_values(date=date, description=description, participants=participants, link=link)
    _check_personal_data(description)
    log = ActivityLog(municipality=municipality, activity=activity, activity_key=activity.key,
                      organisation=organisation, date=date, description=description, participants=participants,
                      link=link, logged_by=actor if getattr(actor, "is_authenticated", False) else None)
    if attachment is not None:
        name = attachment.name or ""  # an uploaded file always has one; Django types it optional
        log.attachment_name = display_name(name)
        log.attachment.save(name, attachment, save=False)
    log.save()
    audit.record(actor=actor, action="followup.log.created", municipality=municipality, obj=log,
                 data={"activity": activity.key, "unit": organisation.key if organisation else None,
                       "date": date.isoformat()})
    return log


@transaction.atomic
def log_delete(*, actor: Any, municipality: Municipality, log: ActivityLog) -> None:
    if log.municipality_id != municipality.pk or not permissions.can_delete_log(actor, municipality, log):
        raise FollowupPermissionError(_("You may not remove this entry."))
    if log.source != ActivityLog.Source.MANUAL:
        # A held meeting or a registered training is undone where it was recorded, not here.
        raise FollowupError(_("This entry was written by another module; change it there."))
    log_id = log.pk
    data = {"activity": log.activity_key, "date": log.date.isoformat(), "id": log_id}
    if log.attachment.name:  # what a FieldFile's truth is
        # Only once the row is gone for good: a rolled-back delete keeps its file.
        storage, name = log.attachment.storage, log.attachment.name
        transaction.on_commit(lambda: storage.delete(name))
    log.delete()
    audit.record(actor=actor, action="followup.log.deleted", municipality=municipality,
                 object_type="followup.activitylog", object_id=log_id, data=data)


class LogPersonalData(FollowupError, personal_data_guard.PersonalDataError):
    pass


def log_choose_for_report(*, actor: Any, municipality: Municipality, log: ActivityLog, chosen: bool) -> ActivityLog:
    """Quote the log's text in the annual report, or stop quoting it. Only a text the guard passes is quoted."""
    if log.municipality_id != municipality.pk or not permissions.can_choose_for_report(actor, municipality):
        raise FollowupPermissionError(_("Only the coordinator chooses the texts of the annual report."))
    if chosen:
        personal_data_guard.check(log.description, field="description", label=_("what was done"),
                                  why=_("The annual report is read by the board and the public."),
                                  error=LogPersonalData)
    log.in_annual_report = chosen
    log.save(update_fields=["in_annual_report"])
    audit.record(actor=actor, action="followup.log.report_chosen" if chosen else "followup.log.report_dropped",
                 municipality=municipality, object_type="followup.activitylog", object_id=log.pk,
                 data={"activity": log.activity_key, "date": log.date.isoformat()})
    return log


@transaction.atomic
def log_from_source(*, actor: Any, municipality: Municipality, activity: Activity, date: dt.date, description: str,
                    source: str, source_ref: str, participants: int | None = None,
                    organisation: Organisation | None = None) -> ActivityLog:
    """Log an occurrence on behalf of another module (a held meeting, a training) exactly once.

    The module finds `activity` through the plan's `fulfilled_by` (plans.selectors.activities_fulfilled_by).
    Calling it again for the same `source_ref` updates the entry instead of adding a second one.
    """
    # The calling service (training, meetings, implementation) checked its own predicate; a source never logs
    # for a municipality its actor has no role in.
    require(is_member(actor, municipality), _("You have no role in this municipality."), FollowupPermissionError)
    if activity.version.plan.municipality_id != municipality.pk:
        raise FollowupError(_("The activity belongs to another municipality."))
    _check_personal_data(description)  # the calling module guards its own text too; this log is read by all
    log = ActivityLog.objects.filter(municipality=municipality, activity=activity, source_ref=source_ref).first()
    created = log is None
    if log is None:
        log = ActivityLog(municipality=municipality, activity=activity, activity_key=activity.key,
                          source=source, source_ref=source_ref,
                          logged_by=actor if getattr(actor, "is_authenticated", False) else None)
    log.organisation, log.date, log.description, log.participants = organisation, date, description, participants
    log.save()
    audit.record(actor=actor, action="followup.log.created" if created else "followup.log.changed",
                 municipality=municipality, obj=log, data={"activity": activity.key, "source": source_ref})
    return log


@transaction.atomic
def log_remove_source(*, actor: Any, municipality: Municipality, source_ref: str) -> int:
    """Remove the entries another module wrote for `source_ref` (e.g. a meeting marked not held)."""
    require(is_member(actor, municipality), _("You have no role in this municipality."), FollowupPermissionError)
    removed = 0
    for log in ActivityLog.objects.filter(municipality=municipality, source_ref=source_ref):
        audit.record(actor=actor, action="followup.log.deleted", municipality=municipality, obj=log,
                     data={"activity": log.activity_key, "source": source_ref})
        log.delete()
        removed += 1
    return removed


def compliance_exported(*, actor: Any, municipality: Municipality, file_format: str, filters: dict[str, str],
                        rows: int) -> None:
    require(permissions.can_export_compliance(actor, municipality), _("Your role does not export the follow-up."),
            FollowupPermissionError)
    audit.record(actor=actor, action="followup.compliance.exported", municipality=municipality,
                 data={"format": file_format, "filters": filters, "rows": rows})


def logs_exported(*, actor: Any, municipality: Municipality, file_format: str, filters: dict[str, str],
                  rows: int) -> None:
    """An export of the activity log: the filters and how many rows left, never the rows themselves."""
    require(permissions.can_view_followup(actor, municipality), _("Your role does not see the follow-up."),
            FollowupPermissionError)
    audit.record(actor=actor, action="followup.logs.exported", municipality=municipality,
                 data={"format": file_format, "filters": filters, "rows": rows})


# --- reminders -----------------------------------------------------------------------------------

REMINDER_INTERVAL = dt.timedelta(days=7)


def _managers_of(municipality: Municipality, organisation: Organisation) -> list[Any]:
    return [m.user for m in Membership.objects.filter(
        municipality=municipality, role=Role.MANAGER, organisation=organisation, user__is_active=True,
    ).select_related("user").order_by("user__email")]


def reminders_send(*, municipality: Municipality, today: dt.date | None = None) -> int:
    """E-mail the managers of each responsible unit about activities due or overdue this term.

    One e-mail per manager and kind (due, overdue), at most once a week. Returns how many were sent.
    """
    today = today or timezone.localdate()
    term = Term.of(today)
    pending: dict[tuple[int, str], list[selectors.ComplianceRow]] = defaultdict(list)
    users: dict[int, Any] = {}
    # Overdue items of the previous term are still worth a reminder early in the new term.
    for row in selectors.compliance(municipality, term, today=today) + [
            r for r in selectors.compliance(municipality, term.previous(), today=today) if r.overdue]:
        if row.unit is None or not (row.due or row.overdue):
            continue
        for manager in _managers_of(municipality, row.unit):
            users[manager.pk] = manager
            pending[(manager.pk, "overdue" if row.overdue else "due")].append(row)
    sent = 0
    since = timezone.now() - REMINDER_INTERVAL
    for (user_id, kind), rows in sorted(pending.items()):
        if ReminderSent.objects.filter(user_id=user_id, term=term.key, kind=kind, sent_at__gte=since).exists():
            continue
        _send_reminder(municipality=municipality, user=users[user_id], kind=kind, term=term, rows=rows)
        sent += 1
    return sent


@transaction.atomic
def _send_reminder(*, municipality: Municipality, user: Any, kind: str, term: Term,
                   rows: list[selectors.ComplianceRow]) -> None:
    ReminderSent.objects.create(municipality=municipality, user=user, term=term.key, kind=kind,
                                activity_keys=sorted({r.activity.key for r in rows}))
    audit.record(actor=None, action="followup.reminder.sent", municipality=municipality, obj=user,
                 data={"kind": kind, "term": term.key, "activities": sorted({r.activity.key for r in rows})})
    with translation.override(settings.LANGUAGE_CODE):
        subject = (_("Overdue in the action plan: %(n)s activities") if kind == "overdue"
                   else _("Due this term in the action plan: %(n)s activities")) % {"n": len(rows)}
        body = render_to_string("followup/reminder_email.txt", {
            "user": user, "municipality": municipality, "term": term, "rows": rows, "kind": kind,
            "url": settings.VARNA_PUBLIC_URL + reverse("followup:dashboard", args=[municipality.slug])})
    recipient = user.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient]))
