"""The cadence → expected occurrences function: what a school year adds up to is what the cadence promises."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from varna.core.terms import Season, Term
from varna.followup.expectations import (
    Status,
    due_by,
    expected_in_window,
    expected_occurrences,
    is_due,
    is_overdue,
    status_of,
    window,
)
from varna.plans.cadence import Cadence, CadenceKind

years = st.integers(min_value=2000, max_value=2100)
counts = st.integers(min_value=1, max_value=52)
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))


def _school_year_total(cadence: Cadence, school_year: int, **kwargs: int) -> int:
    return sum(expected_occurrences(cadence, t, **kwargs) for t in Term.school_year_terms(school_year))


@settings(deadline=None)  # timing varies on a loaded CI machine; the property is what matters
@given(years, counts)
def test_per_term_promises_n_every_term_and_2n_a_school_year(year: int, n: int) -> None:
    cadence = Cadence(CadenceKind.PER_TERM, n)
    assert expected_occurrences(cadence, Term(year, Season.SPRING)) == n
    assert expected_occurrences(cadence, Term(year, Season.AUTUMN)) == n
    assert _school_year_total(cadence, year) == 2 * n


@settings(deadline=None)  # timing varies on a loaded CI machine; the property is what matters
@given(years, counts)
def test_per_year_adds_up_to_n_over_the_school_year_with_the_extra_one_in_autumn(year: int, n: int) -> None:
    cadence = Cadence(CadenceKind.PER_YEAR, n)
    autumn, spring = Term.school_year_terms(year)
    assert _school_year_total(cadence, year) == n
    assert 0 <= expected_occurrences(cadence, autumn) - expected_occurrences(cadence, spring) <= 1
    assert expected_in_window(cadence, spring) == n


@settings(deadline=None)  # timing varies on a loaded CI machine; the property is what matters
@given(years, st.integers(min_value=0, max_value=10))
def test_continuous_expects_the_minimum_in_every_term(year: int, minimum: int) -> None:
    cadence = Cadence(CadenceKind.CONTINUOUS)
    assert _school_year_total(cadence, year, continuous_minimum=minimum) == 2 * minimum
    assert expected_occurrences(cadence, Term(year, Season.SPRING)) == 1


@settings(deadline=None)  # timing varies on a loaded CI machine; the property is what matters
@given(years)
def test_per_curriculum_is_once_per_school_year_in_the_autumn(year: int) -> None:
    cadence = Cadence(CadenceKind.PER_CURRICULUM)
    autumn, spring = Term.school_year_terms(year)
    assert (expected_occurrences(cadence, autumn), expected_occurrences(cadence, spring)) == (1, 0)
    assert _school_year_total(cadence, year) == 1


@pytest.mark.parametrize("kind", [CadenceKind.WHEN_NEEDED, CadenceKind.ON_REQUEST])
@settings(deadline=None)  # timing varies on a loaded CI machine; the property is what matters
@given(year=years)
def test_when_needed_and_on_request_expect_nothing(kind: CadenceKind, year: int) -> None:
    assert _school_year_total(Cadence(kind), year) == 0


@settings(deadline=None)  # timing varies on a loaded CI machine; the property is what matters
@given(dates)
def test_every_day_lies_in_exactly_one_term(day: dt.date) -> None:
    term = Term.of(day)
    assert term.contains(day)
    assert not term.next().contains(day)
    assert not term.previous().contains(day)
    assert term.previous() < term < term.next()
    assert term.next().start - term.end == dt.timedelta(days=1)
    assert Term.parse(term.key) == term


@settings(deadline=None)  # timing varies on a loaded CI machine; the property is what matters
@given(dates, dates)
def test_term_range_is_contiguous(a: dt.date, b: dt.date) -> None:
    first, last = sorted([Term.of(a), Term.of(b)], key=lambda t: (t.year, t.season == Season.AUTUMN))
    terms = list(Term.range(first, last))
    assert terms[0] == first
    assert terms[-1] == last
    assert all(x.next() == y for x, y in zip(terms, terms[1:], strict=False))


def test_labels_and_school_years() -> None:
    assert Term(2026, Season.SPRING).school_year == 2025
    assert window(Cadence(CadenceKind.PER_YEAR, 1), Term(2026, Season.SPRING)) == (
        Term(2025, Season.AUTUMN), Term(2026, Season.SPRING))
    assert window(Cadence(CadenceKind.PER_TERM, 2), Term(2026, Season.SPRING)) == (Term(2026, Season.SPRING),)
    with pytest.raises(ValueError, match="not a term: '2026-winter'"):
        Term.parse("2026-winter")


def test_status_of_each_case() -> None:
    assert status_of(0, 3) == Status.NOT_EXPECTED
    assert status_of(2, 0) == Status.NOT_STARTED
    assert status_of(2, 1) == Status.PARTLY
    assert status_of(2, 2) == Status.DONE


@settings(deadline=None)  # timing varies on a loaded CI machine; the property is what matters
@given(counts, st.integers(min_value=0, max_value=60), dates)
def test_overdue_and_due_never_both_and_nothing_is_owed_beyond_the_promise(expected: int, done: int,
                                                                           today: dt.date) -> None:
    term = Term.of(today)
    assert 0 <= due_by(expected, term, today) <= expected
    assert not (is_due(expected, done, term, today) and is_overdue(expected, done, term, today))
    if done >= expected:
        assert not is_overdue(expected, done, term, today)


def test_a_past_term_behind_is_overdue_and_a_future_one_never() -> None:
    term = Term(2026, Season.SPRING)
    assert is_overdue(2, 1, term, dt.date(2026, 8, 1))
    assert not is_overdue(2, 0, term, dt.date(2025, 12, 1))
    assert not is_overdue(2, 0, term, dt.date(2026, 1, 10))  # early in the term: due, not overdue
    assert is_due(2, 0, term, dt.date(2026, 1, 10))
    assert is_overdue(2, 0, term, dt.date(2026, 4, 1))  # past half the term without a meeting
