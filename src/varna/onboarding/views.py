"""The setup checklist and its steps, and the platform administrator's page for new municipalities."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from varna.core import selectors as core_selectors
from varna.core import services as core
from varna.core.decorators import permission_required
from varna.core.models import Group, GroupMembership, Municipality, Role
from varna.core.permissions import can_manage_people, can_set_up, is_platform_admin
from varna.guidance import engine, texts
from varna.guidance import selectors as guidance
from varna.guidance import services as guidance_services
from varna.knowledge import selectors as knowledge
from varna.onboarding import checklist, forms, services
from varna.situation import selectors as situation
from varna.situation import services as situation_services

SETUP_ROLES = (Role.ADMINISTRATOR, Role.COORDINATOR)


def _back(municipality: Municipality, name: str, **kwargs: Any) -> HttpResponse:
    return redirect(f"onboarding:{name}", municipality=municipality.slug, **kwargs)


@permission_required(can_set_up)
def checklist_view(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    steps = checklist.steps_for(municipality)
    return render(request, "onboarding/checklist.html", {
        "steps": steps, "minimum_met": checklist.minimum_met(steps), "in_setup": municipality.in_setup})


@require_POST
@permission_required(can_set_up)
def publish(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    try:
        services.guide_publish(actor=request.user, municipality=municipality)
    except services.OnboardingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The guide is published: it now gives the municipality's own contacts."))
    return _back(municipality, "checklist")


# --- units ---------------------------------------------------------------------------------------------------------

@permission_required(can_set_up)
def units(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = forms.UnitForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = core.organisation_save(actor=request.user, municipality=municipality, name=data["name"],
                                          kind=data["kind"], parent=data["parent"], headcount=data["headcount"])
        except core.CoreError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(name)s was added.") % {"name": unit.name})
            return _back(municipality, "units")
    return render(request, "onboarding/units.html", {
        "form": form, "units": core_selectors.organisations_of(municipality).order_by("name")})


@permission_required(can_set_up)
def unit_edit(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    unit = get_object_or_404(core_selectors.organisations_of(municipality), pk=pk)
    initial = {"name": unit.name, "kind": unit.kind, "parent": unit.parent, "headcount": unit.headcount}
    form = forms.UnitForm(request.POST or None, municipality=municipality, exclude=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            core.organisation_save(actor=request.user, municipality=municipality, organisation=unit, name=data["name"],
                                   kind=data["kind"], parent=data["parent"], headcount=data["headcount"])
        except core.CoreError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The unit was saved."))
            return _back(municipality, "units")
    return render(request, "onboarding/unit_edit.html", {"form": form, "unit": unit})


# --- groups --------------------------------------------------------------------------------------------------------

@permission_required(can_set_up)
def groups(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = forms.GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = core.group_create(actor=request.user, municipality=municipality, kind=form.cleaned_data["kind"],
                                      name=form.cleaned_data["name"])
        except core.CoreError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(name)s was created. Add its members.") % {"name": group.name})
            return _back(municipality, "group", pk=group.pk)
    return render(request, "onboarding/groups.html", {
        "form": form,
        "groups": Group.objects.filter(municipality=municipality).annotate(member_count=Count("members"))})


@permission_required(can_set_up)
def group_detail(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    group = get_object_or_404(Group.objects.filter(municipality=municipality), pk=pk)
    # Prefixed: both forms have a unit field, and ids must be unique on the page.
    add = forms.MemberForm(request.POST if "add" in request.POST else None, municipality=municipality, prefix="add")
    invite = forms.GroupInviteForm(request.POST if "invite" in request.POST else None, municipality=municipality,
                                   prefix="invite")
    if request.method == "POST":
        form = add if "add" in request.POST else invite
        if form.is_valid():
            data = form.cleaned_data
            try:
                if form is add:
                    core.group_member_add(actor=request.user, group=group, user=data["user"],
                                          organisation=data["organisation"])
                    messages.success(request, _("The member was added."))
                else:
                    core.invitation_create(actor=request.user, municipality=municipality, email=data["email"],
                                           name=data["name"], group=group, organisation=data["organisation"])
                    messages.success(request, _("The invitation was sent. The person joins the group when they "
                                                "accept it."))
            except core.CoreError as exc:
                form.add_error(None, str(exc))
            else:
                return _back(municipality, "group", pk=group.pk)
    return render(request, "onboarding/group_detail.html", {
        "group": group, "add": add, "invite": invite,
        "members": group.members.select_related("user", "organisation").order_by("user__email"),
        "invitations": core_selectors.invitations_of(municipality).filter(group=group, accepted_at__isnull=True,
                                                                          revoked_at__isnull=True)})


@require_POST
@permission_required(can_set_up)
def group_member_remove(request: HttpRequest, municipality: Municipality, pk: int, member: int) -> HttpResponse:
    item = get_object_or_404(GroupMembership.objects.filter(group__municipality=municipality, group_id=pk), pk=member)
    core.group_member_remove(actor=request.user, member=item)
    messages.success(request, _("The member was removed from the group."))
    return _back(municipality, "group", pk=pk)


# --- people --------------------------------------------------------------------------------------------------------

@permission_required(can_manage_people)
def people(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = forms.InviteForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            core.invitation_create(actor=request.user, municipality=municipality, email=data["email"],
                                   name=data["name"], role=data["role"], organisation=data["organisation"])
        except core.CoreError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The invitation was sent to %(email)s.") % {"email": data["email"]})
            return _back(municipality, "people")
    invitations = core_selectors.invitations_of(municipality).filter(role__gt="")[:200]
    return render(request, "onboarding/people.html", {
        "form": form, "invitations": invitations, "now": timezone.now(),
        "memberships": core_selectors.memberships_of(municipality)[:200],
        "requests": core_selectors.pending_role_requests_of(municipality)})


@require_POST
@permission_required(can_set_up)
def invitation_revoke(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    invitation = get_object_or_404(core_selectors.invitations_of(municipality), pk=pk)
    try:
        core.invitation_revoke(actor=request.user, invitation=invitation)
    except core.CoreError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The invitation was withdrawn; its link no longer works."))
    if invitation.group_id:
        return _back(municipality, "group", pk=invitation.group_id)
    return _back(municipality, "people")


# --- districts -----------------------------------------------------------------------------------------------------

@permission_required(can_set_up)
def districts(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = forms.DistrictsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = situation_services.districts_add(actor=request.user, municipality=municipality,
                                                     names=form.cleaned_data["names"])
        except situation_services.SituationError as exc:
            form.add_error("names", str(exc))
        else:
            messages.success(request, _("%(n)s districts were added.") % {"n": len(added)})
            return _back(municipality, "districts")
    return render(request, "onboarding/districts.html", {
        "form": form, "districts": situation.districts_of(municipality)})


# --- knowledge -----------------------------------------------------------------------------------------------------

@permission_required(can_set_up)
def knowledge_step(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = forms.KnowledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            counts = services.knowledge_template_load(actor=request.user, municipality=municipality,
                                                      edition=form.cleaned_data["edition"])
        except services.OnboardingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The template was loaded: %(n)s new items.") % {"n": sum(counts.values())})
            return _back(municipality, "knowledge")
    return render(request, "onboarding/knowledge.html", {"form": form,
        "signs": knowledge.signs_of(municipality).count(), "milieus": knowledge.milieus_of(municipality).count(),
        "laws": knowledge.laws_of(municipality).count()})


# --- routing -------------------------------------------------------------------------------------------------------

@permission_required(can_set_up)
def routing(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """Edit the guide's routing from the national template; preview what a worried person would be told with the
    rules as typed (saved or not); save only what the guide's engine accepts."""
    saved = guidance.routing_of(municipality)
    initial_text = saved.text if saved else guidance.routing_template_text(municipality)
    signs = [(sign.key, sign.text) for sign in knowledge.signs_of(municipality)]
    form = forms.RoutingForm(request.POST or None, initial={"text": initial_text})
    preview_form = forms.PreviewForm(request.POST or None, signs=signs)
    preview = None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"].replace("\r\n", "\n")
        if "save" in request.POST:
            try:
                guidance_services.routing_save(actor=request.user, municipality=municipality, text=text)
            except guidance_services.ContactError as exc:
                form.add_error("text", str(exc))
            else:
                messages.success(request, _("The routing was saved."))
                return _back(municipality, "routing")
        elif preview_form.is_valid():
            preview = _preview(municipality, text, preview_form.cleaned_data, form)
    return render(request, "onboarding/routing.html", {
        "form": form, "preview_form": preview_form, "preview": preview, "saved": saved,
        "has_signs": bool(signs)})


def _preview(municipality: Municipality, text: str, answers: dict[str, Any], form: Any) -> dict[str, Any] | None:
    try:
        result, directory = guidance.routing_preview(
            municipality, text, signs=frozenset(answers["signs"]), asker=answers["asker"],
            age_band=answers["age_band"], immediate_danger=answers["immediate_danger"],
            planning_violence=answers["planning_violence"], wants_to_leave=answers["wants_to_leave"])
    except (engine.RuleFileError, engine.GuidanceInputError) as exc:
        form.add_error("text", _("The rules are not valid: %(error)s") % {"error": exc})
        return None
    return {
        "level": texts.LEVELS[result.level][0],
        "steps": [{"contact": directory[step.contact_key], "reason": texts.reason_text(step.reason_key),
                   "urgent": step.urgent} for step in result.steps],
        "duties": [texts.duty_text(duty) for duty in result.duties],
    }


# --- the platform administrator ------------------------------------------------------------------------------------

platform_admin_required = permission_required(is_platform_admin, members_only=False)


@platform_admin_required
def municipalities(request: HttpRequest) -> HttpResponse:
    form = forms.MunicipalityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            municipality, invitations = core.municipality_create(
                actor=request.user, name=data["name"], code=data["code"], slug=data["slug"],
                administrators=data["administrators"])
        except core.CoreError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(name)s was created, in setup. %(n)s invitations were sent.")
                             % {"name": municipality.name, "n": len(invitations)})
            return redirect("onboarding:municipalities")
    return render(request, "onboarding/municipalities.html", {
        "form": form, "municipalities": Municipality.objects.order_by("name")})

