from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from varna.core.confirm import confirmation
from varna.core.decorators import permission_required
from varna.core.exports import check_format, export_heading, export_links, export_response
from varna.core.models import Municipality
from varna.core.selectors import organisations_of
from varna.core.terms import Term
from varna.core.vocabulary import GENDERS
from varna.training import exports, permissions, selectors, services
from varna.training.forms import AttendanceFormSet, CoverageFilterForm, TrainingEventForm


def _topic(request: HttpRequest) -> tuple[CoverageFilterForm, str]:
    """The topic filter of the training list and the coverage page (and of their exports)."""
    form = CoverageFilterForm(request.GET or None)
    return form, (form.cleaned_data["topic"] if form.is_valid() else "")


@permission_required(permissions.can_view_training)
def event_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form, topic = _topic(request)
    page = Paginator(selectors.events_with_participants(municipality, topic=topic), 20).get_page(
        request.GET.get("page"))
    return render(request, "training/event_list.html", {
        "form": form, "page": page, "table": exports.event_table(page.object_list),
        **export_links(request, "training:event_export", municipality=municipality.slug),
        "can_record": permissions.can_record_training(request.user, municipality)})


@permission_required(permissions.can_view_training)
def event_export(request: HttpRequest, municipality: Municipality, file_format: str) -> HttpResponse:
    """Every training event under the list's filter (all pages), newest first, for the same members."""
    check_format(file_format)
    _form, topic = _topic(request)
    filters = {"topic": topic} if topic else {}
    heading = export_heading(_("Training – %(municipality)s") % {"municipality": municipality.name}, filters=filters)
    table = exports.event_table(selectors.events_with_participants(municipality, topic=topic), heading=heading)
    response = export_response(table, file_format, f"utbildningar-{municipality.slug}")
    services.list_exported(actor=request.user, municipality=municipality, what="events", file_format=file_format,
                           filters=filters, rows=len(table.rows))
    return response


@permission_required(permissions.can_record_training)
def event_create(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    organisations = organisations_of(municipality).order_by("name")
    form = TrainingEventForm(request.POST or None, organisations=organisations,
                             initial={"date": timezone.localdate()})
    formset = AttendanceFormSet(request.POST or None, prefix="attendance",
                                form_kwargs={"organisations": organisations})
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [services.AttendanceRow(organisation=f.cleaned_data.get("organisation"), counts=f.counts())
                for f in formset.forms if f.cleaned_data]
        try:
            event = services.event_create(actor=request.user, municipality=municipality, attendance=rows,
                                          **form.cleaned_data)
        except services.TrainingPermissionError as exc:
            raise PermissionDenied from exc
        except services.TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The training is registered."))
            return redirect("training:event_detail", municipality=municipality.slug, pk=event.pk)
    return render(request, "training/event_form.html", {
        "form": form, "formset": formset, "unlinked_topics": selectors.topics_fulfilling_nothing(municipality)})


@permission_required(permissions.can_view_training)
def event_detail(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    event = selectors.event_get(municipality, pk)
    attendance = list(event.attendance.all())
    return render(request, "training/event_detail.html", {
        "event": event, "attendance": attendance, "total": sum(a.total for a in attendance),
        "genders": [gender.label for gender in GENDERS],
        "fulfils": list(selectors.activities_fulfilled(municipality, event.topic, event.date)),
        "fulfils_what": _("trainings on “%(topic)s”") % {"topic": event.get_topic_display()},
        "can_delete": permissions.can_delete_training(request.user, municipality, event)})


@permission_required(permissions.can_record_training)
def event_delete(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    event = selectors.event_get(municipality, pk)
    if (page := confirmation(
            request, title=_("Remove the training?"),
            what=f"{event.title} ({formats.date_format(event.date, 'SHORT_DATE_FORMAT')})",
            consequence=_("Its attendance leaves the coverage figures."), button=_("Remove the training"),
            cancel_url=reverse("training:event_detail", kwargs={"municipality": municipality.slug,
                                                                "pk": pk}))) is not None:
        return page
    try:
        services.event_delete(actor=request.user, event=event)
    except services.TrainingPermissionError as exc:
        raise PermissionDenied from exc
    messages.success(request, _("The training was removed."))
    return redirect("training:event_list", municipality=municipality.slug)


def _coverage_terms() -> list[Term]:
    current = Term.of(timezone.localdate())
    return list(Term.range(current.previous().previous().previous(), current))


@permission_required(permissions.can_view_training)
def coverage(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    terms = _coverage_terms()
    form, topic = _topic(request)
    rows = selectors.coverage(municipality, terms, topic=topic or None)
    reached = {row.organisation.pk for row in rows if row.organisation is not None}
    not_reached = organisations_of(municipality).exclude(pk__in=reached).order_by("name")
    return render(request, "training/coverage.html", {
        "form": form, "terms": terms, "table": exports.coverage_table(rows, terms), "not_reached": not_reached,
        **export_links(request, "training:coverage_export", municipality=municipality.slug),
        "totals": selectors.totals(municipality, terms)})


@permission_required(permissions.can_view_training)
def coverage_export(request: HttpRequest, municipality: Municipality, file_format: str) -> HttpResponse:
    """Participants per unit and term, as on the coverage page, under its topic filter."""
    check_format(file_format)
    terms = _coverage_terms()
    _form, topic = _topic(request)
    filters = {"topic": topic} if topic else {}
    heading = export_heading(_("Training coverage – %(municipality)s") % {"municipality": municipality.name},
                             filters=filters)
    table = exports.coverage_table(selectors.coverage(municipality, terms, topic=topic or None), terms,
                                   heading=heading)
    response = export_response(table, file_format, f"utbildning-tackning-{municipality.slug}")
    services.list_exported(actor=request.user, municipality=municipality, what="coverage",
                           file_format=file_format, filters=filters, rows=len(table.rows))
    return response
