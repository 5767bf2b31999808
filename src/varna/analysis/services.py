"""Writes for the analysis. Each checks the actor's permission, is atomic and writes its audit event.

Free texts pass the personal-data guard of the situation picture: the analysis describes what happens and
where, never who it happens to.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from varna.analysis import permissions
from varna.analysis.models import (
    Analysis,
    Evidence,
    ExternalFigure,
    ExternalSource,
    Indicator,
    NilReport,
    ProblemActivity,
    ProblemStatement,
    ReportingDuty,
)
from varna.analysis.selectors import EVIDENCE_TABLES
from varna.core import audit
from varna.core.models import Municipality, Organisation
from varna.core.terms import Term


class AnalysisError(Exception):
    pass


def _guard(model: Any, **values: str) -> None:
    """Refuse personal data in any of the fields `values` (name → text) of `model`, naming each field as the
    user sees it (varna.disclosure's one guard)."""
    from varna.disclosure import guard

    labels = {name: str(model._meta.get_field(name).verbose_name) for name in values}
    try:
        guard.check_fields({name: text or "" for name, text in values.items()}, labels)
    except guard.PersonalDataError as exc:
        raise AnalysisError(str(exc)) from exc


def _may_write(actor: Any, municipality: Municipality) -> None:
    # actor=None is the operator (the command line, the demo loader): no person, audited without an actor.
    # A view always passes request.user, which is never None (an anonymous visitor is AnonymousUser).
    if actor is None:
        return
    if not permissions.can_write_analysis(actor, municipality):
        raise AnalysisError(_("Only the working group and the coordinator write the analysis."))


def _assert_draft(analysis: Analysis) -> None:
    if not analysis.is_draft:
        raise AnalysisError(_("An approved analysis is kept as approved. Start a new analysis for a new period."))


def _check_period(period_from: str, period_to: str) -> None:
    if not (Term.is_key(period_from) and Term.is_key(period_to)) or period_from > period_to:
        raise AnalysisError(_("Choose whole terms, the first no later than the last."))


# --- the analysis ------------------------------------------------------------------------------------


@transaction.atomic
def analysis_create(*, actor: Any, municipality: Municipality, title: str, period_from: str, period_to: str,
                    summary: str = "") -> Analysis:
    """Start the analysis of a period (whole terms), as a draft."""
    _may_write(actor, municipality)
    _check_period(period_from, period_to)
    _guard(Analysis, title=title, summary=summary)
    analysis = Analysis.objects.create(municipality=municipality, title=title.strip(), period_from=period_from,
                                       period_to=period_to, summary=summary.strip())
    audit.record(actor=actor, action="analysis.analysis.created", municipality=municipality, obj=analysis,
                 data={"period": f"{period_from}–{period_to}"})
    return analysis


@transaction.atomic
def analysis_update(*, actor: Any, analysis: Analysis, title: str, period_from: str, period_to: str,
                    summary: str = "") -> Analysis:
    _may_write(actor, analysis.municipality)
    _assert_draft(analysis)
    _check_period(period_from, period_to)
    _guard(Analysis, title=title, summary=summary)
    analysis.title, analysis.summary = title.strip(), summary.strip()
    analysis.period_from, analysis.period_to = period_from, period_to
    analysis.save()
    audit.record(actor=actor, action="analysis.analysis.changed", municipality=analysis.municipality, obj=analysis)
    return analysis


def _record_decision(analysis: Analysis, actor: Any, decision: Any) -> None:
    analysis.status = Analysis.Status.APPROVED
    analysis.decision_body_kind, analysis.decision_body = decision.body_kind, decision.body.strip()
    analysis.decision_date, analysis.decision_paragraph = decision.date, decision.paragraph.strip()
    analysis.registry_number = decision.registry_number.strip()
    analysis.approved_at = timezone.now()
    analysis.approved_by = actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def analysis_approve(*, actor: Any, analysis: Analysis, decision: Any) -> Analysis:
    """Record the decision that approved the analysis on its own: the same decision record as a plan version
    (``varna.plans.services.Decision``, checked by the plans app's own rule)."""
    from varna.plans import services as plans

    municipality = analysis.municipality
    if not permissions.can_approve_analysis(actor, municipality):
        raise AnalysisError(_("Your role cannot approve the analysis."))
    _assert_draft(analysis)
    if not analysis.problems.exists():
        raise AnalysisError(_("An analysis without problem statements cannot be approved."))
    try:
        plans.decision_check(decision)
    except plans.PlanError as exc:
        raise AnalysisError(str(exc)) from exc
    _record_decision(analysis, actor, decision)
    analysis.save()
    audit.record(actor=actor, action="analysis.analysis.approved", municipality=municipality, obj=analysis,
                 data={"decision": analysis.decision_text})
    return analysis


@transaction.atomic
def analysis_approve_with_plan(*, actor: Any, analysis: Analysis, plan: Any) -> Analysis:
    """Approve the analysis with the plan that answers it: the decision of the plan's version in force (or
    its latest approved one) is the analysis's decision too."""
    from varna.plans import selectors as plans
    from varna.plans import services as plan_services

    municipality = analysis.municipality
    if not permissions.can_approve_analysis(actor, municipality):
        raise AnalysisError(_("Your role cannot approve the analysis."))
    _assert_draft(analysis)
    if plan.municipality_id != municipality.pk:
        raise AnalysisError(_("Choose a plan of this municipality."))
    version = plans.current_version(plan)
    if version is None or version.is_draft or version.decision_date is None:
        raise AnalysisError(_("The plan has no approved version with a recorded decision yet."))
    if not analysis.problems.exists():
        raise AnalysisError(_("An analysis without problem statements cannot be approved."))
    _record_decision(analysis, actor, plan_services.Decision(
        body_kind=version.decision_body_kind, body=version.decision_body, date=version.decision_date,
        paragraph=version.decision_paragraph, registry_number=version.registry_number))
    analysis.approved_with_plan, analysis.approved_with_version = plan, version.number
    analysis.save()
    audit.record(actor=actor, action="analysis.analysis.approved", municipality=municipality, obj=analysis,
                 data={"decision": analysis.decision_text, "plan": plan.slug, "version": version.number})
    return analysis


# --- problem statements ------------------------------------------------------------------------------


@transaction.atomic
def problem_save(*, actor: Any, analysis: Analysis, problem: ProblemStatement | None = None, title: str,
                 what: str, where: str = "", who: str = "", since: str = "", certainty: str = "medium"
                 ) -> ProblemStatement:
    """Add a problem statement to a draft analysis, or change one."""
    municipality = analysis.municipality
    _may_write(actor, municipality)
    _assert_draft(analysis)
    if problem is not None and problem.analysis_id != analysis.pk:
        raise AnalysisError(_("The problem statement belongs to another analysis."))
    if since and not Term.is_key(since):
        raise AnalysisError(_("“Since when” is a term."))
    _guard(ProblemStatement, title=title, what=what, where=where, who=who)
    if problem is None:
        problem = ProblemStatement(analysis=analysis, order=analysis.problems.count())
    problem.title, problem.what, problem.where, problem.who = title.strip(), what.strip(), where.strip(), who.strip()
    problem.since, problem.certainty = since, certainty
    problem.full_clean(exclude=["analysis"])
    created = problem.pk is None
    problem.save()
    audit.record(actor=actor, action="analysis.problem.created" if created else "analysis.problem.changed",
                 municipality=municipality, obj=problem, data={"analysis": analysis.pk})
    return problem


@transaction.atomic
def problem_delete(*, actor: Any, problem: ProblemStatement) -> None:
    analysis = problem.analysis
    _may_write(actor, analysis.municipality)
    _assert_draft(analysis)
    audit.record(actor=actor, action="analysis.problem.deleted", municipality=analysis.municipality, obj=problem)
    problem.delete()


@transaction.atomic
def evidence_add(*, actor: Any, problem: ProblemStatement, kind: str, note: str = "", term: str = "",
                 breakdown: str = "", survey: Any = None, question: str = "", monitoring_item: Any = None,
                 figure: ExternalFigure | None = None) -> Evidence:
    """Cite evidence for a problem: a published table of one whole term, a survey question, a monitoring item
    or an external figure. Only objects of the problem's own municipality can be cited."""
    analysis = problem.analysis
    municipality = analysis.municipality
    _may_write(actor, municipality)
    _assert_draft(analysis)
    _guard(Evidence, note=note)
    evidence = Evidence(problem=problem, kind=kind, note=note.strip(), order=problem.evidence.count())
    if kind == Evidence.Kind.OBSERVATIONS:
        # One whole term and one of the catalogue's tables: never a range or a filter (ADR 0016).
        if not Term.is_key(term) or breakdown not in EVIDENCE_TABLES:
            raise AnalysisError(_("Choose one whole term and one of the published tables."))
        evidence.term, evidence.breakdown = term, breakdown
    elif kind == Evidence.Kind.SURVEY:
        if survey is None or survey.municipality_id != municipality.pk or question not in survey.questions:
            raise AnalysisError(_("Choose a survey of the municipality and one of its questions."))
        evidence.survey_id, evidence.question = survey.pk, question
    elif kind == Evidence.Kind.MONITORING:
        if monitoring_item is None or monitoring_item.source.municipality_id != municipality.pk:
            raise AnalysisError(_("Choose a monitoring item of the municipality."))
        evidence.monitoring_item_id = monitoring_item.pk
    elif kind == Evidence.Kind.FIGURE:
        if figure is None or figure.source.municipality_id != municipality.pk:
            raise AnalysisError(_("Choose an external figure of the municipality."))
        evidence.figure = figure
    else:
        raise AnalysisError(_("Unknown kind of evidence."))
    evidence.save()
    audit.record(actor=actor, action="analysis.evidence.added", municipality=municipality, obj=evidence,
                 data={"problem": problem.pk, "kind": kind})
    return evidence


@transaction.atomic
def evidence_remove(*, actor: Any, evidence: Evidence) -> None:
    analysis = evidence.problem.analysis
    _may_write(actor, analysis.municipality)
    _assert_draft(analysis)
    audit.record(actor=actor, action="analysis.evidence.removed", municipality=analysis.municipality,
                 obj=evidence, data={"problem": evidence.problem_id})
    evidence.delete()


# --- problems → measures -----------------------------------------------------------------------------


@transaction.atomic
def problem_activity_link(*, actor: Any, problem: ProblemStatement, plan: Any, activity_key: str) -> ProblemActivity:
    """Say that an activity of a plan (by its key, which stays the same across versions) addresses a problem.
    Allowed after approval too: the plan that answers an approved analysis comes after it."""
    from varna.plans import selectors as plans

    municipality = problem.analysis.municipality
    _may_write(actor, municipality)
    if plan.municipality_id != municipality.pk:
        raise AnalysisError(_("Choose a plan of this municipality."))
    versions = [v for v in plans.versions_of(plan, include_drafts=True)]
    if not any(activity_key in plans.activity_names(v) for v in versions):
        raise AnalysisError(_("The plan has no activity with that key."))
    link, created = ProblemActivity.objects.get_or_create(problem=problem, plan=plan, activity_key=activity_key)
    if created:
        audit.record(actor=actor, action="analysis.problem.activity_linked", municipality=municipality, obj=problem,
                     data={"plan": plan.slug, "activity": activity_key})
    return link


@transaction.atomic
def problem_activity_unlink(*, actor: Any, link: ProblemActivity) -> None:
    municipality = link.problem.analysis.municipality
    _may_write(actor, municipality)
    audit.record(actor=actor, action="analysis.problem.activity_unlinked", municipality=municipality,
                 obj=link.problem, data={"plan": link.plan.slug, "activity": link.activity_key})
    link.delete()


# --- indicators --------------------------------------------------------------------------------------


@transaction.atomic
# Complex on purpose: one check per indicator kind, each a line; a table of kinds would hide which fields each needs.
def indicator_create(*, actor: Any, municipality: Municipality, name: str, kind: str, baseline_term: str,  # noqa: C901
                     problem: ProblemStatement | None = None, plan: Any = None, activity_key: str = "",
                     key: str = "", question: str = "", answer: str = "", series: str = "",
                     direction: str = Indicator.Direction.DOWN, baseline: Decimal | None = None,
                     target: Decimal | None = None, target_term: str = "") -> Indicator:
    """An indicator on a problem statement or an activity. Its figures are whole terms of the catalogue
    (no range, no filter beyond the one breakdown row), so it shows nothing the dashboard does not."""
    from varna.situation import selectors as situation

    _may_write(actor, municipality)
    _guard(Indicator, name=name)
    if (problem is None) == (plan is None):
        raise AnalysisError(_("An indicator belongs to a problem statement or to an activity."))
    if problem is not None and problem.analysis.municipality_id != municipality.pk:
        raise AnalysisError(_("Choose a problem statement of this municipality."))
    if plan is not None and plan.municipality_id != municipality.pk:
        raise AnalysisError(_("Choose a plan of this municipality."))
    if not Term.is_key(baseline_term) or (target_term and not Term.is_key(target_term)):
        raise AnalysisError(_("The baseline and the target are whole terms."))
    kinds = Indicator.Kind
    if kind in (kinds.CATEGORY, kinds.MILIEU):
        if key not in [k for k, _label in situation.breakdown_values(municipality, kind)]:
            raise AnalysisError(_("Choose one of the situation picture's values."))
    elif kind == kinds.DISTRICT:
        if not situation.districts_of(municipality).filter(key=key).exists():
            raise AnalysisError(_("Choose one of the municipality's districts."))
    elif kind == kinds.SURVEY_SHARE:
        if not question or not answer:
            raise AnalysisError(_("Name the survey question and the answer to count."))
    elif kind == kinds.COMPLETION:
        if plan is None or not activity_key:
            raise AnalysisError(_("Activity completion belongs to an activity."))
    elif kind == kinds.EXTERNAL:
        if not series:
            raise AnalysisError(_("Name the external series."))
    else:
        raise AnalysisError(_("Unknown kind of indicator."))
    indicator = Indicator.objects.create(
        municipality=municipality, problem=problem, plan=plan, activity_key=activity_key, name=name.strip(),
        kind=kind, key=key, question=question, answer=answer, series=series, direction=direction,
        baseline_term=baseline_term, baseline=baseline, target=target, target_term=target_term)
    audit.record(actor=actor, action="analysis.indicator.created", municipality=municipality, obj=indicator,
                 data={"kind": kind})
    return indicator


@transaction.atomic
def indicator_delete(*, actor: Any, indicator: Indicator) -> None:
    _may_write(actor, indicator.municipality)
    audit.record(actor=actor, action="analysis.indicator.deleted", municipality=indicator.municipality,
                 obj=indicator)
    indicator.delete()


# --- external sources --------------------------------------------------------------------------------


@transaction.atomic
def source_create(*, actor: Any, municipality: Municipality, kind: str, title: str, publisher: str,
                  published_on: dt.date, url: str = "", figures: list[dict[str, Any]] | None = None,
                  file_name: str = "", file_sha256: str = "") -> ExternalSource:
    """An external source with its aggregate figures (each a measure, area, period, value and unit)."""
    _may_write(actor, municipality)
    if published_on > timezone.localdate():
        raise AnalysisError(_("The date of the source is in the future."))
    _guard(ExternalSource, title=title, publisher=publisher)
    for figure in figures or []:
        _guard(ExternalFigure, series=figure["series"], area=figure.get("area", ""), unit=figure["unit"])
    source = ExternalSource.objects.create(
        municipality=municipality, kind=kind, title=title.strip(), publisher=publisher.strip(), url=url,
        published_on=published_on, file_name=file_name, file_sha256=file_sha256,
        added_by=actor if getattr(actor, "is_authenticated", False) else None)
    ExternalFigure.objects.bulk_create([ExternalFigure(
        source=source, series=f["series"].strip(), area=f.get("area", "").strip(), period=f["period"].strip(),
        value=f["value"], unit=f["unit"].strip()) for f in figures or []])
    audit.record(actor=actor, action="analysis.source.created", municipality=municipality, obj=source,
                 data={"figures": len(figures or []), "file": file_name})
    return source


@transaction.atomic
def source_delete(*, actor: Any, source: ExternalSource) -> None:
    _may_write(actor, source.municipality)
    if Evidence.objects.filter(figure__source=source).exists():
        raise AnalysisError(_("A problem statement cites figures of this source; remove that evidence first."))
    audit.record(actor=actor, action="analysis.source.deleted", municipality=source.municipality, obj=source)
    source.delete()


# --- recurring reporting -----------------------------------------------------------------------------


@transaction.atomic
def duty_save(*, actor: Any, municipality: Municipality, organisation: Organisation, rhythm: str,
              starts_on: dt.date) -> ReportingDuty:
    if not permissions.can_manage_reporting(actor, municipality):
        raise AnalysisError(_("Only the coordinator sets who reports on a rhythm."))
    if organisation.municipality_id != municipality.pk:
        raise AnalysisError(_("Choose a unit of this municipality."))
    duty, _created = ReportingDuty.objects.update_or_create(
        municipality=municipality, organisation=organisation, defaults={"rhythm": rhythm, "starts_on": starts_on})
    audit.record(actor=actor, action="analysis.reporting.duty_set", municipality=municipality, obj=duty,
                 data={"unit": organisation.key, "rhythm": rhythm})
    return duty


@transaction.atomic
def duty_delete(*, actor: Any, duty: ReportingDuty) -> None:
    if not permissions.can_manage_reporting(actor, duty.municipality):
        raise AnalysisError(_("Only the coordinator sets who reports on a rhythm."))
    audit.record(actor=actor, action="analysis.reporting.duty_removed", municipality=duty.municipality, obj=duty)
    duty.delete()


@transaction.atomic
def nil_report(*, actor: Any, duty: ReportingDuty, period_start: dt.date) -> NilReport:
    """The unit saw nothing to report in the period: it has reported all the same."""
    if not permissions.can_report_nothing(actor, duty):
        raise AnalysisError(_("Your role cannot report for a unit."))
    report, _created = NilReport.objects.get_or_create(duty=duty, period_start=period_start,
                                                       defaults={"reported_by": actor})
    audit.record(actor=actor, action="analysis.reporting.nil_reported", municipality=duty.municipality,
                 obj=duty, data={"period": period_start.isoformat()})
    return report


def document_exported(*, actor: Any, analysis: Analysis, file_format: str) -> None:
    """Every download of the lägesbild is audited, like every other export."""
    audit.record(actor=actor, action="analysis.document.exported", municipality=analysis.municipality,
                 obj=analysis, data={"format": file_format})


@transaction.atomic
def source_import(*, actor: Any, municipality: Municipality, kind: str, title: str, publisher: str,
                  published_on: dt.date, url: str, file_name: str, content: bytes, default_unit: str
                  ) -> ExternalSource:
    """An external source from a CSV file of aggregate figures (see analysis.importing). All or nothing."""
    import hashlib

    from varna.analysis import importing

    _may_write(actor, municipality)
    try:
        parsed = importing.parse(content, default_unit=default_unit)
    except importing.ImportProblem as exc:
        raise AnalysisError(str(exc)) from exc
    return source_create(actor=actor, municipality=municipality, kind=kind, title=title, publisher=publisher,
                         published_on=published_on, url=url, figures=parsed.figures, file_name=file_name[:200],
                         file_sha256=hashlib.sha256(content).hexdigest())


def source_exported(*, actor: Any, source: ExternalSource, file_format: str, rows: int) -> None:
    audit.record(actor=actor, action="analysis.source.exported", municipality=source.municipality, obj=source,
                 data={"format": file_format, "rows": rows})
