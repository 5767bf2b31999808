"""The one term type: one stored key that sorts as time does, and the older forms still read."""

import datetime as dt

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from varna.core.terms import Season, Term, term_label, terms_between

dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))


@given(dates, dates)
def test_keys_sort_as_the_terms_do(a: dt.date, b: dt.date) -> None:
    # The database takes min/max of the term column, so string order must be time order.
    first, second = Term.of(a), Term.of(b)
    assert (first.key < second.key) == (first < second)
    assert Term.is_key(first.key)
    assert Term.parse(first.key) == first


def test_the_key_is_year_and_half() -> None:
    assert Term(2026, Season.SPRING).key == "2026-1"
    assert Term(2026, Season.AUTUMN).key == "2026-2"
    assert Term.of(dt.date(2026, 6, 30)).key == "2026-1"
    assert Term.of(dt.date(2026, 7, 1)).key == "2026-2"


@pytest.mark.parametrize(("text", "key"), [("2026-spring", "2026-1"), ("2026-autumn", "2026-2"),
                                           ("VT2026", "2026-1"), ("ht 2026", "2026-2"), (" 2026-2 ", "2026-2")])
def test_deprecated_and_typed_forms_still_read(text: str, key: str) -> None:
    assert Term.normalise(text) == key
    assert not Term.is_key(text) or text == key


@pytest.mark.parametrize("text", ["", "2026-3", "2026-winter", "26-1", "2026-1x", "VT26", "2026-01"])
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="^not a term: "):
        Term.parse(text)


def test_labels_in_both_languages() -> None:
    with translation.override("sv"):
        assert term_label("2026-1") == "VT 2026"
        assert Term(2026, Season.AUTUMN).label == "HT 2026"
    with translation.override("en"):
        assert term_label("2026-2") == "Autumn 2026"
    assert term_label("not a term") == "not a term"


def test_terms_between_crosses_the_new_year() -> None:
    assert terms_between("2025-2", "2027-1") == ["2025-2", "2026-1", "2026-2", "2027-1"]
