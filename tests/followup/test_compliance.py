"""Compliance per term on the demo data and on hand-made logs."""

import datetime as dt
from typing import Any

from varna.core.terms import Season, Term
from varna.followup import demo, selectors
from varna.followup.expectations import Status
from varna.followup.models import ActivityLog
from varna.plans.selectors import approved_activities_of

from .conftest import TODAY

AUTUMN, SPRING = Term(2026, Season.AUTUMN), Term(2026, Season.SPRING)


def _log(municipality: Any, key: str, day: dt.date, unit: str | None = None) -> ActivityLog:
    activity = approved_activities_of(municipality).get(key=key)
    organisation = activity.responsible.get(key=unit) if unit else None
    return ActivityLog.objects.create(municipality=municipality, activity=activity, organisation=organisation,
                                      date=day, description="test")


def test_demo_figures_for_both_terms(demo_followup: Any, sollentuna: Any) -> None:
    autumn = selectors.summarise(selectors.compliance(sollentuna, AUTUMN, today=TODAY))
    spring = selectors.summarise(selectors.compliance(sollentuna, SPRING, today=TODAY))
    # 25 activities become 51 rows: one per responsible unit, one for each activity without a named unit.
    assert (autumn.rows, autumn.expected_rows) == (spring.rows, spring.expected_rows) == (51, 37)
    assert (autumn.done, autumn.partly, autumn.not_started, autumn.overdue) == (20, 1, 16, 4)
    assert (spring.done, spring.partly, spring.not_started, spring.overdue) == (25, 0, 12, 12)


def test_done_counts_are_the_logs_of_the_unit_in_the_term(demo_followup: Any, sollentuna: Any) -> None:
    for row in selectors.compliance(sollentuna, AUTUMN, today=TODAY):
        if row.unit is None or row.activity.cadence_kind in ("per_year", "per_curriculum"):
            continue
        logs = ActivityLog.objects.filter(municipality=sollentuna, activity_key=row.activity.key,
                                          organisation=row.unit, term=AUTUMN.key)
        assert row.done == logs.count()


def test_loading_the_demo_twice_adds_nothing(demo_followup: Any, sollentuna: Any) -> None:
    before = ActivityLog.objects.count()
    assert demo.load(sollentuna, today=TODAY) == "0 activity log entries added"
    assert ActivityLog.objects.count() == before > 0
    assert all(log.description.startswith(demo.DEMO_PREFIX) for log in ActivityLog.objects.all())


def test_a_log_without_unit_counts_for_every_responsible_unit(demo_plan: Any, sollentuna: Any) -> None:
    _log(sollentuna, "prevent-working-group-meetings", dt.date(2026, 9, 10))
    _log(sollentuna, "prevent-working-group-meetings", dt.date(2026, 11, 12), unit="samordnare")
    rows = {r.unit.key: r for r in selectors.compliance(sollentuna, AUTUMN, today=TODAY)
            if r.activity.key == "prevent-working-group-meetings"}
    assert (rows["samordnare"].done, rows["samordnare"].status) == (2, Status.DONE)
    assert (rows["arbetsgruppen"].done, rows["arbetsgruppen"].status) == (1, Status.PARTLY)
    # Late November with one meeting of two: on schedule pro rata, but still due this term.
    assert rows["arbetsgruppen"].due
    assert not rows["arbetsgruppen"].overdue


def test_per_year_done_in_autumn_still_counts_in_spring(demo_plan: Any, sollentuna: Any) -> None:
    _log(sollentuna, "follow-up-annual-review", dt.date(2025, 10, 1), unit="samordnare")
    spring = {r.unit.key: r for r in selectors.compliance(sollentuna, SPRING, today=TODAY)
              if r.activity.key == "follow-up-annual-review"}
    assert (spring["samordnare"].expected, spring["samordnare"].done) == (1, 1)
    assert spring["styrgruppen"].status == Status.NOT_STARTED
    assert spring["styrgruppen"].overdue


def test_when_needed_is_not_expected_but_counted(demo_plan: Any, sollentuna: Any) -> None:
    _log(sollentuna, "prevent-signs-symbols-training", dt.date(2026, 10, 1), unit="samordnare")
    row = next(r for r in selectors.compliance(sollentuna, AUTUMN, today=TODAY)
               if r.activity.key == "prevent-signs-symbols-training" and r.unit.key == "samordnare")
    assert (row.expected, row.done, row.status, row.overdue) == (0, 1, Status.NOT_EXPECTED, False)


def test_filters_by_level_and_unit(demo_plan: Any, sollentuna: Any) -> None:
    rows = selectors.compliance(sollentuna, AUTUMN, level="implement", today=TODAY)
    assert rows
    assert {r.level_key for r in rows} == {"implement"}
    buk = approved_activities_of(sollentuna).get(key="implement-managers").responsible.get(key="buk")
    rows = selectors.compliance(sollentuna, AUTUMN, organisation=buk, today=TODAY)
    assert rows
    assert {r.unit for r in rows} == {buk}


def test_another_municipality_has_nothing_to_follow_up(demo_followup: Any, taby: Any) -> None:
    assert selectors.compliance(taby, AUTUMN, today=TODAY) == []
    assert not selectors.logs_of(taby).exists()
