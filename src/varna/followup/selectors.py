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
from varna.followup import expectations
from varna.followup.expectations import Status, Term
from varna.followup.models import ActivityLog
from varna.plans.models import Activity, Level
from varna.plans.selectors import approved_activities_of

# Order of the dashboard and the report: the plan's own order of levels and activities.
_ACTIVITY_ORDER = ("version__plan__title", "level__order", "order", "id")


def logs_of(municipality: Municipality) -> QuerySet[ActivityLog]:
    return scoped(ActivityLog.objects.all(), municipality).select_related(
        "activity__level", "organisation", "logged_by", "municipality")


def logs_filtered(municipality: Municipality, *, activity_key: str = "", organisation: Organisation | None = None,
                  term: str = "") -> QuerySet[ActivityLog]:
    """The activity log under the list's filters, newest first: what the page pages through and the file holds."""
    logs = logs_of(municipality)
    if activity_key:
        logs = logs.filter(activity_key=activity_key)
    if organisation is not None:
        logs = logs.filter(organisation=organisation)
    if term:
        logs = logs.filter(term=term)
    return logs.order_by("-date", "-id")


def log_activity_choices(municipality: Municipality) -> list[tuple[str, str]]:
    """(key, direction) of the approved activities, once per key: the log list's activity filter."""
    seen: dict[str, str] = {}
    for activity in loggable_activities(municipality):
        seen.setdefault(activity.key, activity.direction)
    return list(seen.items())


def log_get(municipality: Municipality, pk: int) -> ActivityLog:
    log = logs_of(municipality).filter(pk=pk).first()
    if log is None:
        raise Http404
    return log


def loggable_activities(municipality: Municipality) -> QuerySet[Activity]:
    return approved_activities_of(municipality).order_by(*_ACTIVITY_ORDER)


def activity_by_key(municipality: Municipality, key: str) -> Activity | None:
    """The approved activity with this key (the first plan's, if several plans use it)."""
    return loggable_activities(municipality).filter(key=key).first()


def levels_of(municipality: Municipality) -> list[tuple[str, str]]:
    """(key, name) of the levels of every approved plan version, in plan order, without repeats."""
    seen: dict[str, str] = {}
    for key, name in (Level.objects.for_municipality(municipality).filter(version__status="approved")
                      .order_by("version__plan__title", "order").values_list("key", "name")):
        seen.setdefault(key, name)
    return list(seen.items())


def responsible_units_of(municipality: Municipality) -> QuerySet[Organisation]:
    return (Organisation.objects.filter(municipality=municipality, plan_activities__version__status="approved")
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

    @property
    def behind(self) -> bool:
        return self.done < self.expected


def compliance(municipality: Municipality, term: Term, *, level: str | None = None,
               organisation: Organisation | None = None, today: dt.date | None = None,
               continuous_minimum: int = 1) -> list[ComplianceRow]:
    """For each level → activity → responsible unit of the approved plans: expected, done and status in `term`.

    A log for a unit counts for that unit; a log without a unit (the units together, e.g. a meeting)
    counts for every responsible unit. Year-based cadences count the school year up to `term`
    (see `expectations.window`). Activities without a named unit get one row for the whole municipality.
    """
    today = today or timezone.localdate()
    activities = list(loggable_activities(municipality))
    if level:
        activities = [a for a in activities if a.level.key == level]
    terms = {t.code for a in activities for t in expectations.window(a.cadence, term)}
    counts: dict[tuple[int, str, int | None, str], int] = defaultdict(int)
    rows_q = (scoped(ActivityLog.objects.all(), municipality).filter(term__in=terms)
              .values("activity__version__plan_id", "activity_key", "organisation_id", "term")
              .annotate(n=Count("id")))
    for item in rows_q:
        counts[(item["activity__version__plan_id"], item["activity_key"], item["organisation_id"],
                item["term"])] += item["n"]

    rows: list[ComplianceRow] = []
    for activity in activities:
        plan_id = activity.version.plan_id
        window_codes = [t.code for t in expectations.window(activity.cadence, term)]
        expected = expectations.expected_in_window(activity.cadence, term, continuous_minimum=continuous_minimum)
        owed = expectations.owed_by(activity.cadence, term, today, continuous_minimum=continuous_minimum)
        units: list[Organisation | None] = list(activity.responsible.all()) or [None]
        units.sort(key=lambda u: u.name if u else "")
        for unit in units:
            if organisation is not None and unit != organisation:
                continue
            together = sum(counts[(plan_id, activity.key, None, c)] for c in window_codes)
            if unit is None:
                done = sum(n for (p, k, _o, c), n in counts.items()
                           if p == plan_id and k == activity.key and c in window_codes)
            else:
                done = together + sum(counts[(plan_id, activity.key, unit.pk, c)] for c in window_codes)
            overdue = done < owed
            rows.append(ComplianceRow(
                level_key=activity.level.key, level_name=activity.level.name, activity=activity, unit=unit,
                expected=expected, done=done, status=expectations.status_of(expected, done), overdue=overdue,
                due=term.contains(today) and done < expected and not overdue))
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

    @property
    def status(self) -> Status:
        return expectations.status_of(self.expected, self.done)


def year_figures(municipality: Municipality, year: int, *, continuous_minimum: int = 1) -> list[YearLine]:
    """Per activity and responsible unit: occurrences expected and logged in the calendar year.

    The year's two terms together hold exactly what each cadence promises for a year (see expectations).
    """
    terms = list(Term.range(Term(year, expectations.Season.SPRING), Term(year, expectations.Season.AUTUMN)))
    codes = [t.code for t in terms]
    counts: dict[tuple[int, str, int | None], int] = defaultdict(int)
    for item in (scoped(ActivityLog.objects.all(), municipality).filter(term__in=codes)
                 .values("activity__version__plan_id", "activity_key", "organisation_id").annotate(n=Count("id"))):
        counts[(item["activity__version__plan_id"], item["activity_key"], item["organisation_id"])] += item["n"]
    lines = []
    for activity in loggable_activities(municipality):
        plan_id = activity.version.plan_id
        expected = sum(expectations.expected_occurrences(activity.cadence, t, continuous_minimum=continuous_minimum)
                       for t in terms)
        units: list[Organisation | None] = sorted(activity.responsible.all(), key=lambda u: u.name) or [None]
        together = counts[(plan_id, activity.key, None)]
        for unit in units:
            if unit is None:
                done = sum(n for (p, k, _o), n in counts.items() if p == plan_id and k == activity.key)
            else:
                done = together + counts[(plan_id, activity.key, unit.pk)]
            lines.append(YearLine(activity=activity, unit=unit, expected=expected, done=done))
    return lines


def year_examples(municipality: Municipality, year: int, *, per_activity: int = 3) -> dict[str, list[ActivityLog]]:
    """The latest few logs per activity key in the year: "what was done", for the annual report."""
    examples: dict[str, list[ActivityLog]] = defaultdict(list)
    for log in logs_of(municipality).filter(date__year=year).order_by("activity_key", "-date", "-id"):
        if len(examples[log.activity_key]) < per_activity:
            examples[log.activity_key].append(log)
    return dict(examples)


def overdue_activities(municipality: Municipality, *, today: dt.date | None = None) -> list[Activity]:
    """The plan activities behind schedule this term for at least one responsible unit."""
    today = today or timezone.localdate()
    found: dict[int, Activity] = {}
    for row in compliance(municipality, Term.of(today), today=today):
        if row.overdue:
            found.setdefault(row.activity.pk, row.activity)
    return list(found.values())
