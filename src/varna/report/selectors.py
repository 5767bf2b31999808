"""Everything the annual follow-up report shows, gathered once for the page, the PDF and the Word file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from varna.core.models import Municipality
from varna.core.selectors import scoped
from varna.disclosure.suppression import PUBLISHED, suppress_series
from varna.followup import selectors as followup
from varna.followup.expectations import Season, Term
from varna.implementation import selectors as implementation
from varna.meetings import selectors as meetings
from varna.plans.forms import cadence_label
from varna.plans.models import PlanVersion, Recommendation
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
    levels: list[LevelSection]
    meetings: list[Any]
    actions: dict[str, int]
    training_totals: dict[str, int]
    training_gender: list[str]  # women, men, other: suppressed with the published profile
    training_participants: str  # their total, suppressed with them
    training_coverage: list[Any]
    implementation_round: Any
    implementation_coverage: list[Any]
    recommendations: list[RecommendationLine]
    extra: list[ReportSection] = field(default_factory=list)

    @property
    def decisions(self) -> int:
        return sum(len(m.decisions.all()) for m in self.meetings)


def report_years(municipality: Municipality, *, current: int) -> list[int]:
    first = min([current - 1, *[d.year for d in followup.logs_of(municipality).order_by("date")
                                .values_list("date", flat=True)[:1]]])
    return list(range(current, first - 1, -1))


def recommendations_of(municipality: Municipality) -> list[Recommendation]:
    """The recommendations of the approved version of the municipality's first plan."""
    return list(Recommendation.objects.for_municipality(municipality)
                .filter(version__status=PlanVersion.Status.APPROVED).order_by("version__plan__title", "number"))


def assessments_of(municipality: Municipality, year: int) -> dict[int, Assessment]:
    return {a.number: a for a in scoped(Assessment.objects.all(), municipality).filter(year=year)}


def annual_report(municipality: Municipality, year: int) -> AnnualReport:
    terms = [Term(year, Season.SPRING), Term(year, Season.AUTUMN)]
    examples = followup.year_examples(municipality, year)
    levels: dict[str, LevelSection] = {}
    activities: dict[int, ActivityLine] = {}
    for line in followup.year_figures(municipality, year):
        activity = line.activity
        section = levels.setdefault(activity.level.key, LevelSection(activity.level.key, activity.level.name))
        if activity.pk not in activities:
            activities[activity.pk] = ActivityLine(
                activity.key, activity.direction, cadence_label(activity.cadence_kind, activity.cadence_count),
                examples=examples.get(activity.key, []))
            section.activities.append(activities[activity.pk])
        activities[activity.pk].units.append(line)
    totals = training.totals(municipality, terms)
    # The one published rule (varna.disclosure), as for every other figure of the report.
    by_gender = suppress_series([totals["women"], totals["men"], totals["other"]], PUBLISHED)
    assessed = assessments_of(municipality, year)
    seen: set[int] = set()
    recommendations = []
    for rec in recommendations_of(municipality):
        if rec.number in seen:
            continue
        seen.add(rec.number)
        recommendations.append(RecommendationLine(rec.number, rec.text, rec.how_met, assessed.get(rec.number)))
    round_ = implementation.current_round(municipality)
    return AnnualReport(
        municipality=municipality, year=year, terms=terms, levels=list(levels.values()),
        meetings=list(meetings.meetings_held_in(municipality, year)),
        actions=meetings.action_counts_in(municipality, year),
        training_totals=totals,
        training_gender=[cell.display for cell in by_gender.cells],
        training_participants=by_gender.total.display,
        training_coverage=training.coverage(municipality, terms),
        implementation_round=round_,
        implementation_coverage=implementation.coverage(round_) if round_ else [],
        recommendations=recommendations,
        extra=extra_sections(municipality, year),
    )
