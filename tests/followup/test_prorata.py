"""A term split by a plan revision: each part owes its own version's cadence, pro rata by its days (ADR 0013)."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from varna.core.terms import Term
from varna.followup.expectations import (
    Part,
    due_by,
    expected_occurrences,
    expected_over_parts,
    owed_over_parts,
)
from varna.plans.cadence import Cadence, CadenceKind

terms = st.builds(Term.of, st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2035, 12, 31)))
cadences = st.one_of(
    st.builds(Cadence, st.sampled_from([CadenceKind.PER_TERM, CadenceKind.PER_YEAR]),
              st.integers(min_value=1, max_value=20)),
    st.sampled_from([Cadence(CadenceKind.CONTINUOUS), Cadence(CadenceKind.PER_CURRICULUM),
                     Cadence(CadenceKind.WHEN_NEEDED)]))


def _day_in(term: Term, offset: int) -> dt.date:
    return term.start + dt.timedelta(days=offset % ((term.end - term.start).days + 1))


@settings(max_examples=200, deadline=None)
@given(terms, cadences, st.integers(min_value=0, max_value=400))
def test_one_version_for_the_whole_term_owes_exactly_its_cadence(term: Term, cadence: Cadence, offset: int) -> None:
    whole = [Part(term, cadence, term.start, term.end)]
    expected = expected_occurrences(cadence, term)
    assert expected_over_parts(whole) == expected
    today = _day_in(term, offset)
    assert owed_over_parts(whole, today) == due_by(expected, term, today)


@settings(max_examples=200, deadline=None)
@given(terms, cadences, st.integers(min_value=0, max_value=400))
def test_a_revision_that_keeps_the_cadence_changes_nothing(term: Term, cadence: Cadence, offset: int) -> None:
    cut = _day_in(term, offset)
    split = [Part(term, cadence, term.start, cut)]
    if cut < term.end:
        split.append(Part(term, cadence, cut + dt.timedelta(days=1), term.end))
    assert expected_over_parts(split) == expected_occurrences(cadence, term)


@settings(max_examples=200, deadline=None)
@given(terms, cadences, cadences, st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=400))
def test_a_split_term_owes_between_what_either_version_asks_and_never_more_than_due(
        term: Term, before: Cadence, after: Cadence, offset: int, today_offset: int) -> None:
    cut = _day_in(term, offset)
    split = [Part(term, before, term.start, cut)]
    if cut < term.end:
        split.append(Part(term, after, cut + dt.timedelta(days=1), term.end))
    low, high = sorted([expected_occurrences(before, term), expected_occurrences(after, term)])
    expected = expected_over_parts(split)
    assert low <= expected <= high
    today = _day_in(term, today_offset)
    assert 0 <= owed_over_parts(split, today) <= expected
    assert owed_over_parts(split, today) <= owed_over_parts(split, today + dt.timedelta(days=1))
    assert owed_over_parts(split, term.end) == expected or expected_occurrences(before, term) != \
        expected_occurrences(after, term)


def test_a_plan_in_force_from_september_owes_part_of_the_autumn_and_nothing_in_spring() -> None:
    autumn = Term(2025, "autumn")
    part = Part(autumn, Cadence(CadenceKind.PER_TERM, 3), dt.date(2025, 9, 1), autumn.end)
    assert expected_over_parts([part]) == 2  # 3 × 122/184 days, rounded
    assert expected_over_parts([]) == 0


def test_twice_a_term_then_four_times_from_the_middle_owes_three() -> None:
    spring = Term(2026, "spring")
    parts = [Part(spring, Cadence(CadenceKind.PER_TERM, 2), spring.start, dt.date(2026, 3, 31)),
             Part(spring, Cadence(CadenceKind.PER_TERM, 4), dt.date(2026, 4, 1), spring.end)]
    assert expected_over_parts(parts) == 3
    assert owed_over_parts(parts, dt.date(2026, 3, 31)) == 0  # 2 × 90/181: not quite one yet
    assert owed_over_parts(parts, dt.date(2026, 4, 1)) == 1
