"""Reads for follow-up: activity logs and the compliance of each activity and unit per term."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from varna.core.models import Municipality, Organisation
from varna.core.selectors import scoped
from varna.core.terms import Season, Term
from varna.followup import expectations
from varna.followup.expectations import Status
from varna.followup.models import ActivityLog
from varna.plans.models import Activity, Level, Plan, PlanVersion
from varna.plans.selectors import (
    approved_activities_of,
    plans_of,
    versions_in_force_during,
    versions_in_force_today,
)
from varna.plans.validity import Span

# Order of the dashboard and the report: the plan's own order of levels and activities.
_ACTIVITY_ORDER = ("version__plan__title", "level__order", "order", "id")


def logs_of(municipality: Municipality) -> QuerySet[ActivityLog]:
    return scoped(ActivityLog.objects.all(), municipality).select_related(
        "activity__level", "activity__version__plan", "organisation", "logged_by", "municipality")


def logs_filtered(municipality: Municipality, *, activity_key: str = "", organisation: Organisation | None = None,
                  term: str = "", plan: Plan | None = None) -> QuerySet[ActivityLog]:
    """The activity log under the list's filters, newest first: what the page pages through and the file holds."""
    logs = logs_of(municipality)
    if plan is not None:
        logs = logs.filter(activity__version__plan=plan)
    if activity_key:
        logs = logs.filter(activity_key=activity_key)
    if organisation is not None:
        logs = logs.filter(organisation=organisation)
    if term:
        logs = logs.filter(term=term)
    return logs.order_by("-date", "-id")


def log_activity_choices(municipality: Municipality, plan: Plan | None = None) -> list[tuple[str, str]]:
    """(key, label) of the activities in force, once per key: the log list's activity filter.

    With several plans each label names its plan, so that two plans' activities are never confused.
    """
    activities = list(loggable_activities(municipality, plan=plan))
    several = len({a.version.plan_id for a in activities}) > 1
    seen: dict[str, str] = {}
    for activity in activities:
        label = f"{activity.version.plan.title}: {activity.direction}" if several else activity.direction
        seen.setdefault(activity.key, label)
    return list(seen.items())


def log_get(municipality: Municipality, pk: int) -> ActivityLog:
    log = logs_of(municipality).filter(pk=pk).first()
    if log is None:
        raise Http404
    return log


def loggable_activities(municipality: Municipality, *, plan: Plan | None = None,
                        day: dt.date | None = None) -> QuerySet[Activity]:
    """The activities of each plan's version in force today (or on `day`): what can be logged."""
    activities = approved_activities_of(municipality, day)
    if plan is not None:
        activities = activities.filter(version__plan=plan)
    return activities.order_by(*_ACTIVITY_ORDER)


def activity_by_key(municipality: Municipality, key: str, *, plan: Plan | None = None) -> Activity | None:
    """The activity in force with this key: of `plan`, or of the first plan by title if not given."""
    return loggable_activities(municipality, plan=plan).filter(key=key).first()


def levels_of(municipality: Municipality, plan: Plan | None = None) -> list[tuple[str, str]]:
    """(key, name) of the levels of the versions in force, in plan order, without repeats.

    With several plans, a name says which plan(s) it belongs to.
    """
    versions = [v.pk for v in versions_in_force_today(municipality) if plan is None or v.plan_id == plan.pk]
    names: dict[str, str] = {}
    plans_by_key: dict[str, list[str]] = defaultdict(list)
    for key, name, title in (Level.objects.filter(version__in=versions)
                             .order_by("version__plan__title", "order")
                             .values_list("key", "name", "version__plan__title")):
        names.setdefault(key, name)
        plans_by_key[key].append(title)
    several = len({t for titles in plans_by_key.values() for t in titles}) > 1
    return [(key, f"{name} ({', '.join(plans_by_key[key])})" if several else name) for key, name in names.items()]


def responsible_units_of(municipality: Municipality, plan: Plan | None = None) -> QuerySet[Organisation]:
    versions = [v.pk for v in versions_in_force_today(municipality) if plan is None or v.plan_id == plan.pk]
    return (Organisation.objects.filter(municipality=municipality, plan_activities__version__in=versions)
            .distinct().order_by("name"))


def terms_for(municipality: Municipality, *, today: dt.date | None = None) -> list[Term]:
    """Terms worth choosing from: from the first logged term (or two years back) to the next term."""
    current = Term.of(today or timezone.localdate())
    first = current.previous().previous().previous()
    earliest = scoped(ActivityLog.objects.all(), municipality).order_by("date").values_list("date", flat=True).first()
    if earliest is not None:
        first = min(first, Term.of(earliest))
    return list(reversed(list(Term.range(first, current.next()))))


@dataclass(frozen=True)
class ComplianceRow:
    level_key: str
    level_name: str
    activity: Activity
    unit: Organisation | None
    expected: int
    done: int
    status: Status
    overdue: bool
    due: bool
    # Versions of the plan whose days count in this row, in order of time (more than one: a revision).
    versions: tuple[int, ...] = ()

    @property
    def behind(self) -> bool:
        return self.done < self.expected

    @property
    def plan(self) -> Plan:
        return self.activity.version.plan


@dataclass
class _Timeline:
    """One plan over some terms: which versions were in force when, and their activities by key."""

    plan: Plan
    parts: dict[Term, list[tuple[PlanVersion, Span]]]
    activities: dict[int, dict[str, Activity]]  # version pk → key → activity

    def versions_in(self, term: Term) -> list[PlanVersion]:
        return [v for v, _span in self.parts.get(term, [])]

    def keys_in(self, terms: list[Term]) -> list[Activity]:
        """One activity per key of the versions in force during `terms`: the latest version's, in its order.

        Keys that only an earlier version had come after the latest version's own, in their own order.
        """
        seen: dict[str, Activity] = {}
        versions = [v for t in terms for v in self.versions_in(t)]
        for version in reversed(versions):
            for key, activity in self.activities[version.pk].items():
                seen.setdefault(key, activity)
        return list(seen.values())

    def parts_for(self, key: str, unit: Organisation | None, terms: tuple[Term, ...]) -> list[expectations.Part]:
        """The stretches of `terms` during which the activity `key` applied to `unit`, with each one's cadence.

        A unit counts where the version in force named it; the row without a unit (the whole municipality)
        counts where the version named no unit at all.
        """
        found = []
        for term in terms:
            for version, span in self.parts.get(term, []):
                activity = self.activities[version.pk].get(key)
                if activity is None:
                    continue
                units = list(activity.responsible.all())
                applies = (not units) if unit is None else unit in units
                if applies:
                    found.append(expectations.Part(term, activity.cadence, span.start, span.end or term.end))
        return found

    def units_for(self, key: str, terms: list[Term]) -> list[Organisation | None]:
        units: dict[int, Organisation] = {}
        nameless = False
        for term in terms:
            for version in self.versions_in(term):
                activity = self.activities[version.pk].get(key)
                if activity is None:
                    continue
                named = list(activity.responsible.all())
                nameless = nameless or not named
                units.update((u.pk, u) for u in named)
        ordered = sorted(units.values(), key=lambda u: u.name)
        head: list[Organisation | None] = [None] if nameless else []
        return head + ordered


def _timelines(municipality: Municipality, terms: list[Term], plan: Plan | None) -> list[_Timeline]:
    """Each plan's versions in force during `terms` (ADR 0013), with their activities loaded once."""
    plans = [plan] if plan is not None else list(plans_of(municipality).order_by("title", "pk"))
    timelines = []
    for p in plans:
        parts = {t: versions_in_force_during(p, t.start, t.end) for t in terms}
        version_pks = {v.pk for found in parts.values() for v, _span in found}
        activities: dict[int, dict[str, Activity]] = {pk: {} for pk in version_pks}
        for activity in (Activity.objects.filter(version__in=version_pks)
                         .select_related("level", "version__plan").prefetch_related("responsible")
                         .order_by("level__order", "order", "id")):
            activities[activity.version_id][activity.key] = activity
        timelines.append(_Timeline(p, parts, activities))
    return timelines


def _school_year_so_far(term: Term) -> list[Term]:
    autumn, spring = Term.school_year_terms(term.school_year)
    return [autumn] if term == autumn else [autumn, spring]


def compliance(municipality: Municipality, term: Term, *, level: str | None = None,
               organisation: Organisation | None = None, today: dt.date | None = None,
               continuous_minimum: int = 1, plan: Plan | None = None) -> list[ComplianceRow]:
    """For each plan → level → activity → responsible unit: expected, done and status in `term`.

    Expectations come from the version of each plan in force during the term; a term split by a revision
    owes each part's cadence pro rata (ADR 0013), so a version adopted after the term never changes it.
    A log for a unit counts for that unit; a log without a unit (the units together, e.g. a meeting)
    counts for every responsible unit. Year-based cadences count the school year up to `term`
    (see `expectations.window`). Activities without a named unit get one row for the whole municipality.
    `plan` limits the rows to one plan.
    """
    today = today or timezone.localdate()
    context_terms = _school_year_so_far(term)
    codes = [t.key for t in context_terms]
    counts: dict[tuple[int, str, int | None, str], int] = defaultdict(int)
    logs = scoped(ActivityLog.objects.all(), municipality).filter(term__in=codes)
    if plan is not None:
        logs = logs.filter(activity__version__plan=plan)
    for item in (logs.values("activity__version__plan_id", "activity_key", "organisation_id", "term")
                 .annotate(n=Count("id"))):
        counts[(item["activity__version__plan_id"], item["activity_key"], item["organisation_id"],
                item["term"])] += item["n"]

    rows: list[ComplianceRow] = []
    for timeline in _timelines(municipality, context_terms, plan):
        plan_id = timeline.plan.pk
        for activity in timeline.keys_in([term]):
            if level and activity.level.key != level:
                continue
            terms_counted = expectations.window(activity.cadence, term)
            window_codes = [t.key for t in terms_counted]
            versions = tuple(v.number for v in timeline.versions_in(term)
                             if activity.key in timeline.activities[v.pk])
            for unit in timeline.units_for(activity.key, [term]):
                if organisation is not None and unit != organisation:
                    continue
                parts = timeline.parts_for(activity.key, unit, terms_counted)
                expected = expectations.expected_over_parts(parts, continuous_minimum=continuous_minimum)
                owed = expectations.owed_over_parts(parts, today, continuous_minimum=continuous_minimum)
                together = sum(counts[(plan_id, activity.key, None, c)] for c in window_codes)
                if unit is None:
                    done = sum(n for (p, k, _o, c), n in counts.items()
                               if p == plan_id and k == activity.key and c in window_codes)
                else:
                    done = together + sum(counts[(plan_id, activity.key, unit.pk, c)] for c in window_codes)
                overdue = done < owed
                rows.append(ComplianceRow(
                    level_key=activity.level.key, level_name=activity.level.name, activity=activity, unit=unit,
                    expected=expected, done=done, status=expectations.status_of(expected, done),
                    overdue=overdue, due=term.contains(today) and done < expected and not overdue,
                    versions=versions))
    return rows


@dataclass(frozen=True)
class ComplianceSummary:
    rows: int
    expected_rows: int
    done: int
    partly: int
    not_started: int
    overdue: int


def summarise(rows: list[ComplianceRow]) -> ComplianceSummary:
    return ComplianceSummary(
        rows=len(rows),
        expected_rows=sum(1 for r in rows if r.status != Status.NOT_EXPECTED),
        done=sum(1 for r in rows if r.status == Status.DONE),
        partly=sum(1 for r in rows if r.status == Status.PARTLY),
        not_started=sum(1 for r in rows if r.status == Status.NOT_STARTED),
        overdue=sum(1 for r in rows if r.overdue),
    )


@dataclass(frozen=True)
class YearLine:
    """Expected and done over a calendar year (VT + HT) for one activity and responsible unit."""

    activity: Activity
    unit: Organisation | None
    expected: int
    done: int
    versions: tuple[int, ...] = ()

    @property
    def status(self) -> Status:
        return expectations.status_of(self.expected, self.done)

    @property
    def plan(self) -> Plan:
        return self.activity.version.plan


def year_figures(municipality: Municipality, year: int, *, continuous_minimum: int = 1,
                 plan: Plan | None = None) -> list[YearLine]:
    """Per plan, activity and responsible unit: occurrences expected and logged in the calendar year.

    Each term owes what the versions in force during it asked (ADR 0013); a version adopted after the
    year leaves the year's figures exactly as they were. With one version all year, the two terms hold
    exactly what each cadence promises for a year (see expectations).
    """
    terms = list(Term.range(Term(year, Season.SPRING), Term(year, Season.AUTUMN)))
    codes = [t.key for t in terms]
    counts: dict[tuple[int, str, int | None], int] = defaultdict(int)
    logs = scoped(ActivityLog.objects.all(), municipality).filter(term__in=codes)
    if plan is not None:
        logs = logs.filter(activity__version__plan=plan)
    for item in logs.values("activity__version__plan_id", "activity_key", "organisation_id").annotate(n=Count("id")):
        counts[(item["activity__version__plan_id"], item["activity_key"], item["organisation_id"])] += item["n"]
    lines = []
    for timeline in _timelines(municipality, terms, plan):
        plan_id = timeline.plan.pk
        for activity in timeline.keys_in(terms):
            versions = tuple(dict.fromkeys(v.number for t in terms for v in timeline.versions_in(t)
                                           if activity.key in timeline.activities[v.pk]))
            together = counts[(plan_id, activity.key, None)]
            for unit in timeline.units_for(activity.key, terms):
                parts = timeline.parts_for(activity.key, unit, tuple(terms))
                expected = expectations.expected_over_parts(parts, continuous_minimum=continuous_minimum)
                if unit is None:
                    done = sum(n for (p, k, _o), n in counts.items() if p == plan_id and k == activity.key)
                else:
                    done = together + counts[(plan_id, activity.key, unit.pk)]
                lines.append(YearLine(activity=activity, unit=unit, expected=expected, done=done,
                                      versions=versions))
    return lines


def year_examples(municipality: Municipality, year: int, *, per_activity: int = 3,
                  plan: Plan | None = None) -> dict[tuple[int, str], list[ActivityLog]]:
    """The latest few logs per (plan id, activity key) in the year that a coordinator chose for the annual
    report ("what was done"). A text that no longer passes the personal-data guard is left out."""
    from varna.disclosure import guard

    examples: dict[tuple[int, str], list[ActivityLog]] = defaultdict(list)
    logs = logs_of(municipality).filter(date__year=year, in_annual_report=True)
    if plan is not None:
        logs = logs.filter(activity__version__plan=plan)
    for log in logs.order_by("activity_key", "-date", "-id"):
        bucket = examples[(log.activity.version.plan_id, log.activity_key)]
        if len(bucket) < per_activity and not guard.problems(log.description, label="-"):
            bucket.append(log)
    return dict(examples)


def overdue_activities(municipality: Municipality, *, today: dt.date | None = None,
                       plan: Plan | None = None) -> list[Activity]:
    """The plan activities behind schedule this term for at least one responsible unit."""
    today = today or timezone.localdate()
    found: dict[int, Activity] = {}
    for row in compliance(municipality, Term.of(today), today=today, plan=plan):
        if row.overdue:
            found.setdefault(row.activity.pk, row.activity)
    return list(found.values())
