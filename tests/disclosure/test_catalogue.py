"""The published catalogue against the differencing attacker, on random data (no database).

Random observations of one or two terms go through :func:`varna.disclosure.catalogue.publish_term` as the
dashboard does; every published figure of every table becomes a bound on the cube of possible counts
(term × district × milieu × category × gender × age band), and the linear-programming attacker of
``tests/disclosure/attacker.py`` tries to pin down every hidden or withheld figure.
"""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.disclosure.attacker import Figure, attack
from varna.disclosure.catalogue import publish_term
from varna.disclosure.suppression import PUBLISHED, WITHHELD_LABEL, suppress_table

DIMENSIONS = {"district": ["north", "south", "harbour"], "milieu": ["m1", "m2"],
              "category": ["threats", "online", "relatives"],
              "age": ["under_15", "15_17", "18_24", "25_plus", "unknown"]}
GENDERS = ["female", "male", "other"]
ORDER = ("district", "milieu", "category", "age")

counts = st.one_of(st.integers(1, 4), st.integers(1, 9), st.integers(5, 30))
observation = st.tuples(*(st.sampled_from(DIMENSIONS[d]) for d in ORDER), st.sampled_from(GENDERS), counts)
terms_data = st.lists(st.lists(observation, min_size=0, max_size=10), min_size=1, max_size=2)


def _cube(term: str) -> list[tuple]:
    return [(term, *point, gender) for point in itertools.product(*(DIMENSIONS[d] for d in ORDER))
            for gender in GENDERS]


def _breakdowns(truth: Counter) -> dict[str, list[list[int]]]:
    result = {}
    for position, dimension in enumerate(ORDER, start=1):
        result[dimension] = [[sum(v for cell, v in truth.items() if cell[position] == key and cell[-1] == g)
                              for g in GENDERS] for key in DIMENSIONS[dimension]]
    return result


def published_figures(term: str, truth: Counter) -> list[Figure]:
    """Every figure the catalogue publishes for one term, as the attacker reads it."""
    published = publish_term(_breakdowns(truth), PUBLISHED)
    cube = _cube(term)

    def figure(where: str, cell, test) -> Figure:
        cells = frozenset(c for c in cube if test(c))
        return Figure(where, cells, cell.display, sum(truth.get(c, 0) for c in cells), cell.reason)

    figures = []
    for j, g in enumerate(GENDERS):
        figures.append(figure(f"{term} margin {g}", published.margin[j], lambda c, g=g: c[-1] == g))
    figures.append(figure(f"{term} total", published.total, lambda c: True))
    for position, dimension in enumerate(ORDER, start=1):
        table = published.tables[dimension]
        for i, key in enumerate(DIMENSIONS[dimension]):
            for j, g in enumerate(GENDERS):
                figures.append(figure(f"{term} {dimension}={key} {g}", table.cells[i][j],
                                      lambda c, p=position, k=key, g=g: c[p] == k and c[-1] == g))
            figures.append(figure(f"{term} {dimension}={key}", table.row_totals[i],
                                  lambda c, p=position, k=key: c[p] == k))
        for j in range(len(GENDERS)):
            assert table.col_totals[j] == published.margin[j], "one figure, one value"
        assert table.grand_total == published.total
    return figures


def _truth(rows: list[tuple]) -> Counter:
    truth: Counter = Counter()
    for *point, gender, count in rows:
        truth[(*point, gender)] += count
    return truth


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(terms_data)
def test_no_hidden_count_of_any_term_can_be_pinned_by_combining_every_published_table(data) -> None:
    figures = []
    for index, rows in enumerate(data):
        term = f"2025-{index + 1}"
        truth = Counter({(term, *cell): v for cell, v in _truth(rows).items()})
        figures += published_figures(term, truth)
    shown = [f for f in figures if f.display not in {"–", WITHHELD_LABEL}]
    assert all(f.true == 0 or f.true > 7 for f in shown), "a small count was shown"
    verdict = attack(figures)
    assert not verdict.pinned, verdict.pinned


def _one_by_one(truth: Counter) -> list[Figure]:
    """The same breakdowns, each suppressed on its own with its own totals (the rule before the catalogue)."""
    cube = _cube("2025-1")
    figures = []

    def add(where: str, cell, test) -> None:
        cells = frozenset(c for c in cube if test(c))
        figures.append(Figure(where, cells, cell.display, sum(truth.get(c, 0) for c in cells), cell.reason))

    for position, dimension in enumerate(ORDER, start=1):
        table = suppress_table(_breakdowns(truth)[dimension], PUBLISHED)
        for i, key in enumerate(DIMENSIONS[dimension]):
            for j, g in enumerate(GENDERS):
                add(f"{dimension}={key} {g}", table.cells[i][j],
                    lambda c, p=position, k=key, g=g: c[p] == k and c[-1] == g)
            add(f"{dimension}={key}", table.row_totals[i], lambda c, p=position, k=key: c[p] == k)
        for j, g in enumerate(GENDERS):
            add(f"{dimension} total {g}", table.col_totals[j], lambda c, g=g: c[-1] == g)
        add(f"{dimension} total", table.grand_total, lambda c: True)
    return figures


def test_the_attacker_pins_what_tables_suppressed_one_by_one_give_away() -> None:
    """The attacker is not toothless: thirty people in one term, each breakdown suppressed on its own,
    and combining the four tables pins the hidden counts of one milieu exactly (1 girl in m1, 6 in m2).
    The catalogue publishes the same term without giving anything away."""
    rows = [("south", "m2", "online", "18_24", "female", 1), ("harbour", "m2", "relatives", "18_24", "other", 12),
            ("harbour", "m1", "threats", "18_24", "male", 9), ("north", "m1", "relatives", "15_17", "female", 1),
            ("harbour", "m2", "threats", "under_15", "female", 5), ("north", "m1", "online", "under_15", "male", 2)]
    truth = Counter({("2025-1", *cell): v for cell, v in _truth(rows).items()})
    naive = attack(_one_by_one(truth))
    assert {(where, true) for where, true, _lo, _hi in naive.pinned} >= {("milieu=m1 female", 1),
                                                                          ("milieu=m2 female", 6)}
    assert not attack(published_figures("2025-1", truth)).pinned


@pytest.mark.parametrize("margin", [[3, 20, 0], [8, 8, 1]])
def test_a_term_with_a_small_gender_total_withholds_the_split_by_gender(margin: list[int]) -> None:
    matrix = [[margin[0], margin[1], margin[2]]]
    published = publish_term({"district": matrix, "milieu": matrix}, PUBLISHED)
    assert published.mode == "collapsed"
    assert {c.display for c in published.margin} == {WITHHELD_LABEL}
    assert published.total.display == str(PUBLISHED.round(sum(margin)))


def test_a_term_with_a_small_total_publishes_only_that_it_is_small() -> None:
    published = publish_term({"district": [[2, 3, 0], [0, 1, 0]]}, PUBLISHED)
    assert published.mode == "withheld"
    assert published.total.display == "–"
    table = published.tables["district"]
    assert {c.display for row in table.cells for c in row} | {c.display for c in table.row_totals} == {"..",}


def test_breakdowns_of_different_people_are_refused() -> None:
    with pytest.raises(ValueError, match="every breakdown of a term must have the same gender totals"):
        publish_term({"district": [[10, 10, 0]], "milieu": [[10, 9, 0]]}, PUBLISHED)
