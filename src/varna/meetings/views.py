from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from varna.core import audit
from varna.core import selectors as core_selectors
from varna.core.confirm import confirmation
from varna.core.decorators import role_required
from varna.core.exports import check_format, export_heading, export_links, export_response, export_tables_response
from varna.core.http import VarnaHttpRequest
from varna.core.models import Municipality, Role, User
from varna.core.pdf import pdf_response, render_pdf
from varna.core.ratelimit import rate_limit
from varna.meetings import exports, ical, permissions, selectors, services
from varna.meetings.forms import (
    ActionForm,
    ActionStatusForm,
    AgendaItemForm,
    DecisionForm,
    HeldForm,
    MeetingForm,
    MinutesForm,
)
from varna.meetings.models import Meeting

READ = permissions.READ_ROLES


class GroupReaderRequest(VarnaHttpRequest):
    # Set by group_reader: the groups a partner may read, or None for the municipality's own roles.
    partner_groups: frozenset[int] | None


def group_reader(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The read roles (as ``role_required``), or a partner of one of the municipality's groups, who then sees
    that group's meetings only (``request.partner_groups``), after a second factor."""
    from functools import wraps

    guarded = role_required(*READ)(view)

    @wraps(view)
    def wrapper(request: GroupReaderRequest, municipality: Municipality, *args: object,
                **kwargs: object) -> HttpResponse:
        groups = core_selectors.partner_group_ids(request.user, municipality)
        request.partner_groups = groups or None
        if not groups:
            return guarded(request, municipality, *args, **kwargs)
        # A partner has an account (partner_group_ids is empty for anonymous visitors).
        if not request.user.is_authenticated or not request.user.is_verified():
            return redirect("core:two_factor")
        return view(request, municipality, *args, **kwargs)

    wrapper.varna_roles = READ  # type: ignore[attr-defined]
    return wrapper


def _readable(request: HttpRequest, meeting: Meeting) -> Meeting:
    groups = getattr(request, "partner_groups", None)
    if groups is not None and meeting.group_id not in groups:
        raise Http404
    return meeting


def _back(meeting: Meeting) -> HttpResponse:
    return redirect("meetings:meeting_detail", municipality=meeting.municipality.slug, pk=meeting.pk)


def _owners(municipality: Municipality) -> object:
    return User.objects.filter(memberships__municipality=municipality, is_active=True).distinct().order_by(
        "full_name", "email")


@group_reader
def meeting_list(request: GroupReaderRequest, municipality: Municipality) -> HttpResponse:
    now = timezone.now()
    groups = request.partner_groups
    earlier_qs = selectors.meetings_earlier(municipality, now=now)
    upcoming_qs = selectors.meetings_upcoming(municipality, now=now)
    if groups is not None:
        earlier_qs, upcoming_qs = earlier_qs.filter(group_id__in=groups), upcoming_qs.filter(group_id__in=groups)
    page = Paginator(earlier_qs, 20).get_page(request.GET.get("page"))
    upcoming, earlier = exports.meeting_tables(upcoming_qs, page.object_list)
    return render(request, "meetings/meeting_list.html", {
        "upcoming": upcoming, "earlier": earlier, "page": page,
        **({} if groups is not None else export_links(request, "meetings:meeting_export",
                                                      municipality=municipality.slug)),
        "partner": groups is not None,
        "can_manage": permissions.can_manage_meetings(request.user, municipality)})


@role_required(*READ)
def meeting_export(request: HttpRequest, municipality: Municipality, file_format: str) -> HttpResponse:
    """Both tables of the list, every earlier meeting included (the page shows them a page at a time)."""
    check_format(file_format)
    now = timezone.now()
    tables = exports.meeting_tables(selectors.meetings_upcoming(municipality, now=now),
                                    selectors.meetings_earlier(municipality, now=now))
    heading = export_heading(_("Working-group meetings – %(municipality)s") % {"municipality": municipality.name})
    response = export_tables_response(tables, file_format, f"moten-{municipality.slug}", heading)
    services.list_exported(actor=request.user, municipality=municipality, what="meetings", file_format=file_format,
                           filters={}, rows=sum(len(t.rows) for t in tables))
    return response


@role_required(Role.COORDINATOR)
def meeting_create(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        starts, ends = form.times()
        try:
            meeting = services.meeting_create(actor=request.user, municipality=municipality, starts_at=starts,
                                              ends_at=ends, place=form.cleaned_data["place"],
                                              title=form.cleaned_data["title"])
        except services.MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The meeting is planned and its agenda built."))
            return _back(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form})


@role_required(Role.COORDINATOR)
def meeting_edit(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(municipality, pk)
    if not meeting.is_planned:
        messages.error(request, _("Only a planned meeting can be changed."))
        return _back(meeting)
    starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    form = MeetingForm(request.POST or None, initial={"title": meeting.title, "date": starts.date(),
                                                      "starts": starts.time(), "ends": ends.time(),
                                                      "place": meeting.place})
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.times()
        try:
            services.meeting_update(actor=request.user, meeting=meeting, starts_at=starts_at, ends_at=ends_at,
                                    place=form.cleaned_data["place"], title=form.cleaned_data["title"])
        except services.MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The meeting was changed."))
            return _back(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


def _fulfils(meeting: Meeting) -> dict[str, object]:
    return {"fulfils": list(selectors.activities_fulfilled(meeting)),
            "fulfils_what": _("meetings of “%(group)s”") % {"group": meeting.group.name}}


@group_reader
def meeting_detail(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    meeting = _readable(request, selectors.meeting_get(municipality, pk))
    can_manage = permissions.can_manage_meetings(request.user, municipality)
    context = {"meeting": meeting, "can_manage": can_manage,
               "actions": meeting.actions.select_related("owner", "decision"),
               "agenda_form": AgendaItemForm(), "decision_form": DecisionForm(), "minutes_form": None,
               "action_form": None, **_fulfils(meeting)}
    if can_manage and meeting.is_held:
        context["minutes_form"] = MinutesForm(initial={"minutes": meeting.minutes})
        context["action_form"] = ActionForm(owners=_owners(municipality), decisions=meeting.decisions.all())
    return render(request, "meetings/meeting_detail.html", context)


def _meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:meeting_detail", kwargs={"municipality": meeting.municipality.slug, "pk": meeting.pk})


def _meeting_name(meeting: Meeting) -> str:
    when = formats.date_format(timezone.localtime(meeting.starts_at), "SHORT_DATETIME_FORMAT")
    return f"{meeting.title} ({when})"


def _post_service(request: HttpRequest, meeting: Meeting, call: Callable[[], object], success: str) -> HttpResponse:
    try:
        call()
    except services.MeetingPermissionError as exc:
        raise PermissionDenied from exc
    except services.MeetingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return _back(meeting)


@require_POST
@role_required(Role.COORDINATOR)
def agenda_add(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(municipality, pk)
    form = AgendaItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the item a title."))
        return _back(meeting)
    return _post_service(request, meeting, lambda: services.agenda_item_add(
        actor=request.user, meeting=meeting, **form.cleaned_data), _("The item was added to the agenda."))


@role_required(Role.COORDINATOR)
def agenda_delete(request: HttpRequest, municipality: Municipality, pk: int, item: int) -> HttpResponse:
    meeting = selectors.meeting_get(municipality, pk)
    agenda_item = meeting.agenda_items.filter(pk=item).first()
    if agenda_item is None:
        raise Http404
    if (page := confirmation(
            request, title=_("Remove the item from the agenda?"), what=agenda_item.title,
            button=_("Remove the item"), cancel_url=_meeting_url(meeting))) is not None:
        return page
    return _post_service(request, meeting, lambda: services.agenda_item_delete(actor=request.user, item=agenda_item),
                         _("The item was removed from the agenda."))


@require_POST
@role_required(Role.COORDINATOR)
def agenda_refresh(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(municipality, pk)
    return _post_service(request, meeting, lambda: services.agenda_refresh(actor=request.user, meeting=meeting),
                         _("The agenda was brought up to date."))


@role_required(Role.COORDINATOR)
def meeting_held(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(municipality, pk)
    attendees = list(meeting.attendees.all())
    form = HeldForm(request.POST or None, attendees=attendees,
                    initial={"present": [str(a.user_id) for a in attendees], "minutes": meeting.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_mark_held(actor=request.user, meeting=meeting,
                                       present=[int(i) for i in form.cleaned_data["present"]],
                                       minutes=form.cleaned_data["minutes"])
        except services.MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The meeting is marked as held and logged in the follow-up."))
            return _back(meeting)
    return render(request, "meetings/meeting_held.html", {"meeting": meeting, "form": form, **_fulfils(meeting)})


@role_required(Role.COORDINATOR)
def meeting_cancel(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(municipality, pk)
    if (page := confirmation(
            request, title=_("Cancel the meeting?"), what=_meeting_name(meeting),
            consequence=_("Everyone invited sees that it is cancelled; its agenda is kept."),
            button=_("Cancel the meeting"), cancel_url=_meeting_url(meeting))) is not None:
        return page
    return _post_service(request, meeting, lambda: services.meeting_cancel(actor=request.user, meeting=meeting),
                         _("The meeting was cancelled."))


@require_POST
@role_required(Role.COORDINATOR)
def minutes_save(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(municipality, pk)
    form = MinutesForm(request.POST)
    form.is_valid()
    minutes = form.cleaned_data.get("minutes", "")
    return _post_service(request, meeting, lambda: services.minutes_save(
        actor=request.user, meeting=meeting, minutes=minutes), _("The minutes were saved."))


@require_POST
@role_required(Role.COORDINATOR)
def decision_add(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(municipality, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the decision."))
        return _back(meeting)
    return _post_service(request, meeting, lambda: services.decision_add(
        actor=request.user, meeting=meeting, text=form.cleaned_data["text"]), _("The decision was recorded."))


@require_POST
@role_required(Role.COORDINATOR)
def action_add(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(municipality, pk)
    form = ActionForm(request.POST, owners=_owners(municipality), decisions=meeting.decisions.all())
    if not form.is_valid():
        messages.error(request, _("An action needs a title, an owner and a due date."))
        return _back(meeting)
    return _post_service(request, meeting, lambda: services.action_add(
        actor=request.user, meeting=meeting, **form.cleaned_data), _("The action was added."))


def _mine(request: HttpRequest, municipality: Municipality) -> bool:
    # Only those who read meetings may list every action; everyone else sees their own.
    return request.GET.get("all") != "1" or not permissions.can_view_meetings(request.user, municipality)


@role_required(*READ, Role.MANAGER, Role.STAFF)
def action_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    mine = _mine(request, municipality)
    today = timezone.localdate()
    page = Paginator(selectors.action_list_for(municipality, request.user, mine=mine), 25).get_page(
        request.GET.get("page"))
    return render(request, "meetings/action_list.html", {
        "page": page, "table": exports.action_table(page.object_list, today=today),
        "status_choices": ActionStatusForm().choice_field("status").choices,
        "updatable": {a.pk for a in page.object_list
                      if permissions.can_update_action(request.user, municipality, a)},
        **export_links(request, "meetings:action_export", municipality=municipality.slug),
        "mine": mine, "today": today,
        "can_view_all": permissions.can_view_meetings(request.user, municipality)})


@role_required(*READ, Role.MANAGER, Role.STAFF)
def action_export(request: HttpRequest, municipality: Municipality, file_format: str) -> HttpResponse:
    """The action list as the user sees it (their own, or every action with ?all=1), all pages."""
    check_format(file_format)
    mine = _mine(request, municipality)
    filters = {"scope": "mine" if mine else "all"}
    heading = export_heading(_("Actions from working-group meetings – %(municipality)s")
                             % {"municipality": municipality.name}, filters=filters)
    table = exports.action_table(selectors.action_list_for(municipality, request.user, mine=mine),
                                 today=timezone.localdate(), heading=heading)
    response = export_response(table, file_format, f"atgarder-{municipality.slug}")
    services.list_exported(actor=request.user, municipality=municipality, what="actions", file_format=file_format,
                           filters=filters, rows=len(table.rows))
    return response


@require_POST
@role_required(*READ, Role.MANAGER, Role.STAFF)
def action_status(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    action = selectors.action_get(municipality, pk)
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
    else:
        try:
            services.action_update_status(actor=request.user, action=action, **form.cleaned_data)
        except services.MeetingPermissionError as exc:
            raise PermissionDenied from exc
        except services.MeetingError as exc:  # e.g. the note held personal data
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The action was updated."))
    return redirect("meetings:action_list", municipality=municipality.slug)


@group_reader
def meeting_ics(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    meeting = _readable(request, selectors.meeting_get(municipality, pk))
    response = HttpResponse(ical.calendar_of([meeting], name=meeting.title),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@group_reader
def minutes_pdf(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    meeting = _readable(request, selectors.meeting_get(municipality, pk))
    # In the reader's language, like the plan and the report; what was minuted stays as written.
    pdf = render_pdf("meetings/minutes_pdf.html", {
        "meeting": meeting, "municipality": municipality,
        "actions": meeting.actions.select_related("owner")}, request=request)
    audit.record(actor=request.user, action="meetings.minutes.exported", municipality=municipality, obj=meeting,
                 data={"format": "pdf"})
    return pdf_response(pdf, filename=f"protokoll-{meeting.pk}.pdf")


@role_required(*READ)
def calendar_settings(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    feed_url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_token_revoke(actor=request.user, municipality=municipality)
            messages.success(request, _("The calendar address no longer works."))
            return redirect("meetings:calendar_settings", municipality=municipality.slug)
        raw = services.calendar_token_create(actor=request.user, municipality=municipality)
        # Shown once, in this response only: the database keeps just a hash.
        feed_url = request.build_absolute_uri(f"/calendar/{raw}/meetings.ics")
    return render(request, "meetings/calendar_settings.html", {
        "token": selectors.active_calendar_token(municipality, request.user), "feed_url": feed_url})


@rate_limit("calendar_feed", limit=60, window=60)
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret-address feed. No login: calendar programs can't log in; the address is the key."""
    found = selectors.calendar_token_lookup(token)
    if found is None or not permissions.can_use_calendar_feed(found.user, found.municipality):
        raise Http404
    services.calendar_token_used(found)
    meetings = selectors.meetings_for_user(found.municipality, found.user).order_by("starts_at")
    body = ical.calendar_of(meetings, name=f"Värna – {found.municipality.name}")
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
