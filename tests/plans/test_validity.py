"""Which version is in force on a day: at most one, and never one adopted after the day in question."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from varna.plans.validity import Validity, in_force, next_start, parts, review_due, spans

_DAYS = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31))


@st.composite
def _versions(draw: st.DrawFn) -> list[Validity]:
    count = draw(st.integers(min_value=0, max_value=6))
    result = []
    for number in range(1, count + 1):
        valid_from = draw(st.none() | _DAYS)
        valid_to = draw(st.none() | _DAYS)
        adopted_on = draw(st.none() | _DAYS)
        result.append(Validity(number, valid_from, valid_to, adopted_on))
    return result


@settings(max_examples=300, deadline=None)
@given(_versions(), _DAYS)
def test_every_day_has_at_most_one_version_in_force(versions: list[Validity], day: dt.date) -> None:
    covering = [s for s in spans(versions) if s.contains(day)]
    assert len(covering) <= 1
    assert in_force(versions, day) == (covering[0].number if covering else None)


@settings(max_examples=300, deadline=None)
@given(_versions())
def test_spans_never_overlap_and_stay_inside_each_versions_own_dates(versions: list[Validity]) -> None:
    found = spans(versions)
    by_number = {v.number: v for v in versions}
    for earlier, later in zip(found, found[1:], strict=False):
        assert earlier.end is not None
        assert earlier.end < later.start
    for span in found:
        version = by_number[span.number]
        assert span.start == version.start
        assert version.adopted_on is not None
        assert span.start >= version.adopted_on
        if version.valid_to is not None:
            assert span.end is not None
            assert span.end <= version.valid_to


@settings(max_examples=300, deadline=None)
@given(_versions(), _DAYS, st.integers(min_value=0, max_value=200))
def test_a_period_never_depends_on_versions_adopted_after_it(versions: list[Validity], start: dt.date,
                                                             length: int) -> None:
    """Whatever is adopted after a term's last day leaves the term's versions, and their shares, as they were."""
    end = start + dt.timedelta(days=length)
    known = [v for v in versions if v.adopted_on is not None and v.adopted_on <= end]
    assert parts(versions, start, end) == parts(known, start, end)


@settings(max_examples=300, deadline=None)
@given(_versions(), _DAYS, st.integers(min_value=0, max_value=200))
def test_the_parts_of_a_period_cover_each_day_its_version_is_in_force(versions: list[Validity], start: dt.date,
                                                                      length: int) -> None:
    end = start + dt.timedelta(days=length)
    found = parts(versions, start, end)
    day = start
    while day <= end:
        owner = [p.number for p in found if p.contains(day)]
        assert owner == ([in_force(versions, day)] if in_force(versions, day) else [])
        day += dt.timedelta(days=1)


def test_a_revision_closes_the_version_before_it_the_day_before_it_starts() -> None:
    versions = [Validity(1, dt.date(2024, 1, 1), None, dt.date(2023, 12, 1)),
                Validity(2, dt.date(2025, 9, 1), None, dt.date(2025, 6, 10))]
    assert in_force(versions, dt.date(2025, 8, 31)) == 1
    assert in_force(versions, dt.date(2025, 9, 1)) == 2
    assert [(p.number, p.start, p.end) for p in parts(versions, dt.date(2025, 7, 1), dt.date(2025, 12, 31))] == [
        (1, dt.date(2025, 7, 1), dt.date(2025, 8, 31)), (2, dt.date(2025, 9, 1), dt.date(2025, 12, 31))]


def test_a_future_version_is_announced_and_not_used_before_its_day() -> None:
    versions = [Validity(1, dt.date(2024, 1, 1), None, dt.date(2024, 1, 1)),
                Validity(2, dt.date(2027, 1, 1), None, dt.date(2026, 11, 20))]
    today = dt.date(2026, 12, 3)
    assert in_force(versions, today) == 1
    upcoming = next_start(versions, today)
    assert upcoming is not None
    assert (upcoming.number, upcoming.start) == (2, dt.date(2027, 1, 1))


def test_a_plan_valid_from_autumn_is_not_in_force_in_spring() -> None:
    versions = [Validity(1, dt.date(2025, 9, 1), None, dt.date(2025, 5, 1))]
    assert parts(versions, dt.date(2025, 1, 1), dt.date(2025, 6, 30)) == []


def test_nothing_is_in_force_before_it_was_adopted_whatever_valid_from_says() -> None:
    versions = [Validity(1, dt.date(2020, 1, 1), None, dt.date(2020, 1, 1)),
                Validity(2, dt.date(2020, 1, 1), None, dt.date(2026, 3, 1))]
    assert in_force(versions, dt.date(2025, 6, 1)) == 1
    assert in_force(versions, dt.date(2026, 3, 1)) == 2


def test_a_draft_is_never_in_force() -> None:
    assert spans([Validity(1, dt.date(2024, 1, 1))]) == []


def test_a_version_ends_on_its_own_valid_to_and_then_nothing_is_in_force() -> None:
    versions = [Validity(1, dt.date(2024, 1, 1), dt.date(2024, 12, 31), dt.date(2024, 1, 1))]
    assert in_force(versions, dt.date(2024, 12, 31)) == 1
    assert in_force(versions, dt.date(2025, 1, 1)) is None


@settings(max_examples=300, deadline=None)
@given(_DAYS, st.integers(min_value=1, max_value=60))
def test_a_review_falls_in_the_month_the_interval_says_never_earlier_than_the_interval(
        adopted: dt.date, months: int) -> None:
    due = review_due(adopted, months)
    assert (due.year * 12 + due.month) - (adopted.year * 12 + adopted.month) == months
    assert due.day == adopted.day or (due.day < adopted.day and (due + dt.timedelta(days=1)).day == 1)


def test_a_yearly_review_of_a_leap_day_decision_falls_on_the_last_of_february() -> None:
    assert review_due(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert review_due(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert review_due(dt.date(2025, 11, 20), 12) == dt.date(2026, 11, 20)
