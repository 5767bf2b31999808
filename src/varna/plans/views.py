from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from varna.core import rendercache
from varna.core.confirm import confirmation
from varna.core.decorators import permission_required
from varna.core.exports import check_format, export_heading, export_links, export_response
from varna.core.models import Municipality
from varna.core.pdf import render_pdf
from varna.core.ratelimit import hit, rate_limit, too_many_requests
from varna.plans import exports, permissions, selectors, services, yaml_io
from varna.plans.forms import (
    ActivityFilterForm,
    ActivityForm,
    ApproveForm,
    ImportForm,
    LevelForm,
    ReturnForm,
    ReviewIntervalForm,
)
from varna.plans.models import CadenceKind, Plan, PlanVersion
from varna.plans.thread import thread_for


def _version_for(request: HttpRequest, plan: Plan, number: int | None) -> PlanVersion:
    """The version asked for, or the approved one. Drafts only for those who may see them."""
    drafts = permissions.can_see_drafts(request.user, plan.municipality)
    if number is not None:
        return selectors.version_get(plan, number, include_drafts=drafts)
    version = selectors.current_version(plan)
    if version is None:
        raise Http404
    return version


def _plan_and_version(request: HttpRequest, municipality: Municipality, plan: str, number: int | None, *,
                      units: bool = True) -> tuple[Plan, PlanVersion, list[PlanVersion] | None]:
    """The plan, the version asked for (by default the one in force) and, on the public pages' path, the
    plan's other versions and (with `units`) their responsible units, read in the same query."""
    if number is None:
        found = selectors.public_version_get(municipality, plan, units=units)
        if found is None:
            raise Http404
        return found
    plan_obj = selectors.plan_get(municipality, plan)
    return plan_obj, _version_for(request, plan_obj, number), None


def plan_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    plans = [(plan, selectors.current_version(plan)) for plan in selectors.plans_of(municipality)]
    return render(request, "plans/plan_list.html", {
        "plans": plans, "can_edit": permissions.can_edit_plan(request.user, municipality)})


def plan_overview(request: HttpRequest, municipality: Municipality, plan: str,
                  number: int | None = None) -> HttpResponse:
    plan_obj, version, siblings = _plan_and_version(request, municipality, plan, number, units=False)
    stamp = selectors.render_stamp(municipality, version, (), siblings)
    draft = selectors.draft_version(plan_obj) if permissions.can_see_drafts(request.user, municipality) else None
    can_export = permissions.can_export_plan_file(request.user, municipality)
    return rendercache.page(request, "plans/plan_overview.html", {
        "plan": plan_obj, "version": version, "render_stamp": stamp,
        "levels": SimpleLazyObject(lambda: selectors.levels_with_activities(version)),  # read by the fragment only
        "draft": draft, "can_edit": permissions.can_edit_plan(request.user, municipality), "can_export": can_export,
    }, name="plans.overview", stamp=stamp and (stamp, can_export, draft and draft.number))


def level_detail(request: HttpRequest, municipality: Municipality, plan: str, level: str,
                 number: int | None = None) -> HttpResponse:
    plan_obj, version, siblings = _plan_and_version(request, municipality, plan, number)
    stamp = selectors.render_stamp(municipality, version, siblings=siblings)
    # An approved version's levels never change: their names come from the cache, and the level itself (with
    # everything else the page shows) is read only when the page's cached fragment has to be rendered.
    names = rendercache.get_or_render("plans.level_names", stamp, lambda: selectors.level_names(version))
    if level not in names:
        raise Http404
    level_obj = SimpleLazyObject(lambda: get_object_or_404(version.levels.all(), key=level))
    return rendercache.page(request, "plans/level_detail.html", {
        "plan": plan_obj, "version": version, "level_key": level, "level_name": names[level], "level": level_obj,
        "levels": SimpleLazyObject(lambda: version.levels.all()),
        "activities": SimpleLazyObject(lambda: selectors.activities_of(version).filter(level__key=level)),
        "references": SimpleLazyObject(lambda: level_obj.references.all()), "render_stamp": stamp},
        name="plans.level", stamp=stamp)


def _activities(request: HttpRequest, version: PlanVersion) -> tuple[ActivityFilterForm, Any, dict[str, str]]:
    """The activity table's filters and rows: the page and both exports go through here."""
    form = ActivityFilterForm(request.GET or None, organisations=selectors.responsible_organisations(version))
    activities, filters = selectors.activities_of(version), {}
    if form.is_valid():
        if form.cleaned_data["organisation"]:
            activities = activities.filter(responsible=form.cleaned_data["organisation"])
            filters["organisation"] = form.cleaned_data["organisation"].key
        if form.cleaned_data["cadence"]:
            activities = activities.filter(cadence_kind=form.cleaned_data["cadence"])
            filters["cadence"] = form.cleaned_data["cadence"]
    return form, activities, filters


def _plain_filters(request: HttpRequest, version: PlanVersion) -> dict[str, str] | None:
    """The activity table's filters when each is empty or one of its choices, checked against the version's
    units as read with it (no query): such a form renders the same for everyone, so the page can come from the
    cache. None when anything else was asked (the form then checks it and shows its errors)."""
    organisation, cadence = request.GET.get("organisation", ""), request.GET.get("cadence", "")
    if organisation and organisation not in {key for _pk, key, _name in selectors.version_units(version)}:
        return None
    if cadence and cadence not in {kind.value for kind in CadenceKind}:
        return None
    return {name: value for name, value in (("cadence", cadence), ("organisation", organisation)) if value}


def _activity_export_name(number: int | None) -> str:
    return "plans:activity_table_export" if number is None else "plans:version_activity_table_export"


def activity_table(request: HttpRequest, municipality: Municipality, plan: str,
                   number: int | None = None) -> HttpResponse:
    plan_obj, version, siblings = _plan_and_version(request, municipality, plan, number)
    stamp = selectors.render_stamp(municipality, version, siblings=siblings)
    filters = _plain_filters(request, version) if stamp is not None else None
    if filters is None:  # a draft, or filters the form has to check
        form, activities, filters = _activities(request, version)
    else:  # the form (built only if the cached page has to be rendered) would accept these as they are
        # A lazy stand-in for the form, which the template treats as the form itself.
        form = cast(ActivityFilterForm, SimpleLazyObject(lambda: _activities(request, version)[0]))
        activities = SimpleLazyObject(lambda: _filtered(version, filters))
    numbered = {} if number is None else {"number": number}
    plain = stamp if form_is_plain(form) else None
    return rendercache.page(request, "plans/activity_table.html", {
        "plan": plan_obj, "version": version, "form": form, "activities": activities,
        # Built only when the cached fragment for these filters has to be rendered.
        "table": SimpleLazyObject(lambda: exports.activity_table(activities)),
        # A form with errors shows what was typed: never cached.
        "render_stamp": plain,
        "filters": sorted(filters.items()), "form_bound": bool(request.GET),
        **export_links(request, _activity_export_name(number), municipality=municipality.slug, plan=plan_obj.slug,
                       **numbered)}, name="plans.activities", stamp=plain, parameters=("cadence", "organisation"))


def _filtered(version: PlanVersion, filters: dict[str, str]) -> Any:
    activities = selectors.activities_of(version)
    if "organisation" in filters:
        activities = activities.filter(responsible__key=filters["organisation"])
    if "cadence" in filters:
        activities = activities.filter(cadence_kind=filters["cadence"])
    return activities


def form_is_plain(form: Any) -> bool:
    """Whether the filter form renders only its choices (a lazy form is one `_plain_filters` accepted)."""
    return isinstance(form, SimpleLazyObject) or not form.is_bound or form.is_valid()


@rate_limit("plan_exports", limit=60, window=60)
def activity_table_export(request: HttpRequest, municipality: Municipality, plan: str, file_format: str,
                          number: int | None = None) -> HttpResponse:
    """The activity table under its filters, for whoever may read the version (the approved one is public)."""
    check_format(file_format)
    plan_obj = selectors.plan_get(municipality, plan)
    version = _version_for(request, plan_obj, number)
    _form, activities, filters = _activities(request, version)
    heading = export_heading(f"{plan_obj.title} – " + _("version %(n)s") % {"n": version.number}, filters=filters)
    table = exports.activity_table(activities, heading=heading)
    response = export_response(table, file_format, f"{plan_obj.slug}-v{version.number}-aktiviteter")
    services.list_exported(actor=request.user, version=version, what="activities", file_format=file_format,
                           filters=filters, rows=len(table.rows))
    return response


PDF_RENDERS = ("plan_pdf", 10, 60)  # scope, limit, window: rendering costs most of a second of CPU


# Every download is counted (it is a few hundred KiB), generously; renderings have their own, tight limit.
@rate_limit("plan_pdf_downloads", limit=120, window=60)
def plan_pdf(request: HttpRequest, municipality: Municipality, plan: str,
             number: int | None = None) -> HttpResponse:
    """The plan document. An approved (or superseded) version's PDF is rendered once and then served from the
    cache with an ETag; only renderings (drafts, or a version not yet in the cache) are rate-limited."""
    plan_obj, version, siblings = _plan_and_version(request, municipality, plan, number)
    stamp = selectors.render_stamp(municipality, version, siblings=siblings)
    thread = thread_for(version, approved_only=True) if stamp is not None else None
    if thread is not None and stamp is not None:  # the problems each activity answers are printed too
        stamp = (*stamp, thread.stamp)
    # The document is in the reader's language (the plan's own text stays as written): one cached copy each.
    language = translation.get_language()
    etag = rendercache.etag("plans.pdf", stamp, language=language) if stamp is not None else None
    if etag is not None and etag in (request.headers.get("If-None-Match") or ""):
        return _pdf_headers(HttpResponseNotModified(), plan_obj, version, etag)
    pdf = rendercache.get("plans.pdf", stamp, language=language)
    if pdf is None:
        if getattr(settings, "VARNA_RATE_LIMITS_ENABLED", True):
            retry_after = hit(PDF_RENDERS[0], request, limit=PDF_RENDERS[1], window=PDF_RENDERS[2])
            if retry_after is not None:
                return too_many_requests(request, retry_after)
        pdf = _render_pdf(request, municipality, plan_obj, version)
        rendercache.put("plans.pdf", stamp, pdf, language=language)
    if request.user.is_authenticated:
        # A signed-in member's download is theirs to account for; an anonymous reader of a public document
        # leaves no row behind (and cannot fill the append-only audit table by asking again and again).
        services.plan_pdf_exported(actor=request.user, version=version)
    return _pdf_headers(HttpResponse(pdf, content_type="application/pdf"), plan_obj, version, etag)


def _render_pdf(request: HttpRequest, municipality: Municipality, plan: Plan, version: PlanVersion) -> bytes:
    return render_pdf("plans/plan_pdf.html", {
        "plan": plan, "version": version, "municipality": municipality,
        "sections": version.sections.all(), "levels": selectors.levels_with_activities(version),
        "recommendations": version.recommendations.all(),
        "references": version.references.filter(level=None),
        "thread": thread_for(version, approved_only=not version.is_draft)}, request=request)


def _pdf_headers(response: HttpResponse, plan: Plan, version: PlanVersion, etag: str | None) -> HttpResponse:
    response["Content-Disposition"] = f'inline; filename="{plan.slug}-v{version.number}.pdf"'
    if etag is None:  # a draft: never kept by a browser or a proxy
        response["Cache-Control"] = "private, no-store"
    else:  # public, but checked again each time, so that a change shows at once
        response["ETag"] = etag
        response["Cache-Control"] = "public, no-cache"
    return response


def version_list(request: HttpRequest, municipality: Municipality, plan: str) -> HttpResponse:
    plan_obj = selectors.plan_get(municipality, plan)
    versions = list(selectors.versions_of(plan_obj, include_drafts=permissions.can_see_drafts(request.user,
                                                                                               municipality)))
    can_edit = permissions.can_edit_plan(request.user, municipality)
    return render(request, "plans/version_list.html", {
        "plan": plan_obj, "table": exports.version_table(versions),
        "in_force": selectors.version_in_force(plan_obj), "revision": selectors.revision_of(plan_obj),
        "review_form": ReviewIntervalForm(initial={"months": plan_obj.review_interval_months}) if can_edit else None,
        # The oldest version has nothing before it to compare with.
        "comparable": {v.pk for v in versions[:-1]},
        **export_links(request, "plans:version_list_export", municipality=municipality.slug, plan=plan_obj.slug),
        "can_edit": permissions.can_edit_plan(request.user, municipality)})


@rate_limit("plan_exports", limit=60, window=60)
def version_list_export(request: HttpRequest, municipality: Municipality, plan: str,
                        file_format: str) -> HttpResponse:
    """The versions as on the list: drafts only for those who may see them."""
    check_format(file_format)
    plan_obj = selectors.plan_get(municipality, plan)
    versions = selectors.versions_of(plan_obj, include_drafts=permissions.can_see_drafts(request.user, municipality))
    table = exports.version_table(versions, heading=export_heading(plan_obj.title))
    response = export_response(table, file_format, f"{plan_obj.slug}-versioner")
    services.plan_list_exported(actor=request.user, plan=plan_obj, file_format=file_format, rows=len(table.rows))
    return response


def version_compare(request: HttpRequest, municipality: Municipality, plan: str) -> HttpResponse:
    plan_obj = selectors.plan_get(municipality, plan)
    drafts = permissions.can_see_drafts(request.user, municipality)
    versions = list(selectors.versions_of(plan_obj, include_drafts=drafts).order_by("number"))
    try:
        old_n = int(request.GET.get("from") or (versions[-2].number if len(versions) > 1 else 0))
        new_n = int(request.GET.get("to") or (versions[-1].number if versions else 0))
    except ValueError as exc:
        raise Http404 from exc
    if not old_n or not new_n:
        return render(request, "plans/version_compare.html", {"plan": plan_obj, "versions": versions,
                                                               "changes": None})
    old = selectors.version_get(plan_obj, old_n, include_drafts=drafts)
    new = selectors.version_get(plan_obj, new_n, include_drafts=drafts)
    return render(request, "plans/version_compare.html", {
        "plan": plan_obj, "versions": versions, "old": old, "new": new,
        "changes": selectors.compare_versions(old, new)})


@permission_required(permissions.can_export_plan_file)
def version_export(request: HttpRequest, municipality: Municipality, plan: str, number: int) -> HttpResponse:
    plan_obj = selectors.plan_get(municipality, plan)
    version = selectors.version_get(plan_obj, number, include_drafts=permissions.can_see_drafts(request.user,
                                                                                                 municipality))
    response = HttpResponse(services.plan_export(actor=request.user, version=version),
                            content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{plan_obj.slug}-v{version.number}.yaml"'
    return response


# --- the coordinator's editor ----------------------------------------------------------------------

def _draft(request: HttpRequest, municipality: Municipality, plan: str, number: int) -> PlanVersion:
    plan_obj = selectors.plan_get(municipality, plan)
    version = selectors.version_get(plan_obj, number, include_drafts=True)
    if not version.is_draft:
        raise Http404
    return version


def _frozen(request: HttpRequest, version: PlanVersion) -> HttpResponse | None:
    """A draft sent for approval offers no editing: back to the draft, saying why, before any form is shown."""
    if not version.awaiting_approval:
        return None
    messages.info(request, _("The draft has been sent for approval and cannot be changed until the approver "
                             "returns it."))
    return redirect("plans:draft_edit", municipality=version.plan.municipality.slug, plan=version.plan.slug,
                    number=version.number)


@permission_required(permissions.can_see_drafts)
def draft_edit(request: HttpRequest, municipality: Municipality, plan: str, number: int) -> HttpResponse:
    version = _draft(request, municipality, plan, number)
    return render(request, "plans/draft_edit.html", {
        "plan": version.plan, "version": version, "levels": selectors.levels_with_activities(version),
        "thread": thread_for(version, approved_only=False),
        # A draft sent for approval is frozen: no edit links until the approver returns it.
        "can_edit": permissions.can_edit_plan(request.user, municipality) and not version.awaiting_approval,
        "can_send": (permissions.can_edit_plan(request.user, municipality) and not version.awaiting_approval
                     and not permissions.can_approve_plan(request.user, version.plan)),
        "can_approve": permissions.can_approve_plan(request.user, version.plan)})


@permission_required(permissions.can_edit_plan)
def draft_send(request: HttpRequest, municipality: Municipality, plan: str, number: int) -> HttpResponse:
    """Check, then send the draft to whoever records the plan's approval (GET shows what will happen)."""
    version = _draft(request, municipality, plan, number)
    if request.method == "POST":
        try:
            services.version_send_for_approval(actor=request.user, version=version)
        except services.PlanError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Draft %(n)s was sent for approval. You will see it on your start page if "
                                        "it is returned.") % {"n": version.number})
        return redirect("plans:draft_edit", municipality=municipality.slug, plan=plan, number=number)
    if version.awaiting_approval:
        messages.info(request, _("The draft has already been sent for approval."))
        return redirect("plans:draft_edit", municipality=municipality.slug, plan=plan, number=number)
    return render(request, "plans/draft_send.html", {
        "plan": version.plan, "version": version, "activities": version.activities.count(),
        "approver": version.plan.get_approval_role_display()})


@permission_required(permissions.can_see_drafts)
def draft_return(request: HttpRequest, municipality: Municipality, plan: str, number: int) -> HttpResponse:
    """The approver sends the draft back to its editor with a comment."""
    version = _draft(request, municipality, plan, number)
    if not permissions.can_approve_plan(request.user, version.plan):
        raise PermissionDenied
    if not version.awaiting_approval:
        messages.info(request, _("The draft is not waiting for approval, so there is nothing to return."))
        return redirect("plans:draft_edit", municipality=municipality.slug, plan=plan, number=number)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.version_return(actor=request.user, version=version, comment=form.cleaned_data["comment"])
        except services.PlanError as exc:
            form.add_error("comment", str(exc))
        else:
            messages.success(request, _("Draft %(n)s was returned to the editor with your comment.") % {
                "n": version.number})
            return redirect("core:municipality_home", municipality=municipality.slug)
    return render(request, "plans/draft_return.html", {"plan": version.plan, "version": version, "form": form})


@require_POST
@permission_required(permissions.can_edit_plan)
def plan_review_interval(request: HttpRequest, municipality: Municipality, plan: str) -> HttpResponse:
    """Set how often the plan is to be revised (the versions page shows when the next revision is due)."""
    plan_obj = selectors.plan_get(municipality, plan)
    form = ReviewIntervalForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        try:
            services.plan_review_interval_set(actor=request.user, plan=plan_obj, months=form.cleaned_data["months"])
        except services.PlanError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The revision interval was saved."))
    return redirect("plans:version_list", municipality=municipality.slug, plan=plan_obj.slug)


@require_POST
@permission_required(permissions.can_edit_plan)
def draft_create(request: HttpRequest, municipality: Municipality, plan: str) -> HttpResponse:
    plan_obj = selectors.plan_get(municipality, plan)
    try:
        draft = services.version_create_draft(actor=request.user, plan=plan_obj)
    except services.PlanError as exc:
        messages.error(request, str(exc))
        return redirect("plans:version_list", municipality=municipality.slug, plan=plan_obj.slug)
    messages.success(request, _("A new draft was created from the version in force."))
    return redirect("plans:draft_edit", municipality=municipality.slug, plan=plan_obj.slug, number=draft.number)


@permission_required(permissions.can_edit_plan)
def draft_delete(request: HttpRequest, municipality: Municipality, plan: str, number: int) -> HttpResponse:
    version = _draft(request, municipality, plan, number)
    if (frozen := _frozen(request, version)) is not None:
        return frozen
    if (page := confirmation(
            request, title=_("Delete the draft?"),
            what=_("Draft %(number)s of “%(plan)s”") % {"number": version.number, "plan": version.plan.title},
            consequence=_("Its levels and activities are deleted with it. This cannot be undone."),
            button=_("Delete the draft"),
            cancel_url=reverse("plans:draft_edit", kwargs={"municipality": municipality.slug, "plan": plan,
                                                           "number": number}))) is not None:
        return page
    services.version_delete_draft(actor=request.user, version=version)
    messages.success(request, _("The draft was deleted."))
    return redirect("plans:version_list", municipality=municipality.slug, plan=plan)


@permission_required(permissions.can_edit_plan)
def activity_edit(request: HttpRequest, municipality: Municipality, plan: str, number: int,
                  key: str | None = None) -> HttpResponse:
    version = _draft(request, municipality, plan, number)
    if (frozen := _frozen(request, version)) is not None:
        return frozen
    activity = get_object_or_404(version.activities, key=key) if key else None
    if activity is not None:
        initial = {"level": activity.level, "key": activity.key, "direction": activity.direction,
                   "action": activity.action, "responsible": list(activity.responsible.all()),
                   "responsible_text": activity.responsible_text, "cadence_kind": activity.cadence_kind,
                   "cadence_count": activity.cadence_count, "when_text": activity.when_text,
                   "fulfilled_by": [f"{f.source}:{f.detail}" for f in activity.fulfilled_by.all()]}
    else:
        initial = {"level": version.levels.filter(key=request.GET.get("level")).first(), "cadence_kind": "per_term",
                   "cadence_count": 1}
    initial["lock_version"] = version.lock_version
    form = ActivityForm(request.POST or None, initial=initial, version=version, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.activity_save(
                actor=request.user, version=version, level=data["level"], key=data["key"],
                direction=data["direction"], action=data["action"], responsible=list(data["responsible"]),
                responsible_text=data["responsible_text"], cadence_kind=data["cadence_kind"],
                cadence_count=data["cadence_count"], when_text=data["when_text"],
                fulfilled_by=[tuple(pair.split(":", 1)) for pair in data["fulfilled_by"]],
                expected_lock=data["lock_version"], activity=activity)
        except services.StaleVersionError as exc:
            form.add_error(None, str(exc))
            if not isinstance(form.data, QueryDict):  # bound to request.POST above
                raise TypeError("the form is bound to request.POST") from None
            form.data = form.data.copy()
            form.data["lock_version"] = str(PlanVersion.objects.get(pk=version.pk).lock_version)
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The activity was saved."))
            return redirect("plans:draft_edit", municipality=municipality.slug, plan=plan, number=number)
    return render(request, "plans/activity_form.html", {
        "plan": version.plan, "version": version, "activity": activity, "form": form})


@permission_required(permissions.can_edit_plan)
def activity_delete(request: HttpRequest, municipality: Municipality, plan: str, number: int,
                    key: str) -> HttpResponse:
    version = _draft(request, municipality, plan, number)
    if (frozen := _frozen(request, version)) is not None:
        return frozen
    activity = get_object_or_404(version.activities, key=key)
    if (page := confirmation(
            request, title=_("Remove the activity from the draft?"), what=activity.direction,
            button=_("Remove the activity"),
            cancel_url=reverse("plans:draft_edit", kwargs={"municipality": municipality.slug, "plan": plan,
                                                           "number": number}))) is not None:
        return page
    services.activity_delete(actor=request.user, activity=activity)
    messages.success(request, _("The activity was removed from the draft."))
    return redirect("plans:draft_edit", municipality=municipality.slug, plan=plan, number=number)


@permission_required(permissions.can_edit_plan)
def level_edit(request: HttpRequest, municipality: Municipality, plan: str, number: int,
               level: str) -> HttpResponse:
    version = _draft(request, municipality, plan, number)
    if (frozen := _frozen(request, version)) is not None:
        return frozen
    level_obj = get_object_or_404(version.levels, key=level)
    form = LevelForm(request.POST or None, initial={"name": level_obj.name, "introduction": level_obj.introduction,
                                                    "lock_version": version.lock_version})
    if request.method == "POST" and form.is_valid():
        try:
            services.level_save(actor=request.user, level=level_obj, name=form.cleaned_data["name"],
                                introduction=form.cleaned_data["introduction"],
                                expected_lock=form.cleaned_data["lock_version"])
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The level was saved."))
            return redirect("plans:draft_edit", municipality=municipality.slug, plan=plan, number=number)
    return render(request, "plans/level_form.html", {"plan": version.plan, "version": version,
                                                      "level": level_obj, "form": form})


@permission_required(permissions.can_see_drafts)
def version_approve(request: HttpRequest, municipality: Municipality, plan: str, number: int) -> HttpResponse:
    version = _draft(request, municipality, plan, number)
    if not permissions.can_approve_plan(request.user, version.plan):
        raise PermissionDenied
    current = selectors.current_version(version.plan)
    # A draft imported from a file may state its decision: the approver confirms or corrects it.
    form = ApproveForm(request.POST or None, initial={
        "body_kind": version.decision_body_kind, "body": version.decision_body, "date": version.decision_date,
        "paragraph": version.decision_paragraph, "registry_number": version.registry_number,
        "valid_from": version.valid_from})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.version_approve(actor=request.user, version=version, valid_from=data["valid_from"],
                                     decision=services.Decision(
                                         body_kind=data["body_kind"], body=data["body"], date=data["date"],
                                         paragraph=data["paragraph"], registry_number=data["registry_number"]))
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            span = version.span
            if span is not None and span.start > timezone.localdate():
                messages.success(request, _("Version %(n)s is approved and in force from %(day)s.") % {
                    "n": version.number, "day": span.start.isoformat()})
            else:
                messages.success(request, _("Version %(n)s is approved and now in force.") % {"n": version.number})
            return redirect("plans:plan_overview", municipality=municipality.slug, plan=plan)
    changes = selectors.compare_versions(current, version) if current else None
    return render(request, "plans/version_approve.html", {"plan": version.plan, "version": version, "form": form,
                                                           "current": current, "changes": changes})


@permission_required(permissions.can_edit_plan)
def plan_import(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[yaml_io.FormatProblem] = []
    if request.method == "POST" and form.is_valid():
        try:
            version = services.plan_import(actor=request.user, municipality=municipality,
                                           text=form.cleaned_data["file"])
        except yaml_io.PlanFormatError as exc:
            problems = exc.problems
        else:
            # An import is always a draft (ADR 0017): land on it, whatever the file said of its status.
            messages.success(request, _("The plan was imported as draft %(n)s. It comes into force when it is "
                                        "approved and the decision recorded.") % {"n": version.number})
            if version.unit_names_kept:
                messages.warning(request, _("These units keep the names an adopted version uses; the file's new "
                                            "names were not applied: %(keys)s.") % {
                                     "keys": ", ".join(version.unit_names_kept)})
            return redirect("plans:draft_edit", municipality=municipality.slug, plan=version.plan.slug,
                            number=version.number)
    return render(request, "plans/plan_import.html", {"form": form, "problems": problems})
