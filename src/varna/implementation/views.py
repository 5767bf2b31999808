from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from varna.core.decorators import permission_required
from varna.core.exports import check_format, export_heading, export_links, export_response
from varna.core.models import Municipality
from varna.implementation import exports, permissions, selectors, services
from varna.implementation.forms import ConfirmForm
from varna.implementation.models import Round


def _round(request: HttpRequest, municipality: Municipality) -> Round | None:
    """The round asked for with ?round=<id> (any round of the municipality, of any plan), else the first current."""
    asked = request.GET.get("round") or request.POST.get("round")
    return selectors.round_get(municipality, asked) if asked else selectors.current_round(municipality)


@permission_required(permissions.can_acknowledge)
def overview(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    round_ = _round(request, municipality)
    context: dict[str, object] = {"round": round_, "current_rounds": selectors.current_rounds(municipality),
                                  "all_rounds": list(selectors.rounds_of(municipality).order_by(
                                      "version__plan__title", "-version__number"))}
    if round_ is not None:
        context["my_units"] = [
            (unit, selectors.confirmation_of(round_, unit),
             ConfirmForm(initial={"organisation": unit.pk, "round": round_.pk}))
            for unit in selectors.managed_units(municipality, request.user)]
        context["acknowledgement"] = selectors.acknowledgement_of(round_, request.user)
        if permissions.can_see_coverage(request.user, municipality):
            rows = selectors.coverage(round_)
            context["coverage"] = rows
            context["table"] = exports.coverage_table(rows)
            context.update(export_links(request, "implementation:coverage_export", municipality=municipality.slug))
            context["confirmed"] = sum(1 for r in rows if r.confirmation)
            context["fulfils"] = list(selectors.activities_fulfilled(round_))
            context["fulfils_what"] = _("managers' confirmations in this round")
    return render(request, "implementation/round_overview.html", context)


@permission_required(permissions.can_see_coverage)
def coverage_export(request: HttpRequest, municipality: Municipality, file_format: str) -> HttpResponse:
    """A round's coverage per unit (?round=<id>, else the first current), as on the overview."""
    check_format(file_format)
    round_ = _round(request, municipality)
    if round_ is None:
        raise Http404
    heading = export_heading(_("Implementation of the plan – %(municipality)s, %(plan)s, version %(n)s") % {
        "municipality": municipality.name, "plan": round_.version.plan.title, "n": round_.version.number})
    table = exports.coverage_table(selectors.coverage(round_), heading=heading)
    response = export_response(table, file_format, f"implementering-{municipality.slug}")
    services.coverage_exported(actor=request.user, municipality=municipality, round_=round_,
                               file_format=file_format, rows=len(table.rows))
    return response


@require_POST
@permission_required(permissions.can_confirm_for_a_unit)
def confirm(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        raise Http404
    unit = next((u for u in selectors.managed_units(municipality, request.user)
                 if u.pk == form.cleaned_data["organisation"]), None)
    if unit is None:
        raise PermissionDenied
    try:
        round_ = selectors.round_get(municipality, form.cleaned_data["round"]) if form.cleaned_data["round"] else None
        services.unit_confirm(actor=request.user, municipality=municipality, organisation=unit,
                              how=form.cleaned_data["how"], round_=round_)
    except services.ImplementationPermissionError as exc:
        raise PermissionDenied from exc
    except services.ImplementationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Thank you: your unit is confirmed as informed."))
    return _back_to(municipality, form.cleaned_data["round"])


def _back_to(municipality: Municipality, round_pk: object) -> HttpResponse:
    url = reverse("implementation:overview", kwargs={"municipality": municipality.slug})
    return redirect(f"{url}?round={round_pk}" if round_pk else url)


@require_POST
@permission_required(permissions.can_acknowledge)
def acknowledge(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    round_ = _round(request, municipality)
    try:
        services.acknowledge(actor=request.user, municipality=municipality, round_=round_)
    except services.ImplementationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Thank you for reading the plan."))
    return _back_to(municipality, round_.pk if round_ and request.POST.get("round") else None)
