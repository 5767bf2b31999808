"""The published catalogue: which tables may leave Värna, and how the tables of one term are protected
together. Pure Python, no Django.

Why a catalogue
---------------
:func:`varna.disclosure.suppression.suppress_table` protects one table on its own. An observer who may
ask for any term range and any filter gets a new table with every query, and overlapping tables can be
subtracted: spring 2024 to spring 2026 minus autumn 2024 to spring 2025 minus autumn 2025 to spring 2026
is spring 2024, whatever each table hid (ADR 0016). Published figures therefore come only from a fixed
catalogue of aligned tables:

* the period is always **one whole term**; there are no ranges and no totals over several terms, so the
  published tables of two terms never share an observation and can't be subtracted from each other;
* a term's tables are its **breakdowns** (district, milieu, category, age band, ...) each crossed with
  gender, with no further filter. They are linked only through their shared margin: the term's total per
  gender and its grand total;
* one figure, one value: the margin is computed once and shown the same in every table of the term and
  in the trend table (one row per term).

How one term is protected
-------------------------
Tables X × gender and Y × gender that agree on the gender totals can always be completed to a table
X × Y × gender (of non-negative integers: for each gender, fill the X-by-Y table like a transport plan
between its two margins), and likewise for any number of breakdowns. So, *given the margin*, what one
table says about its cells adds nothing to what the others say: an observer who combines every table of
the term learns at most the margin exactly, plus what each table tells on its own. :func:`publish_term`
uses that:

1. **split** (the usual case): when no gender total is small (each is 0 or above the threshold), each
   breakdown is suppressed by ``suppress_table`` **as if the observer knew the margin exactly**. No
   hidden cell can then be derived, whatever else the observer combines. The margin itself is not
   hidden, only rounded.
2. **collapsed**: when a gender total is small, the split by gender is withheld for the whole term
   (every gender cell shows "..") and each breakdown is published as a series against the term's total,
   again audited as if that total were exact. A small gender total is never shown on its own, because
   every table of the term would bound it.
3. **withheld**: when the term's total is itself small, or an audit above could not free every hidden
   value, nothing but the (suppressed) total of the term is published.

A withheld value ("..") tells the observer nothing, not even that it is non-zero; a hidden value ("–")
says that it is hidden. The attacker test (``tests/disclosure/test_differencing.py``) enumerates every
query the pages, exports and API allow and bounds every hidden cell with a linear program over the
underlying observations; it finds none it can pin down.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from varna.disclosure.suppression import (
    Cell,
    Policy,
    SuppressedSeries,
    SuppressedTable,
    suppress_count,
    suppress_series,
    suppress_table,
    withheld,
)

__all__ = ["Mode", "PublishedLists", "PublishedTerm", "publish_lists", "publish_series", "publish_term"]

Mode = Literal["split", "collapsed", "withheld"]


@dataclass(frozen=True, slots=True)
class PublishedTerm:
    """Every published figure of one term: the margin (per gender and in total) and each breakdown as a
    rows × genders table whose column totals and grand total are that same margin."""

    mode: Mode
    margin: list[Cell]
    total: Cell
    tables: dict[str, SuppressedTable]


def publish_term(breakdowns: Mapping[str, Sequence[Sequence[int]]], policy: Policy) -> PublishedTerm:
    """Protect every breakdown of one term together (see the module docstring).

    ``breakdowns[key][i][j]`` is the true count of row ``i`` and gender ``j``. Every breakdown must
    cover the same people: their gender totals must agree.
    """
    empty = [key for key, matrix in breakdowns.items() if not matrix]  # e.g. no districts defined yet
    breakdowns = {key: matrix for key, matrix in breakdowns.items() if matrix}
    if not breakdowns:
        raise ValueError("a term needs at least one breakdown with rows")
    published = _publish(breakdowns, policy)
    for key in empty:
        published.tables[key] = SuppressedTable(cells=[], row_totals=[], col_totals=list(published.margin),
                                                grand_total=published.total, policy=policy)
    return published


def _publish(breakdowns: Mapping[str, Sequence[Sequence[int]]], policy: Policy) -> PublishedTerm:
    margins = {key: _column_sums(matrix) for key, matrix in breakdowns.items()}
    margin = next(iter(margins.values()))
    if any(other != margin for other in margins.values()):
        raise ValueError("every breakdown of a term must have the same gender totals")
    grand = sum(margin)

    if not any(policy.is_small(value) for value in margin):
        tables = {key: suppress_table(matrix, policy, exact_margin=True) for key, matrix in breakdowns.items()}
        if all(table.safe for table in tables.values()):
            first = next(iter(tables.values()))
            return PublishedTerm("split", list(first.col_totals), first.grand_total, tables)

    if not policy.is_small(grand):
        series = {key: suppress_series([sum(row) for row in matrix], policy, exact_total=True)
                  for key, matrix in breakdowns.items()}
        if all(one.safe for one in series.values()):
            total = next(iter(series.values())).total
            n_genders = len(margin)
            tables = {key: _collapsed(one, n_genders, policy) for key, one in series.items()}
            return PublishedTerm("collapsed", [withheld() for _g in margin], total, tables)

    total = suppress_count(grand, policy)
    tables = {key: _withheld_table(len(matrix), len(margin), total, policy) for key, matrix in breakdowns.items()}
    return PublishedTerm("withheld", [withheld() for _g in margin], total, tables)


@dataclass(frozen=True, slots=True)
class PublishedLists:
    """Every published figure of one period broken down by lists without a gender split: the total and
    each list's cells (which add up to that same total)."""

    mode: Mode
    total: Cell
    lists: dict[str, list[Cell]]


def publish_lists(lists: Mapping[str, Sequence[int]], policy: Policy) -> PublishedLists:
    """Several breakdowns of the same people in one whole period, each a plain list (the case statistics:
    by status, age band, gender and milieu for the cases opened in one year). :func:`publish_term` with a
    single column, so the lists are protected together against their shared, exactly known total, and
    when the total is small only that total is published."""
    published = publish_term({key: [[value] for value in values] for key, values in lists.items()}, policy)
    return PublishedLists(published.mode, published.total,
                          {key: list(table.row_totals) for key, table in published.tables.items()})


def publish_series(values: Sequence[int], policy: Policy) -> SuppressedSeries:
    """A breakdown that stands alone in the catalogue (nothing else adds up with it), e.g. the number of
    observations per category in one term."""
    return suppress_series(values, policy)


def _column_sums(matrix: Sequence[Sequence[int]]) -> list[int]:
    if not matrix:
        raise ValueError("a breakdown needs at least one row")
    width = len(matrix[0])
    if any(len(row) != width for row in matrix):
        raise ValueError("every row must have the same number of columns")
    return [sum(row[j] for row in matrix) for j in range(width)]


def _collapsed(series: SuppressedSeries, n_genders: int, policy: Policy) -> SuppressedTable:
    return SuppressedTable(
        cells=[[withheld() for _g in range(n_genders)] for _row in series.cells],
        row_totals=list(series.cells), col_totals=[withheld() for _g in range(n_genders)],
        grand_total=series.total, policy=policy)


def _withheld_table(n_rows: int, n_genders: int, total: Cell, policy: Policy) -> SuppressedTable:
    return SuppressedTable(
        cells=[[withheld() for _g in range(n_genders)] for _row in range(n_rows)],
        row_totals=[withheld() for _row in range(n_rows)], col_totals=[withheld() for _g in range(n_genders)],
        grand_total=total, policy=policy)
