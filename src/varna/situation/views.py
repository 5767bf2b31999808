"""Thin views for the situation picture: parse input, call one selector or service, render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from varna.core.confirm import confirmation
from varna.core.decorators import permission_required, refuse_unless
from varna.core.exports import check_format, export_heading, export_links, export_response, export_tables_response
from varna.core.formsystem import choices_of
from varna.core.models import Municipality
from varna.core.pdf import pdf_response, render_pdf
from varna.core.ratelimit import rate_limit
from varna.core.terms import Term, term_label
from varna.disclosure.suppression import INTERNAL, Policy
from varna.knowledge import selectors as knowledge
from varna.situation import charts, exports, importing, permissions, selectors, services
from varna.situation.forms import (
    DashboardFilterForm,
    GeoJSONForm,
    ImportForm,
    ObservationForm,
    SurveyAnswerForm,
    SurveyForm,
)
from varna.situation.selectors import Filters, SituationTable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Picture:
    form: DashboardFilterForm
    filters: Filters
    policy: Policy
    tables: list[SituationTable]


def _picture(request: HttpRequest, municipality: Municipality) -> Picture:
    """The filters, policy and tables that the dashboard, its charts and its exports all share."""
    internal = permissions.may_use_internal_policy(request.user, municipality)
    terms = selectors.terms_of(municipality)
    form = DashboardFilterForm(request.GET or None, municipality=municipality, terms=terms, internal=internal)
    filters, published = Filters(), not internal
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if internal:
            filters = Filters(term_from=data["term_from"], term_to=data["term_to"], district=data["district"],
                              milieu=data["milieu"], category=data["category"])
            published = bool(data.get("published"))
    elif form.is_bound and internal:
        published = bool(request.GET.get("published"))
    policy = permissions.policy_for(request.user, municipality, published=published)
    if policy is INTERNAL:
        tables = selectors.situation_tables(municipality=municipality, filters=filters, policy=policy,
                                            specs=selectors.dashboard_specs())
    else:
        # Published figures come from the catalogue only: one whole term, no other filter (ADR 0016).
        term = form.published_term(terms) or Term.of(timezone.localdate()).key  # no observations yet: all zero
        filters = Filters(terms=(term,))
        tables = selectors.published_tables(municipality=municipality, term=term, policy=policy)
    return Picture(form, filters, policy, tables)


def _regions(municipality: Municipality, table: SituationTable) -> dict[str, tuple[str, Any]]:
    keys = dict(selectors.districts_of(municipality).values_list("pk", "key"))
    return {keys[row.key]: (row.label, row.total) for row in table.rows}


def _map(municipality: Municipality, table: SituationTable) -> Any:
    geojson = selectors.district_geojson(municipality)
    if geojson is None:
        return None
    return charts.district_map(geojson, _regions(municipality, table), table.caption,
                               _("Map of the districts, darker where more people were involved. "
                                 "The table of districts shows the same figures."))


def _charts(municipality: Municipality, tables: list[SituationTable]) -> dict[str, Any]:
    desc = _("The table below the chart shows the same figures.")
    result = {}
    for table in tables:
        result[table.key] = charts.line_chart(table, desc) if table.key == "term" else charts.bar_chart(table, desc)
    return result


def _policy_note(policy: Policy) -> str:
    from varna.disclosure.notes import protection_note

    return protection_note(policy)


@permission_required(permissions.can_view_dashboard)
def dashboard(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    picture = _picture(request, municipality)
    by_key = {t.key: t for t in picture.tables}
    # The tables, charts and map are rendered once per set of suppressed figures (the key holds the very cells
    # shown, the districts' keys and the map's boundaries' stamp): the same numbers give the same rendering.
    map_stamp = selectors.district_map_stamp(municipality)
    # In the order the form lists them: the filter form's district choices and the map's regions.
    districts = tuple(selectors.districts_of(municipality).values_list("pk", "key", "name"))
    stamp = (municipality.pk, picture.policy.name, repr(picture.tables), districts, map_stamp)
    form = picture.form
    # The filter form renders the same for the same choices (terms, districts) and values, unless it shows an
    # error: its widgets (a template per option) cost more than the rest of the page.
    form_stamp = (municipality.pk, form.internal, tuple(choices_of(form.choice_field("term_from" if form.internal
                                                                                      else "term"))), districts,
                  tuple((name, request.GET.get(name, "")) for name in form.fields), form.is_bound
                  ) if not form.is_bound or form.is_valid() else None
    return render(request, "situation/dashboard.html", {
        "picture": picture, "tables": picture.tables, "render_stamp": stamp, "form_stamp": form_stamp,
        "charts": SimpleLazyObject(lambda: _charts(municipality, picture.tables)),
        "map": None if map_stamp is None else SimpleLazyObject(lambda: _map(municipality, by_key["district"]) or ""),
        "policy_note": _policy_note(picture.policy),
        "export_query": request.GET.urlencode(), "synthetic": selectors.has_synthetic(municipality),
        "can_report": permissions.can_report(request.user, municipality),
        "can_list": permissions.can_list_observations(request.user, municipality),
        "can_upload_map": permissions.can_upload_district_map(request.user, municipality),
    })


def _export_heading(municipality: Municipality, picture: Picture) -> list[str]:
    filters = ", ".join(f"{k}={v}" for k, v in picture.filters.as_dict().items()) or _("none")
    return [_("Situation picture – %(municipality)s") % {"municipality": municipality.name},
            _("Exported %(date)s") % {"date": timezone.localdate().isoformat()},
            _("Filters: %(filters)s") % {"filters": filters},
            _policy_note(picture.policy)]


@permission_required(permissions.can_view_dashboard)
def dashboard_export(request: HttpRequest, municipality: Municipality, fmt: str) -> HttpResponse:
    check_format(fmt)
    picture = _picture(request, municipality)
    heading = _export_heading(municipality, picture)
    services.export_recorded(actor=request.user, municipality=municipality, fmt=fmt,
                             filters=picture.filters.as_dict(), policy=picture.policy.name)
    return export_tables_response(exports.export_tables(picture.tables), fmt, f"situation-{municipality.slug}",
                                  heading)


def _observations(request: HttpRequest, municipality: Municipality) -> tuple[DashboardFilterForm, Filters, Any]:
    """The observation list's filters (the dashboard's, without the publishing choice) and its columns for
    this reader: the page and both exports go through here."""
    form = DashboardFilterForm(request.GET or None, municipality=municipality,
                               terms=selectors.terms_of(municipality), internal=True)
    del form.fields["published"]  # a list of observations is never published
    filters = Filters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = Filters(term_from=data["term_from"], term_to=data["term_to"], district=data["district"],
                          milieu=data["milieu"], category=data["category"])
    # The "synthetic" column only where there is demo data, so that a real list does not carry it.
    columns = exports.observation_columns(
        vocabulary=knowledge.vocabulary_of(municipality),
        description=permissions.can_see_description(request.user, municipality),
        reporter=permissions.can_see_reporter(request.user, municipality),
        synthetic=selectors.has_synthetic(municipality))
    return form, filters, columns


@permission_required(permissions.can_list_observations)
def observation_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form, filters, columns = _observations(request, municipality)
    page = Paginator(selectors.observations_filtered(municipality, filters), 50).get_page(request.GET.get("page"))
    return render(request, "situation/observation_list.html", {
        "form": form, "page": page, "table": exports.observation_table(page.object_list, columns),
        "changeable": {o.pk for o in page.object_list if permissions.can_change_observation(request.user, o)},
        "show_reporter": permissions.can_see_reporter(request.user, municipality),
        "synthetic": selectors.has_synthetic(municipality),
        **export_links(request, "situation:observation_export", municipality=municipality.slug),
        "can_import": permissions.can_import(request.user, municipality)})


@permission_required(permissions.can_list_observations)
def observation_export(request: HttpRequest, municipality: Municipality, file_format: str) -> HttpResponse:
    """Every observation under the list's filters (all pages), with the same columns as this reader's page."""
    check_format(file_format)
    _form, filters, columns = _observations(request, municipality)
    heading = export_heading(_("Observations – %(municipality)s") % {"municipality": municipality.name},
                             filters=filters.as_dict())
    table = exports.observation_table(selectors.observations_filtered(municipality, filters), columns,
                                      heading=heading)
    response = export_response(table, file_format, f"observationer-{municipality.slug}")
    services.export_recorded(actor=request.user, municipality=municipality, fmt=file_format,
                             filters=filters.as_dict(), policy="", what="observations", rows=len(table.rows))
    return response


@permission_required(permissions.can_report)
def observation_create(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = ObservationForm(request.POST or None, municipality=municipality,
                           initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.observation_create(actor=request.user, municipality=municipality, values=form.values())
        except services.PersonalDataError as exc:
            form.add_error("description", exc.messages)
        except services.InvalidValue as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        except services.SituationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Thank you. The observation was saved."))
            if permissions.can_list_observations(request.user, municipality):
                return redirect("situation:observation_list", municipality=municipality.slug)
            return redirect("situation:observation_create", municipality=municipality.slug)
    return render(request, "situation/observation_form.html", {"form": form, "observation": None})


def _changeable(request: HttpRequest, municipality: Municipality, pk: int) -> Any:
    observation = selectors.observation_get(municipality, pk)
    refuse_unless(permissions.can_change_observation(request.user, observation))
    return observation


@permission_required(permissions.can_list_observations)
def observation_edit(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    observation = _changeable(request, municipality, pk)
    initial = {name: getattr(observation, name) for name in services.EDITABLE}
    initial["district"] = observation.district.key
    initial["source_organisation"] = observation.source_organisation.key if observation.source_organisation else ""
    form = ObservationForm(request.POST or None, municipality=municipality, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.observation_change(actor=request.user, observation=observation, values=form.values())
        except services.PersonalDataError as exc:
            form.add_error("description", exc.messages)
        except services.InvalidValue as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        except services.SituationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The observation was saved."))
            return redirect("situation:observation_list", municipality=municipality.slug)
    return render(request, "situation/observation_form.html", {"form": form, "observation": observation})


@permission_required(permissions.can_list_observations)
def observation_delete(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    observation = _changeable(request, municipality, pk)
    if (page := confirmation(
            request, title=_("Delete the observation?"),
            what=f"{formats.date_format(observation.date, 'SHORT_DATE_FORMAT')} – {observation.district.name}",
            consequence=_("It leaves the situation picture. This cannot be undone."),
            button=_("Delete the observation"),
            cancel_url=reverse("situation:observation_edit", kwargs={"municipality": municipality.slug,
                                                                     "pk": pk}))) is not None:
        return page
    services.observation_delete(actor=request.user, observation=observation)
    messages.success(request, _("The observation was deleted."))
    return redirect("situation:observation_list", municipality=municipality.slug)


@permission_required(permissions.can_list_observations)
def observation_import(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[services.RowProblem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = importing.import_file(actor=request.user, municipality=municipality, name=upload.name,
                                          content=upload.read())
        except services.ImportRejected as exc:
            problems = exc.problems
        except importing.FileProblem as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, _("%(n)s observations were imported.") % {"n": count})
            return redirect("situation:observation_list", municipality=municipality.slug)
    return render(request, "situation/observation_import.html", {"form": form, "problems": problems})


@permission_required(permissions.can_list_observations)
def import_template(request: HttpRequest, municipality: Municipality, fmt: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(importing.template_csv(municipality), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(importing.template_xlsx(municipality), content_type=XLSX)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="observations-template.{fmt}"'
    return response


def _report(request: HttpRequest, municipality: Municipality) -> dict[str, Any]:
    terms = selectors.terms_of(municipality)
    try:  # the deprecated 2026-autumn form of old links still reads (core.terms)
        term = Term.normalise(request.GET.get("term") or (terms[-1] if terms else Term.of(timezone.localdate()).key))
    except ValueError:
        raise Http404 from None
    if term not in terms and terms:
        raise Http404
    previous = Term.parse(term).previous().key
    published = request.GET.get("published") == "1"
    policy = permissions.policy_for(request.user, municipality, published=published)
    if policy is INTERNAL:
        tables = selectors.situation_tables(municipality=municipality, filters=Filters(terms=(previous, term)),
                                            policy=policy, specs=selectors.report_specs())
        summary = selectors.situation_tables(municipality=municipality, filters=Filters(terms=(previous, term)),
                                             policy=policy, specs=[selectors.TableSpec(
                                                 "summary", _("People involved this term and the last, by gender"),
                                                 "term")])[0]
    else:
        # Published: each term on its own, from the catalogue (ADR 0016).
        summary, tables = selectors.published_report(municipality=municipality, terms=(previous, term),
                                                     policy=policy)
    desc = _("The table below the chart shows the same figures.")
    survey = selectors.latest_survey(municipality, until=Term.parse(term).end)
    survey_results = selectors.survey_results(survey=survey, policy=policy) if survey else []
    return {"survey": survey, "survey_results": survey_results,
            "term": term, "term_label": term_label(term), "previous_label": term_label(previous),
            "terms": [(t, term_label(t)) for t in terms], "tables": tables, "summary": summary,
            "summary_chart": charts.bar_chart(summary, desc),
            "charts": {table.key: charts.bar_chart(table, desc) for table in tables},
            "policy_note": _policy_note(policy), "published": published or policy is not INTERNAL,
            "synthetic": selectors.has_synthetic(municipality), "generated": timezone.localdate()}


@permission_required(permissions.can_view_dashboard)
def term_report(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return render(request, "situation/term_report.html", _report(request, municipality))


@permission_required(permissions.can_view_dashboard)
def term_report_pdf(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    context = _report(request, municipality)
    pdf = render_pdf("situation/term_report_pdf.html", {**context, "municipality": municipality}, request=request)
    services.export_recorded(actor=request.user, municipality=municipality, fmt="pdf",
                             filters={"term": context["term"]}, policy="published" if context["published"]
                             else "internal", what="term_report")
    return pdf_response(pdf, filename=f"situation-{municipality.slug}-{context['term']}.pdf")


# --- the situation survey ----------------------------------------------------------------------------


@permission_required(permissions.can_view_dashboard)
def survey_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return render(request, "situation/survey_list.html", {
        "table": exports.survey_table(selectors.surveys_of(municipality), today=timezone.localdate()),
        **export_links(request, "situation:survey_list_export", municipality=municipality.slug),
        "can_create": permissions.can_manage_surveys(request.user, municipality)})


@permission_required(permissions.can_view_dashboard)
def survey_list_export(request: HttpRequest, municipality: Municipality, file_format: str) -> HttpResponse:
    """The surveys as listed (titles, dates and status; no answers), for the same roles as the list."""
    check_format(file_format)
    heading = export_heading(_("Surveys – %(municipality)s") % {"municipality": municipality.name})
    table = exports.survey_table(selectors.surveys_of(municipality), today=timezone.localdate(), heading=heading)
    response = export_response(table, file_format, f"enkater-{municipality.slug}")
    services.export_recorded(actor=request.user, municipality=municipality, fmt=file_format, filters={},
                             policy="", what="surveys", rows=len(table.rows))
    return response


@permission_required(permissions.can_manage_surveys)
def survey_create(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(actor=request.user, municipality=municipality, **form.cleaned_data)
        except services.SituationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The survey was created. Share each audience's link."))
            return redirect("situation:survey_results", municipality=municipality.slug, pk=survey.pk)
    return render(request, "situation/survey_form.html", {"form": form})


def _survey_results(request: HttpRequest, municipality: Municipality, pk: int) -> tuple[Any, Policy, list]:
    survey = selectors.survey_get(municipality, pk)
    policy = permissions.policy_for(request.user, municipality)
    results = selectors.survey_results(survey=survey, policy=policy,
                                       with_texts=permissions.can_manage_surveys(request.user, municipality))
    return survey, policy, results


@permission_required(permissions.can_view_dashboard)
def survey_results(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    survey, policy, results = _survey_results(request, municipality, pk)
    manage = permissions.can_manage_surveys(request.user, municipality)
    links = [(link, request.build_absolute_uri(reverse("situation:survey_answer", args=[municipality.slug,
                                                                                        link.token])))
             for link in survey.links.all()] if manage else []
    previous = selectors.previous_survey(survey)
    earlier = {r.key: r for r in selectors.survey_results(survey=previous, policy=policy)} if previous else {}
    return render(request, "situation/survey_results.html", {
        "survey": survey, "previous": previous, "results": [(r, earlier.get(r.key)) for r in results],
        "links": links, "policy_note": _policy_note(policy),
        "threshold": policy.threshold})


@permission_required(permissions.can_view_dashboard)
def survey_export(request: HttpRequest, municipality: Municipality, pk: int, fmt: str) -> HttpResponse:
    """The survey's result tables as on its page (suppressed), as CSV or XLSX."""
    check_format(fmt)
    survey, policy, results = _survey_results(request, municipality, pk)
    tables = [r.table for r in results if r.table is not None]
    heading = [survey.title, _policy_note(policy)] + [
        _("%(question)s: too few answers from %(audiences)s") % {"question": r.text, "audiences": ", ".join(r.too_few)}
        for r in results if r.too_few]
    response = export_tables_response(exports.export_tables(tables), fmt, f"survey-{survey.pk}", heading)
    services.export_recorded(actor=request.user, municipality=municipality, fmt=fmt, filters={"survey": pk},
                             policy=policy.name, what="survey")
    return response


# One address may answer a few dozen times in ten minutes: a class in one school network, not a flood.
@rate_limit("survey_answer", limit=30, window=600, methods=["POST"])
def survey_answer(request: HttpRequest, municipality: Municipality, token: str) -> HttpResponse:
    """Public and anonymous: no login, nothing about the respondent is stored."""
    link = selectors.survey_link_get(municipality, token)
    survey, today = link.survey, timezone.localdate()
    if not survey.is_open(today):
        return render(request, "situation/survey_answer.html", {"survey": survey, "closed": True}, status=410)
    form = SurveyAnswerForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(link=link, answers=form.cleaned_data, today=today)
        except services.PersonalDataError as exc:
            form.add_error(None, exc.messages)
        else:
            return render(request, "situation/survey_answer.html", {"survey": survey, "thanks": True})
    return render(request, "situation/survey_answer.html", {"survey": survey, "form": form})


@permission_required(permissions.can_upload_district_map)
def district_map_upload(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = GeoJSONForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.district_map_upload(actor=request.user, municipality=municipality,
                                         text=form.cleaned_data["file"])
        except services.SituationError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, _("The district map was saved."))
            return redirect("situation:dashboard", municipality=municipality.slug)
    return render(request, "situation/district_map_upload.html", {
        "form": form, "districts": selectors.districts_of(municipality)})
