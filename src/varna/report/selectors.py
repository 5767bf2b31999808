"""Everything the annual follow-up report shows, gathered once for the page, the PDF and the Word file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from varna.core.models import Municipality
from varna.core.selectors import scoped
from varna.core.terms import Season, Term
from varna.core.vocabulary import GENDERS
from varna.disclosure.suppression import PUBLISHED, suppress_series
from varna.followup import selectors as followup
from varna.implementation import selectors as implementation
from varna.meetings import selectors as meetings
from varna.plans import selectors as plan_selectors
from varna.plans.forms import cadence_label
from varna.plans.models import Plan, PlanVersion, Recommendation
from varna.plans.selectors import plans_of, versions_in_force_during, versions_in_force_today
from varna.plans.validity import Span
from varna.report.models import Assessment
from varna.report.sections import ReportSection, extra_sections
from varna.training import selectors as training


@dataclass
class ActivityLine:
    key: str
    direction: str
    cadence: str
    units: list[followup.YearLine] = field(default_factory=list)
    examples: list[Any] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return sum(u.expected for u in self.units)

    @property
    def done(self) -> int:
        return sum(u.done for u in self.units)


@dataclass
class LevelSection:
    key: str
    name: str
    activities: list[ActivityLine] = field(default_factory=list)


@dataclass
class RoundLine:
    """An implementation round of the plan, with its coverage as it stood at the end of the year."""

    round: Any
    coverage: list[Any]


@dataclass
class PlanSection:
    """One plan in the report: the versions in force during the year, its levels and its rounds."""

    plan: Plan
    versions: list[tuple[PlanVersion, Span]]
    levels: list[LevelSection] = field(default_factory=list)
    rounds: list[RoundLine] = field(default_factory=list)


@dataclass
class RecommendationLine:
    number: int
    text: str
    how_met: str
    assessment: Assessment | None


@dataclass
class AnnualReport:
    municipality: Municipality
    year: int
    terms: list[Term]
    plans: list[PlanSection]
    meetings: list[Any]
    actions: dict[str, int]
    training_totals: dict[str, int]
    training_gender: list[tuple[str, str]]  # (gender label, count) per gender of the national list, suppressed
    training_participants: str  # their total, suppressed with them
    training_coverage: list[Any]
    recommendations: list[RecommendationLine]
    extra: list[ReportSection] = field(default_factory=list)
    plan_filter: Plan | None = None

    @property
    def training_by_gender(self) -> str:
        """The suppressed counts per gender as one phrase, each label followed by its count."""
        return ", ".join(f"{label} {shown}" for label, shown in self.training_gender)

    @property
    def decisions(self) -> int:
        return sum(len(m.decisions.all()) for m in self.meetings)

    @property
    def levels(self) -> list[LevelSection]:
        """Every plan's levels in order (each plan's section says which plan they belong to)."""
        return [level for section in self.plans for level in section.levels]


def report_years(municipality: Municipality, *, current: int) -> list[int]:
    first = min([current - 1, *[d.year for d in followup.logs_of(municipality).order_by("date")
                                .values_list("date", flat=True)[:1]]])
    return list(range(current, first - 1, -1))


def recommendations_of(municipality: Municipality, year: int | None = None,
                       plan: Plan | None = None) -> list[Recommendation]:
    """The recommendations of the versions in force at the end of `year` (today if not given), plan by plan."""
    day = dt.date(year, 12, 31) if year is not None else None
    versions = [v.pk for v in versions_in_force_today(municipality, day) if plan is None or v.plan_id == plan.pk]
    if not versions and year is not None:
        # A plan that ended during the year: the last version in force in it.
        versions = [found[-1][0].pk for p in plans_of(municipality) if plan is None or p.pk == plan.pk
                    if (found := versions_in_force_during(p, dt.date(year, 1, 1), dt.date(year, 12, 31)))]
    return list(Recommendation.objects.filter(version__in=versions).order_by("version__plan__title", "number"))


def assessments_of(municipality: Municipality, year: int) -> dict[int, Assessment]:
    return {a.number: a for a in scoped(Assessment.objects.all(), municipality).filter(year=year)}


def _end_of(year: int) -> dt.datetime:
    return dt.datetime.combine(dt.date(year + 1, 1, 1), dt.time(0), ZoneInfo(settings.TIME_ZONE))


def annual_report(municipality: Municipality, year: int, *, plan: Plan | None = None) -> AnnualReport:
    """The year as it stood: each plan judged against the versions in force during the year (ADR 0013).

    Nothing decided or done after the year changes it: a later revision, a later implementation round or
    a late acknowledgement leave the report for a past year exactly as it was.
    """
    terms = [Term(year, Season.SPRING), Term(year, Season.AUTUMN)]
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    examples = followup.year_examples(municipality, year, plan=plan)
    sections: dict[int, PlanSection] = {}
    for p in ([plan] if plan is not None else plans_of(municipality).order_by("title", "pk")):
        versions = versions_in_force_during(p, first, last)
        if versions:
            sections[p.pk] = PlanSection(p, versions)
    levels: dict[tuple[int, str], LevelSection] = {}
    activities: dict[int, ActivityLine] = {}
    for line in followup.year_figures(municipality, year, plan=plan):
        activity = line.activity
        section = sections[activity.version.plan_id]
        level_key = (activity.version.plan_id, activity.level.key)
        if level_key not in levels:
            levels[level_key] = LevelSection(activity.level.key, activity.level.name)
            section.levels.append(levels[level_key])
        if activity.pk not in activities:
            activities[activity.pk] = ActivityLine(
                activity.key, activity.direction, cadence_label(activity.cadence_kind, activity.cadence_count),
                examples=examples.get((activity.version.plan_id, activity.key), []))
            levels[level_key].activities.append(activities[activity.pk])
        activities[activity.pk].units.append(line)
    end = _end_of(year)
    for section in sections.values():
        version_pks = [v.pk for v, _span in section.versions]
        for round_ in implementation.rounds_of(municipality).filter(version__in=version_pks, started_at__lt=end):
            section.rounds.append(RoundLine(round_, implementation.coverage(round_, as_of=end)))
    totals = training.totals(municipality, terms)
    # The one published rule (varna.disclosure), as for every other figure of the report.
    by_gender = suppress_series([totals[gender.value] for gender in GENDERS], PUBLISHED)
    assessed = assessments_of(municipality, year)
    seen: set[int] = set()
    recommendations = []
    for rec in recommendations_of(municipality, year, plan):
        if rec.number in seen:
            continue
        seen.add(rec.number)
        recommendations.append(RecommendationLine(rec.number, rec.text, plan_selectors.how_met_for_readers(rec),
                                                  assessed.get(rec.number)))
    return AnnualReport(
        municipality=municipality, year=year, terms=terms, plans=list(sections.values()),
        meetings=list(meetings.meetings_held_in(municipality, year)),
        actions=meetings.action_counts_in(municipality, year),
        training_totals=totals,
        training_gender=[(str(gender.label), cell.display) for gender, cell in zip(GENDERS, by_gender.cells,
                                                                                      strict=True)],
        training_participants=by_gender.total.display,
        training_coverage=training.coverage(municipality, terms),
        recommendations=recommendations,
        extra=extra_sections(municipality, year),
        plan_filter=plan,
    )
