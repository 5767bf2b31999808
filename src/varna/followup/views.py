from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from varna.core.confirm import confirmation
from varna.core.decorators import permission_required
from varna.core.exports import check_format, export_heading, export_links, export_response
from varna.core.files import display_name, file_response
from varna.core.models import Municipality, Organisation, Role
from varna.core.selectors import organisations_of
from varna.core.terms import Term
from varna.followup import exports, permissions, selectors, services
from varna.followup.forms import ActivityLogForm, ComplianceFilterForm, LogFilterForm
from varna.plans.selectors import plans_of

LOG_ROLES = (Role.COORDINATOR, Role.STAFF, Role.MANAGER, Role.WORKING_GROUP)
EXPORT_ROLES = (Role.COORDINATOR, Role.STEERING_GROUP, Role.WORKING_GROUP, Role.MANAGER)


def _compliance_for(request: HttpRequest, municipality: Municipality) -> dict:
    """Parse the filters and compute the rows: the page and both exports go through here."""
    today = timezone.localdate()
    units = selectors.responsible_units_of(municipality)
    # Staff and managers first see their own unit (when the plan names it); the filter shows all units.
    unit = None if permissions.logs_for_any_unit(request.user, municipality) else units.filter(
        pk__in=permissions.own_units(request.user, municipality)).first()
    form = ComplianceFilterForm(request.GET or None, terms=selectors.terms_for(municipality, today=today),
                                levels=selectors.levels_of(municipality), units=units,
                                plans=plans_of(municipality),
                                initial={"term": Term.of(today).key, "unit": unit.key if unit else ""})
    term, level, plan = Term.of(today), None, None
    if form.is_bound and form.is_valid():
        term = form.cleaned_data["term"] or term
        level = form.cleaned_data["level"] or None
        unit = form.cleaned_data["unit"]
        plan = form.cleaned_data["plan"]
    rows = selectors.compliance(municipality, term, level=level, organisation=unit, today=today, plan=plan)
    filters = {"plan": plan.slug if plan else "", "term": term.key, "level": level or "",
               "unit": unit.key if unit else ""}
    return {"form": form, "term": term, "rows": rows, "filters": filters,
            "summary": selectors.summarise(rows), "today": today}


@permission_required(permissions.can_view_followup)
def dashboard(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    context = _compliance_for(request, municipality)
    headers = exports.headers()
    context["table"] = [(row, list(zip(headers, exports.cells(row), strict=True))) for row in context["rows"]]
    context["headers"] = headers
    context["can_export"] = permissions.can_export_compliance(request.user, municipality)
    context["can_log"] = permissions.can_log_anything(request.user, municipality)
    context["query"] = request.GET.urlencode()
    return render(request, "followup/compliance_dashboard.html", context)


@permission_required(permissions.can_export_compliance)
def compliance_export(request: HttpRequest, municipality: Municipality, file_format: str) -> HttpResponse:
    context = _compliance_for(request, municipality)
    rows, term = context["rows"], context["term"]
    name = f"uppfoljning-{municipality.slug}-{term.key}"
    if file_format == "csv":
        response = HttpResponse(exports.as_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    elif file_format == "xlsx":
        response = HttpResponse(
            exports.as_xlsx(rows, title=term.label),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    else:
        raise Http404
    services.compliance_exported(actor=request.user, municipality=municipality, file_format=file_format,
                                 filters=context["filters"], rows=len(rows))
    return response


def _logs_for(request: HttpRequest, municipality: Municipality) -> tuple[LogFilterForm, QuerySet, dict[str, str]]:
    """Parse the log list's filters: the page and both exports go through here."""
    form = LogFilterForm(request.GET or None, activities=selectors.log_activity_choices(municipality),
                         units=organisations_of(municipality).order_by("name"),
                         terms=selectors.terms_for(municipality), plans=plans_of(municipality))
    activity, unit, term, plan = "", None, "", None
    if form.is_bound and form.is_valid():
        activity, unit, term = form.cleaned_data["activity"], form.cleaned_data["unit"], form.cleaned_data["term"]
        plan = form.cleaned_data["plan"]
    logs = selectors.logs_filtered(municipality, activity_key=activity, organisation=unit, term=term, plan=plan)
    filters = {"plan": plan.slug if plan else "", "activity": activity, "unit": unit.key if unit else "",
               "term": term}
    return form, logs, {name: value for name, value in filters.items() if value}


@permission_required(permissions.can_view_followup)
def log_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form, logs, _filters = _logs_for(request, municipality)
    page = Paginator(logs, 25).get_page(request.GET.get("page"))
    return render(request, "followup/log_list.html", {
        "form": form, "page": page, "table": exports.log_table(page.object_list),
        **export_links(request, "followup:log_export", municipality=municipality.slug),
        "deletable": {log.pk for log in page.object_list if permissions.can_delete_log(request.user, municipality, log)
                      and log.source == "manual"},
        "can_log": permissions.can_log_anything(request.user, municipality),
        "can_choose_for_report": permissions.can_choose_for_report(request.user, municipality)})


@permission_required(permissions.can_view_followup)
def log_export(request: HttpRequest, municipality: Municipality, file_format: str) -> HttpResponse:
    """Every row of the list under its filters (all pages), as CSV or XLSX; the same members may read it."""
    check_format(file_format)
    _form, logs, filters = _logs_for(request, municipality)
    table = exports.log_table(logs, heading=export_heading(
        _("Activity log – %(municipality)s") % {"municipality": municipality.name}, filters=filters))
    response = export_response(table, file_format, f"aktivitetslogg-{municipality.slug}")
    services.logs_exported(actor=request.user, municipality=municipality, file_format=file_format,
                           filters=filters, rows=len(table.rows))
    return response


@permission_required(permissions.can_log_anything)
# Complex on purpose: the unit pre-selection rules for coordinators and staff read best together.
def log_create(request: HttpRequest, municipality: Municipality) -> HttpResponse:  # noqa: C901
    is_coordinator = permissions.logs_for_any_unit(request.user, municipality)
    own = organisations_of(municipality).filter(pk__in=permissions.own_units(request.user, municipality))
    initial: dict[str, object] = {"date": timezone.localdate()}
    if request.GET.get("activity"):
        plan = plans_of(municipality).filter(slug=request.GET.get("plan", "")).first()
        activity = selectors.activity_by_key(municipality, request.GET["activity"], plan=plan)
        if activity is not None:
            initial["activity"] = activity.pk
    unit_key = request.GET.get("unit")
    if unit_key:
        unit = Organisation.objects.filter(municipality=municipality, key=unit_key).first()
        if unit is not None:
            initial["organisation"] = unit.pk
    elif not is_coordinator and own.count() == 1 and (only := own.first()) is not None:
        initial["organisation"] = only.pk
    form = ActivityLogForm(request.POST or None, request.FILES or None, initial=initial,
                           activities=selectors.loggable_activities(municipality),
                           organisations=organisations_of(municipality).order_by("name"))
    if not is_coordinator:
        # Others see only their own units; a posted other unit is refused below with 403.
        form.fields["organisation"].required = True
        form.fields["organisation"].widget.choices = [("", _("Choose your unit"))] + [(o.pk, o.name) for o in own]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not permissions.can_log_for(request.user, municipality, data["organisation"]):
            raise PermissionDenied
        try:
            services.log_create(
                actor=request.user, municipality=municipality, activity=data["activity"],
                organisation=data["organisation"], date=data["date"], description=data["description"],
                participants=data["participants"], link=data["link"], attachment=data["attachment"])
        except services.FollowupPermissionError as exc:
            raise PermissionDenied from exc
        except services.FollowupPersonalData as exc:
            form.add_error("description", exc.messages)
        except services.FollowupInvalid as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        except services.FollowupError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Logged. Thank you!"))
            return redirect("followup:dashboard", municipality=municipality.slug)
    return render(request, "followup/log_form.html", {"form": form})


def log_attachment(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponseBase:
    """The attachment of a log entry, for those who see the activity log that links it; 404 for everyone
    else, anonymous visitors included (a file's address reveals nothing, not even a login page)."""
    if not permissions.can_view_followup(request.user, municipality):
        raise Http404
    log = selectors.log_get(municipality, pk)
    if not log.attachment.name:  # what a FieldFile's truth is
        raise Http404
    return file_response(log.attachment, filename=log.attachment_name or display_name(log.attachment.name))


@require_POST
@permission_required(permissions.can_choose_for_report)
def log_report_choice(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    """Quote the entry's text in the annual report (chosen=1) or stop quoting it (chosen=0)."""
    log = selectors.log_get(municipality, pk)
    chosen = request.POST.get("chosen") == "1"
    try:
        services.log_choose_for_report(actor=request.user, municipality=municipality, log=log, chosen=chosen)
    except services.FollowupPermissionError as exc:
        raise PermissionDenied from exc
    except services.FollowupError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The text is quoted in the annual report.") if chosen
                         else _("The text is no longer quoted in the annual report."))
    return redirect(reverse("followup:log_list", kwargs={"municipality": municipality.slug}))


@permission_required(permissions.can_log_anything)
def log_delete(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    log = selectors.log_get(municipality, pk)
    if (page := confirmation(
            request, title=_("Remove the entry from the activity log?"),
            what=f"{formats.date_format(log.date, 'SHORT_DATE_FORMAT')} – {log.activity}",
            button=_("Remove the entry"),
            cancel_url=reverse("followup:log_list", kwargs={"municipality": municipality.slug}))) is not None:
        return page
    try:
        services.log_delete(actor=request.user, municipality=municipality, log=log)
    except services.FollowupPermissionError as exc:
        raise PermissionDenied from exc
    except services.FollowupError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The entry was removed."))
    return redirect("followup:log_list", municipality=municipality.slug)


