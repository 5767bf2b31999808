"""Reads for the analysis, scoped by municipality.

Every figure the analysis shows comes from the published catalogue (ADR 0016) or from a source it names:
evidence from observations is a published table of one whole term, an indicator's value per term is the
published cell of that term (the same value the dashboard shows), and an external figure carries its source.
Nothing here sums terms, filters further or computes from hidden values, so the analysis is no new channel.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from varna.analysis.models import (
    Analysis,
    Evidence,
    ExternalFigure,
    ExternalSource,
    Indicator,
    ProblemActivity,
    ProblemStatement,
)
from varna.core.models import Municipality, column_name
from varna.core.selectors import scoped
from varna.core.terms import Term, term_label, terms_between
from varna.disclosure.suppression import PUBLISHED
from varna.situation import selectors as situation

# The published tables of one term that evidence may cite (situation.selectors.published_tables' keys).
EVIDENCE_TABLES = ("category", "district", "milieu", "age", "observations")


def analyses_of(municipality: Municipality) -> QuerySet[Analysis]:
    return scoped(Analysis.objects.all(), municipality)


def analysis_get(municipality: Municipality, pk: int) -> Analysis:
    analysis = analyses_of(municipality).filter(pk=pk).first()
    if analysis is None:
        raise Http404
    return analysis


def problems_of(analysis: Analysis) -> QuerySet[ProblemStatement]:
    return analysis.problems.prefetch_related("evidence", "activities", "indicators")


def problem_get(municipality: Municipality, pk: int) -> ProblemStatement:
    problem = (ProblemStatement.objects.select_related("analysis")
               .filter(pk=pk, analysis__municipality=municipality).first())
    if problem is None:
        raise Http404
    return problem


def evidence_get(municipality: Municipality, pk: int) -> Evidence:
    evidence = (Evidence.objects.select_related("problem__analysis")
                .filter(pk=pk, problem__analysis__municipality=municipality).first())
    if evidence is None:
        raise Http404
    return evidence


def link_get(municipality: Municipality, pk: int) -> ProblemActivity:
    """A problem's link to a plan activity (a measure), of this municipality's analyses only."""
    link = (ProblemActivity.objects.select_related("problem__analysis", "plan")
            .filter(pk=pk, problem__analysis__municipality=municipality).first())
    if link is None:
        raise Http404
    return link


def indicators_of(municipality: Municipality) -> QuerySet[Indicator]:
    return scoped(Indicator.objects.all(), municipality).select_related("problem", "plan")


def indicator_get(municipality: Municipality, pk: int) -> Indicator:
    indicator = indicators_of(municipality).filter(pk=pk).first()
    if indicator is None:
        raise Http404
    return indicator


def sources_of(municipality: Municipality) -> QuerySet[ExternalSource]:
    return scoped(ExternalSource.objects.all(), municipality).prefetch_related("figures")


def source_get(municipality: Municipality, pk: int) -> ExternalSource:
    source = sources_of(municipality).filter(pk=pk).first()
    if source is None:
        raise Http404
    return source


def figures_of(municipality: Municipality) -> QuerySet[ExternalFigure]:
    return (ExternalFigure.objects.filter(source__municipality=municipality).select_related("source")
            .order_by("source__title", "series", "area", "period"))


def figure_get(municipality: Municipality, pk: int) -> ExternalFigure:
    figure = figures_of(municipality).filter(pk=pk).first()
    if figure is None:
        raise Http404
    return figure


def series_of(municipality: Municipality) -> list[str]:
    return sorted(set(figures_of(municipality).values_list("series", flat=True)))


def term_choices(municipality: Municipality) -> list[tuple[str, str]]:
    """Whole terms to choose from: every term with observations, up to the current one, newest first."""
    current = Term.of(timezone.localdate()).key
    known = situation.terms_of(municipality)
    first = min([*known, current]) if known else current
    last = max([*known, current])
    return [(t, term_label(t)) for t in reversed(terms_between(first, last))]


def terms_in(analysis: Analysis) -> list[str]:
    if not (Term.is_key(analysis.period_from) and Term.is_key(analysis.period_to)):
        return []
    return terms_between(analysis.period_from, analysis.period_to)


# --- evidence ----------------------------------------------------------------------------------------


@dataclass
class EvidenceView:
    """One piece of evidence as shown: what it is, where it comes from, and its (published) figures."""

    evidence: Evidence
    label: str
    source: str
    table: situation.SituationTable | None = None
    lines: list[str] = field(default_factory=list)
    link: str = ""
    missing: bool = False


def evidence_view(municipality: Municipality, evidence: Evidence) -> EvidenceView:
    """The evidence with its figures taken afresh from the catalogue, in the published profile: the same
    figures the steering group's dashboard and the reports show for that term."""
    kind = Evidence.Kind
    if evidence.kind == kind.OBSERVATIONS:
        tables = {t.key: t for t in situation.published_tables(municipality=municipality, term=evidence.term,
                                                                policy=PUBLISHED)}
        table = tables.get(evidence.breakdown)
        return EvidenceView(evidence, table.caption if table else evidence.breakdown,
                            _("Värna, situation picture: published table of %(term)s")
                            % {"term": term_label(evidence.term)}, table=table, missing=table is None)
    if evidence.kind == kind.SURVEY:
        survey = situation.surveys_of(municipality).filter(pk=evidence.survey_id).first()
        if survey is None:
            return EvidenceView(evidence, _("A survey that has been removed"), "", missing=True)
        result = next((r for r in situation.survey_results(survey=survey, policy=PUBLISHED)
                       if r.key == evidence.question), None)
        view = EvidenceView(evidence, result.text if result else evidence.question,
                            _("Värna, survey “%(title)s” (%(opens)s – %(closes)s)")
                            % {"title": survey.title, "opens": survey.opens_on.isoformat(),
                               "closes": survey.closes_on.isoformat()},
                            table=result.table if result else None, missing=result is None)
        if result is not None and result.too_few:
            view.lines.append(_("Too few answers to show: %(who)s") % {"who": ", ".join(result.too_few)})
        return view
    if evidence.kind == kind.MONITORING:
        from varna.monitoring import selectors as monitoring

        item = (monitoring.items_of(municipality).filter(pk=evidence.monitoring_item_id).first()
                if evidence.monitoring_item_id is not None else None)
        if item is None:
            return EvidenceView(evidence, _("A monitoring item that has been removed"), "", missing=True)
        published = item.published_at.date().isoformat() if item.published_at else ""
        return EvidenceView(evidence, item.title, _("Media monitoring: %(source)s, %(day)s")
                            % {"source": item.source.name, "day": published}, link=item.link)
    figure = evidence.figure
    if figure is None or figure.source.municipality_id != municipality.pk:
        return EvidenceView(evidence, _("A figure that has been removed"), "", missing=True)
    return EvidenceView(evidence, figure.series, source_line(figure.source),
                        lines=[f"{figure.area + ', ' if figure.area else ''}{figure.period}: "
                               f"{format_number(figure.value)} {figure.unit}"], link=figure.source.url)


def source_line(source: ExternalSource) -> str:
    return _("%(publisher)s: %(title)s, %(day)s") % {"publisher": source.publisher, "title": source.title,
                                                     "day": source.published_on.isoformat()}


def format_number(value: Decimal | None) -> str:
    if value is None:
        return "–"
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value.normalize():f}".replace(".", ",")


# --- problems and measures ---------------------------------------------------------------------------


def links_of(problem: ProblemStatement) -> list[ProblemActivity]:
    return list(problem.activities.select_related("plan").order_by("plan__title", "activity_key"))


def activity_names(municipality: Municipality) -> dict[tuple[int, str], str]:
    """(plan pk, activity key) → the activity's direction in the plan's current (or latest) version."""
    from varna.plans import selectors as plans

    names: dict[tuple[int, str], str] = {}
    for plan in plans.plans_of(municipality):
        version = plans.current_version(plan) or plans.draft_version(plan)
        if version is not None:
            names.update({(plan.pk, key): name for key, name in plans.activity_names(version).items()})
    return names


def activity_choices(municipality: Municipality) -> list[tuple[str, str]]:
    """Every activity of every plan (its current version, else its draft) as "<plan pk>:<key>"."""
    from varna.plans import selectors as plans

    choices = []
    for plan in plans.plans_of(municipality).order_by("title"):
        version = plans.current_version(plan) or plans.draft_version(plan)
        if version is not None:
            choices += [(f"{plan.pk}:{key}", f"{plan.title}: {name}")
                        for key, name in plans.activity_names(version).items()]
    return choices


@dataclass
class PlanThread:
    """The thread of one plan version: which problems each activity answers, and what hangs loose."""

    by_activity: dict[str, list[ProblemStatement]]
    problems_without_measure: list[ProblemStatement]
    measures_without_problem: list[tuple[str, str]]  # (key, direction)
    rows: list[tuple[str, list[ProblemStatement]]] = field(default_factory=list)  # (direction, problems), plan order

    @property
    def stamp(self) -> tuple[Any, ...]:
        """What the plan PDF's cache key needs to change when the thread does."""
        return (tuple(sorted((k, tuple(p.pk for p in ps)) for k, ps in self.by_activity.items())),
                tuple(p.pk for p in self.problems_without_measure),
                tuple(p.updated_at.isoformat() for ps in self.by_activity.values() for p in ps))


def has_problems(municipality: Municipality, *, approved_only: bool) -> bool:
    """Whether the municipality has written a problem statement (in an approved analysis, with `approved_only`).

    Asked on every request for a cached plan PDF (its key includes the thread), so written out in SQL from
    the models' own table and column names: compiling the same through the ORM costs more than the rest of
    serving the cached file."""
    from django.db import connection

    quote = connection.ops.quote_name
    column = {name: quote(column_name(model, name)) for model, name in (
        (ProblemStatement, "analysis"), (Analysis, "municipality"), (Analysis, "status"), (Analysis, "id"))}
    sql = (f"SELECT 1 FROM {quote(ProblemStatement._meta.db_table)} p "  # noqa: S608 # nosec B608
           f"JOIN {quote(Analysis._meta.db_table)} a ON a.{column['id']} = p.{column['analysis']} "
           f"WHERE a.{column['municipality']} = %s")
    params: list[Any] = [municipality.pk]
    if approved_only:
        sql += f" AND a.{column['status']} = %s"
        params.append(Analysis.Status.APPROVED)
    with connection.cursor() as cursor:
        cursor.execute(sql + " LIMIT 1", params)
        return cursor.fetchone() is not None


def plan_thread(version: Any, *, approved_only: bool) -> PlanThread:
    """For a plan version: the problem statements each activity addresses; the problems of the plan's
    analyses (any analysis linked to the plan, or every current one) that no activity answers; and the
    activities that answer no problem. `approved_only` keeps to approved analyses (public documents)."""
    from varna.plans import selectors as plans

    plan = version.plan
    problems = ProblemStatement.objects.filter(analysis__municipality=plan.municipality).select_related("analysis")
    if approved_only:
        problems = problems.filter(analysis__status=Analysis.Status.APPROVED)
    links = ProblemActivity.objects.filter(plan=plan, problem__in=problems).select_related("problem")
    names = plans.activity_names(version)
    by_activity: dict[str, list[ProblemStatement]] = {}
    for link in links.order_by("problem__order", "problem__id"):
        if link.activity_key in names:
            by_activity.setdefault(link.activity_key, []).append(link.problem)
    # The analyses this plan answers: those with a link to it; none linked yet, the latest analysis.
    analysis_ids = set(links.values_list("problem__analysis_id", flat=True))
    if not analysis_ids:
        latest = problems.order_by("-analysis__period_to", "-analysis__id").values_list("analysis_id", flat=True)
        analysis_ids = {latest[0]} if latest else set()
    answered = {p.pk for ps in by_activity.values() for p in ps}
    without = [p for p in problems.filter(analysis_id__in=analysis_ids).order_by("analysis_id", "order", "id")
               if p.pk not in answered]
    loose = [(key, name) for key, name in names.items() if key not in by_activity]
    rows = [(name, by_activity[key]) for key, name in names.items() if key in by_activity]
    return PlanThread(by_activity, without, loose, rows)


def problems_addressed_by(municipality: Municipality, plan: Any, key: str) -> list[ProblemStatement]:
    return [link.problem for link in ProblemActivity.objects.filter(
        plan=plan, activity_key=key, problem__analysis__municipality=municipality).select_related("problem")]


# --- indicators --------------------------------------------------------------------------------------


@dataclass
class Point:
    period: str
    label: str
    display: str
    value: Decimal | None  # None: hidden, withheld or not known


@dataclass
class IndicatorView:
    indicator: Indicator
    unit: str
    points: list[Point]
    baseline: Decimal | None
    target: Decimal | None
    verdict: str
    caveat: str
    source: str


_SMALL_CAVEAT = gettext_lazy("Counts from 1 to 7 are hidden (–) and others are rounded to the nearest 5, so a change "
                  "smaller than 5 may be rounding alone. Where a term is hidden, Värna cannot say whether it "
                  "got better.")


def _cell_value(cell: Any) -> Decimal | None:
    return None if cell.suppressed or cell.value is None else Decimal(cell.value)


def _catalogue_points(indicator: Indicator, terms: list[str]) -> list[Point]:
    """The published cell of each whole term: observations per category (the catalogue's series), people
    involved per district or milieu (the row total of that breakdown). Exactly what the dashboard shows."""
    municipality = indicator.municipality
    dimension = indicator.kind
    rows = situation.breakdown_values(municipality, dimension)
    key: Any = indicator.key
    if dimension == Indicator.Kind.DISTRICT:
        district = situation.districts_of(municipality).filter(key=indicator.key).first()
        key = district.pk if district else None
    index = next((i for i, (k, _label) in enumerate(rows) if k == key), None)
    if index is None or not terms:
        return [Point(t, term_label(t), "..", None) for t in terms]
    published = situation.published_terms(municipality, terms, PUBLISHED)
    points = []
    for term in terms:
        tables, observations = published[term]
        if dimension == Indicator.Kind.CATEGORY:
            cell = observations.cells[index]
        else:
            cell = tables.tables[dimension].row_totals[index]
        points.append(Point(term, term_label(term), cell.display, _cell_value(cell)))
    return points


def _survey_points(indicator: Indicator, terms: list[str]) -> list[Point]:
    """Per term, the latest survey opened in it that asked the question: the share giving the answer, from
    the published (rounded) counts, so the share says no more than the survey's own table."""
    municipality = indicator.municipality
    points = []
    for term in terms:
        start, end = Term.parse(term).start, Term.parse(term).end
        survey = next((s for s in situation.surveys_of(municipality)
                       .filter(opens_on__gte=start, opens_on__lte=end).order_by("-opens_on")
                       if indicator.question in s.questions), None)
        value = None
        if survey is not None:
            result = next((r for r in situation.survey_results(survey=survey, policy=PUBLISHED)
                           if r.key == indicator.question), None)
            table = result.table if result else None
            row = next((r for r in table.rows if str(r.key) == indicator.answer), None) if table else None
            if row is not None and table is not None and not row.total.suppressed \
                    and not table.grand_total.suppressed and table.grand_total.value and row.total.value is not None:
                share = Decimal(100 * row.total.value) / Decimal(table.grand_total.value)
                value = share.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        display = f"{value} %" if value is not None else ("–" if survey is not None else "..")
        points.append(Point(term, term_label(term), display, value))
    return points


def _completion_points(indicator: Indicator, terms: list[str]) -> list[Point]:
    """Done against expected for the activity in each term, over its responsible units (follow-up's
    compliance rows). About the municipality's own work, not people: no suppression needed."""
    from varna.followup import selectors as followup
    points = []
    for term in terms:
        rows = [r for r in followup.compliance(indicator.municipality, Term.parse(term), plan=indicator.plan)
                if r.activity.key == indicator.activity_key]
        expected = sum(r.expected for r in rows)
        done = sum(min(r.done, r.expected) for r in rows)
        value = (Decimal(100 * done) / Decimal(expected)).quantize(Decimal(1), ROUND_HALF_UP) if expected else None
        points.append(Point(term, term_label(term), f"{value} %" if value is not None else "..", value))
    return points


def _external_points(indicator: Indicator) -> list[Point]:
    figures = figures_of(indicator.municipality).filter(series=indicator.series)
    if indicator.key:
        figures = figures.filter(area=indicator.key)
    return [Point(f.period, f.period, f"{format_number(f.value)} {f.unit}", f.value)
            for f in figures.order_by("period", "id")]


def indicator_terms(indicator: Indicator, *, until: str | None = None) -> list[str]:
    """From the baseline term to the current term (or `until`): whole terms only."""
    last = until or Term.of(timezone.localdate()).key
    if not Term.is_key(indicator.baseline_term) or indicator.baseline_term > last:
        return []
    return terms_between(indicator.baseline_term, last)


def indicator_view(indicator: Indicator, *, until: str | None = None) -> IndicatorView:
    kind = Indicator.Kind
    terms = indicator_terms(indicator, until=until)
    if indicator.kind in (kind.CATEGORY, kind.DISTRICT, kind.MILIEU):
        points, unit = _catalogue_points(indicator, terms), ""
        source = _("Värna, situation picture: the published figure of each term")
    elif indicator.kind == kind.SURVEY_SHARE:
        points, unit = _survey_points(indicator, terms), "%"
        source = _("Värna, surveys: share of the published answers")
    elif indicator.kind == kind.COMPLETION:
        points, unit = _completion_points(indicator, terms), "%"
        source = _("Värna, follow-up: done against expected")
    else:
        points = _external_points(indicator)
        unit = next((p.display.split(" ", 1)[1] for p in points if " " in p.display), "")
        first = figures_of(indicator.municipality).filter(series=indicator.series).first()
        source = source_line(first.source) if first else ""
    baseline = indicator.baseline
    if baseline is None and points:
        baseline = points[0].value
    caveat = ""
    if indicator.kind in (kind.CATEGORY, kind.DISTRICT, kind.MILIEU, kind.SURVEY_SHARE):
        caveat = str(_SMALL_CAVEAT) if any(p.value is None for p in points) or indicator.kind != kind.SURVEY_SHARE \
            else ""
    return IndicatorView(indicator, unit, points, baseline, indicator.target,
                         _verdict(indicator, points, baseline), caveat, str(source))


def _verdict(indicator: Indicator, points: list[Point], baseline: Decimal | None) -> str:
    """"Did it get better?" from the shown values only: the latest shown value against the baseline and
    the target; a change within the rounding of published counts is no change."""
    shown = [p for p in points[1:] if p.value is not None]
    if baseline is None or not shown:
        return str(_("Cannot say yet: no comparable figure after the baseline."))
    latest = shown[-1].value or Decimal(0)  # never None: filtered above
    margin = Decimal(5) if indicator.kind in (Indicator.Kind.CATEGORY, Indicator.Kind.DISTRICT,
                                              Indicator.Kind.MILIEU) else Decimal(0)
    better_up = indicator.direction == Indicator.Direction.UP
    change = latest - baseline
    if abs(change) <= margin:
        text = _("About as at the baseline (%(label)s).")
    elif (change > 0) == better_up:
        text = _("Better than at the baseline (%(label)s).")
    else:
        text = _("Worse than at the baseline (%(label)s).")
    text = text % {"label": shown[-1].label}
    if indicator.target is not None:
        reached = latest >= indicator.target if better_up else latest <= indicator.target
        text += " " + (_("The target is reached.") if reached else _("The target is not reached yet."))
    return str(text)


# --- recurring reporting -----------------------------------------------------------------------------


def period_start(rhythm: str, day: dt.date) -> dt.date:
    """The first day of the reporting period that contains `day`: its week's Monday, or its month's first."""
    from varna.analysis.models import ReportingDuty

    if rhythm == ReportingDuty.Rhythm.WEEKLY:
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1)


@dataclass
class DutyStatus:
    duty: Any
    period_start: dt.date
    observations: int
    nil_reported: bool

    @property
    def reported(self) -> bool:
        return self.observations > 0 or self.nil_reported


def reporting_status(municipality: Municipality, *, today: dt.date | None = None) -> list[DutyStatus]:
    """Each unit that reports on a rhythm: whether it has reported this period (an observation from the unit
    registered in the period, or a report that it saw nothing). Not reported first."""
    from varna.analysis.models import ReportingDuty

    today = today or timezone.localdate()
    result = []
    for duty in scoped(ReportingDuty.objects.all(), municipality).select_related("organisation"):
        start = max(period_start(duty.rhythm, today), duty.starts_on)
        count = situation.observations_of(municipality).filter(
            source_organisation=duty.organisation, created_at__date__gte=start).count()
        nil = duty.nil_reports.filter(period_start=period_start(duty.rhythm, today)).exists()
        result.append(DutyStatus(duty, period_start(duty.rhythm, today), count, nil))
    return sorted(result, key=lambda s: (s.reported, s.duty.organisation.name))


def duty_get(municipality: Municipality, pk: int) -> Any:
    from varna.analysis.models import ReportingDuty

    duty = scoped(ReportingDuty.objects.all(), municipality).filter(pk=pk).first()
    if duty is None:
        raise Http404
    return duty


# --- the SFS 2023:196 cycle --------------------------------------------------------------------------


@dataclass
class Stage:
    key: str
    label: str
    status: str  # "done", "under_way", "due"
    detail: str
    requirements: list[dict[str, Any]]
    link: str = ""


def act_requirements() -> dict[str, Any]:
    """The act's requirements as data (analysis/data/sfs-2023-196.yaml), with source and last-verified date."""
    from pathlib import Path

    from varna.core.safe_yaml import load

    path = Path(__file__).resolve().parent / "data" / "sfs-2023-196.yaml"
    return load(path.read_text(encoding="utf-8"))


def cycle(municipality: Municipality, *, today: dt.date | None = None) -> list[Stage]:
    """Mapping → analysis → plan → follow-up: where the municipality is in each, and what is due."""
    from django.urls import reverse

    from varna.plans import selectors as plans

    today = today or timezone.localdate()
    act = act_requirements()
    language = "sv" if (get_language() or "sv").startswith("sv") else "en"
    by_stage: dict[str, list[dict[str, Any]]] = {}
    for requirement in act["requirements"]:
        by_stage.setdefault(requirement["stage"], []).append({**requirement, "text": requirement[language]})
    slug = municipality.slug
    current = Term.of(today).key
    terms = situation.terms_of(municipality)
    stages = []
    if terms and terms[-1] >= Term.of(today).previous().key:
        mapping = ("done", _("Observations up to %(term)s.") % {"term": term_label(terms[-1])})
    elif terms:
        mapping = ("due", _("The last observations are from %(term)s.") % {"term": term_label(terms[-1])})
    else:
        mapping = ("due", _("No observations yet."))
    stages.append(Stage("mapping", _("Mapping"), *mapping, by_stage.get("mapping", []),
                        reverse("situation:dashboard", args=[slug])))
    latest = analyses_of(municipality).first()
    if latest is None:
        analysis = ("due", _("No analysis yet."))
    elif latest.is_draft:
        analysis = ("under_way", _("“%(title)s” is a draft.") % {"title": latest.title})
    elif latest.period_to < Term.of(today).previous().previous().key:
        analysis = ("due", _("The last approved analysis ends %(term)s: time for a new one.")
                    % {"term": term_label(latest.period_to)})
    else:
        analysis = ("done", _("“%(title)s”, approved: %(decision)s.") % {"title": latest.title,
                                                                       "decision": latest.decision_text})
    stages.append(Stage("analysis", _("Analysis"), *analysis, by_stage.get("analysis", []),
                        reverse("analysis:analysis_list", args=[slug])))
    in_force = plans.versions_in_force_today(municipality, today)
    loose = []
    for version in in_force:
        thread = plan_thread(version, approved_only=False)
        loose += thread.problems_without_measure
    if not in_force:
        plan = ("due", _("No plan in force."))
    elif latest is not None and loose:
        plan = ("under_way", _("%(n)s problems have no measure in a plan in force.") % {"n": len(loose)})
    else:
        plan = ("done", _("%(n)s plans in force.") % {"n": len(in_force)})
    stages.append(Stage("plan", _("Action plan"), *plan, by_stage.get("plan", []),
                        reverse("plans:plan_list", args=[slug])))
    indicators = indicators_of(municipality).count()
    if not indicators:
        followup = ("due", _("No indicator follows a problem yet."))
    else:
        followup = ("under_way", _("%(n)s indicators followed; the annual report shows them for %(term)s.")
                    % {"n": indicators, "term": term_label(current)})
    stages.append(Stage("followup", _("Follow-up"), *followup, by_stage.get("followup", []),
                        reverse("report:annual_report", args=[slug])))
    return stages
