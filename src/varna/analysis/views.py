"""Thin views for the analysis: parse input, call one selector or service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from varna.analysis import document, forms, permissions, selectors, services
from varna.analysis.models import Analysis, ProblemStatement
from varna.core.decorators import permission_required
from varna.core.models import Municipality
from varna.core.pdf import pdf_response

if TYPE_CHECKING:
    from varna.analysis.models import ExternalFigure, ExternalSource
    from varna.core.exports import Table

READ, WRITE = permissions.READ_ROLES, permissions.WRITE_ROLES


@permission_required(permissions.can_read_analysis)
def analysis_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return render(request, "analysis/analysis_list.html", {
        "analyses": selectors.analyses_of(municipality),
        "can_write": permissions.can_write_analysis(request.user, municipality)})


@permission_required(permissions.can_write_analysis)
def analysis_create(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = forms.AnalysisForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            analysis = services.analysis_create(actor=request.user, municipality=municipality, **form.cleaned_data)
        except services.AnalysisError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The analysis was started. Add its problem statements."))
            return redirect("analysis:analysis_detail", municipality=municipality.slug, pk=analysis.pk)
    return render(request, "analysis/form.html", {"form": form, "title": _("New analysis")})


@permission_required(permissions.can_read_analysis)
def analysis_detail(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    analysis = selectors.analysis_get(municipality, pk)
    can_write = permissions.can_write_analysis(request.user, municipality)
    return render(request, "analysis/analysis_detail.html", {
        "analysis": analysis, "problems": document.problem_views(municipality, analysis),
        "can_write": can_write, "editable": can_write and analysis.is_draft,
        "can_approve": permissions.can_approve_analysis(request.user, municipality) and analysis.is_draft})


@permission_required(permissions.can_write_analysis)
def analysis_edit(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    analysis = selectors.analysis_get(municipality, pk)
    initial = {"title": analysis.title, "period_from": analysis.period_from, "period_to": analysis.period_to,
               "summary": analysis.summary}
    form = forms.AnalysisForm(request.POST or None, initial=initial, municipality=municipality)
    return _form_page(request, municipality, form, analysis, _("Edit the analysis"),
                      lambda data: services.analysis_update(actor=request.user, analysis=analysis, **data))


def _form_page(request: HttpRequest, municipality: Municipality, form: Any, back: Analysis, title: str,
               save: Callable[[dict[str, Any]], object]) -> HttpResponse:
    """The analysis's form pages: a valid POST is handed to `save` (a service call); the service's refusal
    becomes the form's error, success returns to the analysis."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except services.AnalysisError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("analysis:analysis_detail", municipality=municipality.slug, pk=back.pk)
    return render(request, "analysis/form.html", {"form": form, "title": title, "back": back})


@permission_required(permissions.can_read_analysis)
def analysis_approve(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    analysis = selectors.analysis_get(municipality, pk)
    if not permissions.can_approve_analysis(request.user, municipality):
        raise PermissionDenied
    with_plan = request.method == "POST" and "plan" in request.POST
    form = forms.DecisionForm(request.POST if request.method == "POST" and not with_plan else None)
    plan_form = forms.WithPlanForm(request.POST if with_plan else None, municipality=municipality)
    if request.method == "POST":
        from varna.plans import services as plan_services
        from varna.plans.selectors import plan_get

        try:
            if with_plan and plan_form.is_valid():
                services.analysis_approve_with_plan(actor=request.user, analysis=analysis,
                                                    plan=plan_get(municipality, plan_form.cleaned_data["plan"]))
            elif not with_plan and form.is_valid():
                data = form.cleaned_data
                services.analysis_approve(actor=request.user, analysis=analysis, decision=plan_services.Decision(
                    body_kind=data["body_kind"], body=data["body"], date=data["date"], paragraph=data["paragraph"],
                    registry_number=data["registry_number"]))
            else:
                raise services.AnalysisError(_("Check the fields below."))
        except services.AnalysisError as exc:
            (plan_form if with_plan else form).add_error(None, str(exc))
        else:
            messages.success(request, _("The analysis is approved."))
            return redirect("analysis:analysis_detail", municipality=municipality.slug, pk=analysis.pk)
    return render(request, "analysis/analysis_approve.html", {"analysis": analysis, "form": form,
                                                              "plan_form": plan_form})


def _problem_form(request: HttpRequest, municipality: Municipality, analysis: Analysis,
                  problem: ProblemStatement | None) -> HttpResponse:
    initial = {} if problem is None else {f: getattr(problem, f) for f in ("title", "what", "where", "who",
                                                                           "since", "certainty")}
    form = forms.ProblemForm(request.POST or None, initial=initial, municipality=municipality)
    title = _("New problem statement") if problem is None else _("Edit the problem statement")
    return _form_page(request, municipality, form, analysis, title, lambda data: services.problem_save(
        actor=request.user, analysis=analysis, problem=problem, **data))


@permission_required(permissions.can_write_analysis)
def problem_create(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    return _problem_form(request, municipality, selectors.analysis_get(municipality, pk), None)


@permission_required(permissions.can_write_analysis)
def problem_edit(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    problem = selectors.problem_get(municipality, pk)
    return _problem_form(request, municipality, problem.analysis, problem)


def _done(request: HttpRequest, municipality: Municipality, analysis: Analysis, action: Any) -> HttpResponse:
    try:
        action()
    except services.AnalysisError as exc:
        messages.error(request, str(exc))
    return redirect("analysis:analysis_detail", municipality=municipality.slug, pk=analysis.pk)


@require_POST
@permission_required(permissions.can_write_analysis)
def problem_delete(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    problem = selectors.problem_get(municipality, pk)
    return _done(request, municipality, problem.analysis,
                 lambda: services.problem_delete(actor=request.user, problem=problem))


@permission_required(permissions.can_write_analysis)
def evidence_add(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    problem = selectors.problem_get(municipality, pk)
    form = forms.EvidenceForm(request.POST or None, municipality=municipality)

    def save(data: dict[str, Any]) -> None:
        survey, question = None, ""
        if data["survey_question"]:
            from varna.situation.selectors import survey_get

            survey_pk, _sep, question = data["survey_question"].partition(":")
            survey = survey_get(municipality, int(survey_pk))
        item = None
        if data["monitoring_item"]:
            from varna.monitoring.selectors import item_get

            item = item_get(municipality, data["monitoring_item"])
        figure = selectors.figure_get(municipality, data["figure"]) if data["figure"] else None
        services.evidence_add(actor=request.user, problem=problem, kind=data["kind"], note=data["note"],
                              term=data["term"], breakdown=data["breakdown"], survey=survey, question=question,
                              monitoring_item=item, figure=figure)

    return _form_page(request, municipality, form, problem.analysis,
                      _("Evidence for “%(title)s”") % {"title": problem.title}, save)


@require_POST
@permission_required(permissions.can_write_analysis)
def evidence_delete(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    evidence = selectors.evidence_get(municipality, pk)
    return _done(request, municipality, evidence.problem.analysis,
                 lambda: services.evidence_remove(actor=request.user, evidence=evidence))


@permission_required(permissions.can_write_analysis)
def problem_link(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    problem = selectors.problem_get(municipality, pk)
    form = forms.LinkForm(request.POST or None, municipality=municipality)

    def save(data: dict[str, Any]) -> None:
        from varna.plans.selectors import plans_of

        plan_pk, _sep, key = data["activity"].partition(":")
        plan = plans_of(municipality).get(pk=int(plan_pk))
        services.problem_activity_link(actor=request.user, problem=problem, plan=plan, activity_key=key)

    return _form_page(request, municipality, form, problem.analysis,
                      _("A measure for “%(title)s”") % {"title": problem.title}, save)


@require_POST
@permission_required(permissions.can_write_analysis)
def link_delete(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    link = selectors.link_get(municipality, pk)
    return _done(request, municipality, link.problem.analysis,
                 lambda: services.problem_activity_unlink(actor=request.user, link=link))


@permission_required(permissions.can_write_analysis)
def indicator_create(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    """An indicator on the problem `pk`, or on one of the plan's activities (chosen in the form)."""
    problem = selectors.problem_get(municipality, pk)
    form = forms.IndicatorForm(request.POST or None, municipality=municipality)

    def save(data: dict[str, Any]) -> None:
        values: dict[str, Any] = {"name": data["name"], "kind": data["kind"], "direction": data["direction"],
                                  "baseline_term": data["baseline_term"], "baseline": data["baseline"],
                                  "target": data["target"], "target_term": data["target_term"]}
        owner: dict[str, Any] = {"problem": problem}
        if data["kind"] in ("category", "district", "milieu"):
            kind, _sep, key = data["key"].partition(":")
            values["key"] = key if kind == data["kind"] else ""
        elif data["kind"] == "survey_share":
            values["question"], _sep, values["answer"] = data["survey_answer"].partition(":")
        elif data["kind"] == "external":
            values["series"] = data["series"]
        elif data["kind"] == "completion" and data["activity"]:
            from varna.plans.selectors import plans_of

            plan_pk, _sep, key = data["activity"].partition(":")
            owner = {"plan": plans_of(municipality).get(pk=int(plan_pk)), "activity_key": key}
        services.indicator_create(actor=request.user, municipality=municipality, **owner, **values)

    return _form_page(request, municipality, form, problem.analysis,
                      _("An indicator for “%(title)s”") % {"title": problem.title}, save)


@require_POST
@permission_required(permissions.can_write_analysis)
def indicator_delete(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    indicator = selectors.indicator_get(municipality, pk)
    analysis_pk = indicator.problem.analysis_id if indicator.problem else None
    try:
        services.indicator_delete(actor=request.user, indicator=indicator)
    except services.AnalysisError as exc:
        messages.error(request, str(exc))
    if analysis_pk is None:
        return redirect("analysis:analysis_list", municipality=municipality.slug)
    return redirect("analysis:analysis_detail", municipality=municipality.slug, pk=analysis_pk)


# --- the lägesbild document -------------------------------------------------------------------------


@permission_required(permissions.can_read_analysis)
def analysis_document(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    analysis = selectors.analysis_get(municipality, pk)
    return render(request, "analysis/document.html", document.context(municipality, analysis))


@permission_required(permissions.can_read_analysis)
def analysis_document_pdf(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    analysis = selectors.analysis_get(municipality, pk)
    pdf = document.pdf(request, municipality, analysis)
    services.document_exported(actor=request.user, analysis=analysis, file_format="pdf")
    return pdf_response(pdf, filename=f"lagesbild-{analysis.pk}.pdf")


@permission_required(permissions.can_read_analysis)
def analysis_document_docx(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    analysis = selectors.analysis_get(municipality, pk)
    data = document.docx(municipality, analysis)
    services.document_exported(actor=request.user, analysis=analysis, file_format="docx")
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument."
                                                "wordprocessingml.document")
    response["Content-Disposition"] = f'attachment; filename="lagesbild-{analysis.pk}.docx"'
    return response


# --- other sources ------------------------------------------------------------------------------------


@permission_required(permissions.can_read_analysis)
def source_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return render(request, "analysis/source_list.html", {
        "sources": selectors.sources_of(municipality),
        "can_write": permissions.can_write_analysis(request.user, municipality)})


@permission_required(permissions.can_write_analysis)
def source_create(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = forms.SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            source = services.source_create(
                actor=request.user, municipality=municipality, kind=data["kind"], title=data["title"],
                publisher=data["publisher"], url=data["url"], published_on=data["published_on"],
                figures=[{k: data[k] for k in ("series", "area", "period", "value", "unit")}])
        except services.AnalysisError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("analysis:source_detail", municipality=municipality.slug, pk=source.pk)
    return render(request, "analysis/form.html", {"form": form, "title": _("An external figure")})


@permission_required(permissions.can_write_analysis)
def source_import(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        name, content = data["file"]
        try:
            source = services.source_import(
                actor=request.user, municipality=municipality, kind=data["kind"], title=data["title"],
                publisher=data["publisher"], url=data["url"], published_on=data["published_on"], file_name=name,
                content=content, default_unit=data["default_unit"])
        except services.AnalysisError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, _("%(n)s figures were imported.") % {"n": source.figures.count()})
            return redirect("analysis:source_detail", municipality=municipality.slug, pk=source.pk)
    return render(request, "analysis/form.html", {"form": form, "title": _("Import an external table")})


def _figure_table(source: ExternalSource) -> Table:
    from varna.core.exports import Column, export_heading, table_of

    columns: list[Column[ExternalFigure]] = [
        Column(_("Measure"), lambda f: f.series), Column(_("Area"), lambda f: f.area),
        Column(_("Period"), lambda f: f.period),
        Column(_("Value"), lambda f: selectors.format_number(f.value)), Column(_("Unit"), lambda f: f.unit)]
    return table_of(columns, source.figures.all(), title=str(source),
                    heading=[*export_heading(str(source)), selectors.source_line(source)])


@permission_required(permissions.can_read_analysis)
def source_detail(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    source = selectors.source_get(municipality, pk)
    return render(request, "analysis/source_detail.html", {
        "source": source, "table": _figure_table(source),
        "can_write": permissions.can_write_analysis(request.user, municipality)})


@permission_required(permissions.can_read_analysis)
def source_export(request: HttpRequest, municipality: Municipality, pk: int, file_format: str) -> HttpResponse:
    """The source's figures as CSV or XLSX, every cell defused against formulas (core.exports)."""
    from varna.core.exports import check_format, export_response

    source = selectors.source_get(municipality, pk)
    table = _figure_table(source)
    response = export_response(table, check_format(file_format), f"kalla-{source.pk}")
    services.source_exported(actor=request.user, source=source, file_format=file_format, rows=len(table.rows))
    return response


@require_POST
@permission_required(permissions.can_write_analysis)
def source_delete(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    source = selectors.source_get(municipality, pk)
    try:
        services.source_delete(actor=request.user, source=source)
    except services.AnalysisError as exc:
        messages.error(request, str(exc))
        return redirect("analysis:source_detail", municipality=municipality.slug, pk=pk)
    return redirect("analysis:source_list", municipality=municipality.slug)


# --- recurring reporting -----------------------------------------------------------------------------


@permission_required(permissions.can_read_analysis)
def reporting(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """Who reports on a rhythm and who has not reported this period; the coordinator sets the rhythm."""
    manage = permissions.can_manage_reporting(request.user, municipality)
    form = forms.DutyForm(request.POST or None, municipality=municipality) if manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            from varna.core.selectors import organisations_of

            data = form.cleaned_data
            try:
                services.duty_save(actor=request.user, municipality=municipality,
                                   organisation=organisations_of(municipality).get(key=data["organisation"]),
                                   rhythm=data["rhythm"], starts_on=data["starts_on"])
            except services.AnalysisError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("analysis:reporting", municipality=municipality.slug)
    return render(request, "analysis/reporting.html", {
        "statuses": selectors.reporting_status(municipality), "form": form, "can_manage": manage})


@require_POST
@permission_required(permissions.can_read_analysis)
def duty_delete(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    duty = selectors.duty_get(municipality, pk)
    try:
        services.duty_delete(actor=request.user, duty=duty)
    except services.AnalysisError as exc:
        messages.error(request, str(exc))
    return redirect("analysis:reporting", municipality=municipality.slug)


@require_POST
@permission_required(permissions.can_see_reporting)
def nil_report(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    from django.utils import timezone

    duty = selectors.duty_get(municipality, pk)
    try:
        services.nil_report(actor=request.user, duty=duty,
                            period_start=selectors.period_start(duty.rhythm, timezone.localdate()))
    except services.AnalysisError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Recorded: nothing to report this period."))
    if permissions.can_read_analysis(request.user, municipality):
        return redirect("analysis:reporting", municipality=municipality.slug)
    return redirect("situation:observation_create", municipality=municipality.slug)


# --- the cycle ----------------------------------------------------------------------------------------


@permission_required(permissions.can_read_analysis)
def cycle(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return render(request, "analysis/cycle.html", {"stages": selectors.cycle(municipality),
                                                   "act": selectors.act_requirements()})
