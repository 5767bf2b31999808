"""Small-count suppression: the displayed figures never show a small count, and an attacker who knows the
policy can't recover a hidden one from the cells and totals that are shown.

The attackers here are written independently of the module's own audit: they only read the public
``Cell`` objects and the policy, as someone holding a published report would.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from varna.disclosure.suppression import (
    INTERNAL,
    PRIMARY,
    PUBLISHED,
    SECONDARY,
    Cell,
    Policy,
    SuppressedSeries,
    SuppressedTable,
    suppress_count,
    suppress_series,
    suppress_table,
)

PROFILES = [INTERNAL, PUBLISHED]
INF = math.inf

# Counts skewed towards the small ones that trigger suppression, with zeros and some large counts.
counts = st.one_of(st.just(0), st.integers(1, 9), st.integers(0, 60))


@st.composite
def tables(draw, max_rows: int = 6, max_cols: int = 5, values=counts) -> list[list[int]]:
    n_rows = draw(st.integers(1, max_rows))
    n_cols = draw(st.integers(1, max_cols))
    return draw(
        st.lists(st.lists(values, min_size=n_cols, max_size=n_cols), min_size=n_rows, max_size=n_rows)
    )


# --- what the attacker sees ----------------------------------------------------------------------------


def known_interval(cell: Cell, policy: Policy, true: int) -> tuple[int, float]:
    """What a reader who knows the policy learns from one displayed cell.

    The attacker is given more than the page shows: for a secondary "–" they are told whether it hides
    a count above the threshold (as secondary suppression normally does) or a small count whose "≤5"
    was withdrawn. The worst case is the one that matters.
    """
    smallest = 1 if policy.show_zero else 0
    if cell.reason == PRIMARY:
        return smallest, policy.threshold
    if cell.reason == SECONDARY:
        return (policy.threshold + 1 if true > policy.threshold else smallest), INF
    assert cell.value is not None
    if policy.rounding == 1 or cell.value == 0:
        return cell.value, cell.value
    assert policy.rounding == 5
    return max(cell.value - 2, policy.threshold + 1), cell.value + 2


class Model:
    """A table (or series) as variables with known intervals and equations "sum(members) == total"."""

    def __init__(self, shown: list[Cell], true: list[int], equations: list[tuple[list[int], int]], policy):
        self.shown = shown
        self.true = true
        self.equations = equations
        self.policy = policy
        self.intervals = [
            known_interval(cell, policy, value) for cell, value in zip(shown, true, strict=True)
        ]

    @property
    def hidden(self) -> list[int]:
        return [index for index, cell in enumerate(self.shown) if cell.suppressed]


def table_model(rows: list[list[int]], result: SuppressedTable, policy: Policy) -> Model:
    n_rows, n_cols = len(rows), len(rows[0])
    shown = [cell for row in result.cells for cell in row] + result.row_totals + result.col_totals
    shown.append(result.grand_total)
    row_sums = [sum(row) for row in rows]
    col_sums = [sum(row[j] for row in rows) for j in range(n_cols)]
    true = [value for row in rows for value in row] + row_sums + col_sums + [sum(row_sums)]
    base_rows = n_rows * n_cols
    base_cols = base_rows + n_rows
    grand = base_cols + n_cols
    equations = [([i * n_cols + j for j in range(n_cols)], base_rows + i) for i in range(n_rows)]
    equations += [([i * n_cols + j for i in range(n_rows)], base_cols + j) for j in range(n_cols)]
    equations.append(([base_rows + i for i in range(n_rows)], grand))
    equations.append(([base_cols + j for j in range(n_cols)], grand))
    return Model(shown, true, equations, policy)


def series_model(values: list[int], result: SuppressedSeries, policy: Policy) -> Model:
    shown = [*result.cells, result.total]
    return Model(shown, [*values, sum(values)], [(list(range(len(values))), len(values))], policy)


# --- attacker 1: solve equations with a single unknown, repeatedly --------------------------------------


def linear_attack(model: Model) -> dict[int, int]:
    """Values the attacker derives exactly: known exact values, then any equation with one unknown."""
    known = {index: int(low) for index, (low, high) in enumerate(model.intervals) if low == high}
    progress = True
    while progress:
        progress = False
        for members, total in model.equations:
            unknown = [index for index in [*members, total] if index not in known]
            if len(unknown) != 1:
                continue
            (target,) = unknown
            member_sum = sum(known[index] for index in members if index != target)
            known[target] = member_sum if target == total else known[total] - member_sum
            progress = True
    return {index: value for index, value in known.items() if model.shown[index].suppressed}


# --- attacker 2: interval (bounds) propagation ----------------------------------------------------------


def interval_attack(model: Model) -> list[tuple[float, float]]:
    """Narrow every variable's interval using each equation in turn until nothing changes."""
    bounds = [list(interval) for interval in model.intervals]
    for _ in range(10_000):
        changed = False
        for members, total in model.equations:
            # total = sum(members): bounds for the total from the members ...
            low_sum = sum(bounds[m][0] for m in members)
            high_sum = sum(bounds[m][1] for m in members)
            changed |= _tighten(bounds[total], low_sum, high_sum)
            # ... and for each member from the total and the other members.
            for member in members:
                others_low = sum(bounds[m][0] for m in members if m != member)
                others_high = sum(bounds[m][1] for m in members if m != member)
                changed |= _tighten(
                    bounds[member], bounds[total][0] - others_high, bounds[total][1] - others_low
                )
        if not changed:
            break
    return [tuple(interval) for interval in bounds]


def _tighten(interval: list[float], low: float, high: float) -> bool:
    changed = False
    if low > interval[0]:
        interval[0], changed = low, True
    if high < interval[1]:
        interval[1], changed = high, True
    return changed


# --- attacker 3: exhaustive search over all tables consistent with what is shown -----------------------


# Complex on purpose: a bounded search written out for review.
def alternatives_exist(  # noqa: C901
    model: Model, n_rows: int, n_cols: int, target: int, budget: int = 200_000
) -> bool | None:
    """Is there a table consistent with everything shown in which variable ``target`` differs from the
    truth? None if the search budget ran out (inconclusive)."""
    cap = sum(model.true[: n_rows * n_cols]) + model.policy.threshold + 10
    domains = []
    for index in range(n_rows * n_cols):
        low, high = model.intervals[index]
        values = range(int(low), int(min(high, cap)) + 1)
        # Try values near the truth first: alternatives, when they exist, are usually close.
        domains.append(sorted(values, key=lambda v, t=model.true[index]: (abs(v - t), v)))
    row_iv = [model.intervals[n_rows * n_cols + i] for i in range(n_rows)]
    col_iv = [model.intervals[n_rows * n_cols + n_rows + j] for j in range(n_cols)]
    grand_iv = model.intervals[-1]
    nodes = 0

    def differs(values: list[int]) -> bool:
        if target < n_rows * n_cols:
            return values[target] != model.true[target]
        row_sums = [sum(values[i * n_cols : (i + 1) * n_cols]) for i in range(n_rows)]
        col_sums = [sum(values[i * n_cols + j] for i in range(n_rows)) for j in range(n_cols)]
        derived = row_sums + col_sums + [sum(row_sums)]
        return derived[target - n_rows * n_cols] != model.true[target]

    def search(position: int, values: list[int], col_partial: list[int]) -> bool | None:
        nonlocal nodes
        nodes += 1
        if nodes > budget:
            return None
        if position == n_rows * n_cols:
            if not all(low <= s <= high for s, (low, high) in zip(col_partial, col_iv, strict=True)):
                return False
            return grand_iv[0] <= sum(col_partial) <= grand_iv[1] and differs(values)
        i, j = divmod(position, n_cols)
        result: bool | None = False
        for value in domains[position]:
            if col_partial[j] + value > col_iv[j][1]:
                continue
            values.append(value)
            col_partial[j] += value
            ok = True
            row = values[i * n_cols : i * n_cols + j + 1]
            if sum(row) > row_iv[i][1] or (j == n_cols - 1 and sum(row) < row_iv[i][0]):
                ok = False
            found = search(position + 1, values, col_partial) if ok else False
            values.pop()
            col_partial[j] -= value
            if found:
                return True
            if found is None:
                result = None
        return result

    return search(0, [], [0] * n_cols)


# --- properties -----------------------------------------------------------------------------------------


def all_cells(result: SuppressedTable) -> Iterator[Cell]:
    for row in result.cells:
        yield from row
    yield from result.row_totals
    yield from result.col_totals
    yield result.grand_total


@pytest.mark.parametrize("policy", PROFILES, ids=lambda p: p.name)
@settings(max_examples=400, deadline=None)
@given(rows=tables())
def test_no_displayed_count_is_small(policy: Policy, rows: list[list[int]]) -> None:
    result = suppress_table(rows, policy)
    for cell in all_cells(result):
        if cell.suppressed:
            assert cell.value is None
            assert cell.display == (
                policy.primary_label if cell.reason == PRIMARY else policy.secondary_label
            )
        else:
            assert cell.value == 0 or cell.value > policy.threshold
            assert cell.display == str(cell.value)


@settings(max_examples=300, deadline=None)
@given(rows=tables())
def test_published_values_are_multiples_of_five_and_close_to_the_truth(rows: list[list[int]]) -> None:
    result = suppress_table(rows, PUBLISHED)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            cell = result.cells[i][j]
            if not cell.suppressed:
                assert cell.value % 5 == 0
                assert abs(cell.value - value) <= 2
    for cell, true in zip(result.row_totals, map(sum, rows), strict=True):
        assert cell.suppressed or (cell.value % 5 == 0 and abs(cell.value - true) <= 2)


@settings(max_examples=300, deadline=None)
@given(rows=tables())
def test_internal_shows_exact_counts_and_hides_every_small_one(rows: list[list[int]]) -> None:
    result = suppress_table(rows, INTERNAL)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            cell = result.cells[i][j]
            if 1 <= value <= 5:
                # Shown as "≤5", or as "–" where even that bound would give a value away.
                assert cell.suppressed
            else:
                assert cell.reason != PRIMARY
            if not cell.suppressed:
                assert cell.value == value
    assert result.grand_total.suppressed or result.grand_total.value == sum(map(sum, rows))


@pytest.mark.parametrize("policy", PROFILES, ids=lambda p: p.name)
@settings(max_examples=300, deadline=None)
@given(rows=tables())
def test_no_row_column_or_margin_has_a_single_hidden_value(policy: Policy, rows: list[list[int]]) -> None:
    model = table_model(rows, suppress_table(rows, policy), policy)
    for members, total in model.equations:
        assert sum(model.shown[index].suppressed for index in [*members, total]) != 1


@pytest.mark.parametrize("policy", PROFILES, ids=lambda p: p.name)
@settings(max_examples=400, deadline=None)
@given(rows=tables())
def test_linear_attacker_recovers_no_hidden_cell(policy: Policy, rows: list[list[int]]) -> None:
    model = table_model(rows, suppress_table(rows, policy), policy)
    assert linear_attack(model) == {}


@pytest.mark.parametrize("policy", PROFILES, ids=lambda p: p.name)
@settings(max_examples=400, deadline=None)
@given(rows=tables())
def test_interval_attacker_cannot_narrow_a_hidden_cell_to_one_value(
    policy: Policy, rows: list[list[int]]
) -> None:
    model = table_model(rows, suppress_table(rows, policy), policy)
    bounds = interval_attack(model)
    for index in model.hidden:
        low, high = bounds[index]
        assert low <= model.true[index] <= high  # the attacker is sound ...
        assert low < high, f"hidden value {index} pinned to {low}"  # ... and still can't pin it


@pytest.mark.parametrize("policy", PROFILES, ids=lambda p: p.name)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(rows=tables(max_rows=3, max_cols=3, values=st.one_of(st.just(0), st.integers(1, 14))))
def test_exhaustive_attacker_finds_another_consistent_value_for_every_hidden_cell(
    policy: Policy, rows: list[list[int]]
) -> None:
    model = table_model(rows, suppress_table(rows, policy), policy)
    for index in model.hidden:
        found = alternatives_exist(model, len(rows), len(rows[0]), index)
        assert found is not False, f"hidden value {index} is the only one consistent with the table"


@pytest.mark.parametrize("policy", PROFILES, ids=lambda p: p.name)
@settings(max_examples=400, deadline=None)
@given(values=st.lists(counts, min_size=1, max_size=10))
def test_series_hide_small_counts_and_resist_both_attackers(policy: Policy, values: list[int]) -> None:
    result = suppress_series(values, policy)
    model = series_model(values, result, policy)
    for cell in [*result.cells, result.total]:
        assert cell.suppressed or cell.value == 0 or cell.value > policy.threshold
    assert linear_attack(model) == {}
    bounds = interval_attack(model)
    for index in model.hidden:
        assert bounds[index][0] < bounds[index][1]


# --- examples -------------------------------------------------------------------------------------------


def displays(result: SuppressedTable) -> list[list[str]]:
    rows = [
        [cell.display for cell in row] + [total.display]
        for row, total in zip(result.cells, result.row_totals, strict=True)
    ]
    rows.append([cell.display for cell in result.col_totals] + [result.grand_total.display])
    return rows


def test_a_lone_small_cell_takes_the_next_smallest_of_its_row_and_column_with_it() -> None:
    result = suppress_table([[3, 10, 20], [12, 15, 30], [14, 16, 40]], INTERNAL)
    assert displays(result) == [
        ["≤5", "–", "20", "33"],
        ["–", "–", "30", "57"],
        ["14", "16", "40", "70"],
        ["29", "41", "90", "160"],
    ]
    assert result.cells[0][1].reason == SECONDARY


def test_a_total_is_hidden_when_it_would_pin_a_hidden_cell() -> None:
    # 1 (≤5) and 6 (hidden): the total 7 would prove that the small cell is exactly 1.
    result = suppress_series([1, 6], INTERNAL)
    assert [cell.display for cell in result.cells] == ["≤5", "–"]
    assert result.total.suppressed


def test_five_ones_under_a_small_total_lose_their_upper_bound() -> None:
    # Shown as five "≤5" and a total "≤5", each cell would have to be exactly 1. Hiding more can't help
    # (everything is hidden already), so the total's "≤5" is withdrawn.
    result = suppress_series([1, 1, 1, 1, 1], INTERNAL)
    assert [cell.display for cell in result.cells] == ["≤5"] * 5
    assert (result.total.display, result.total.reason) == ("–", SECONDARY)


def test_a_total_with_a_single_hidden_member_hides_the_total_when_nothing_else_can_be_hidden() -> None:
    result = suppress_series([3, 0, 0], INTERNAL)
    assert [cell.display for cell in result.cells] == ["≤5", "0", "0"]
    assert result.total.display == "≤5"


def test_published_redacts_up_to_seven_and_rounds_to_five() -> None:
    result = suppress_series([7, 8, 12, 13, 0, 100], PUBLISHED)
    # 7 is redacted; 8 would be shown as "10", but then 7 = total - the rest, so 8 goes too.
    assert [cell.display for cell in result.cells] == ["–", "–", "10", "15", "0", "100"]
    assert [cell.reason for cell in result.cells[:2]] == [PRIMARY, SECONDARY]
    assert result.total.display == "140"


def test_published_rounding_examples() -> None:
    rounded = {value: PUBLISHED.round(value) for value in (8, 10, 12, 13, 17, 18, 140, 142, 143)}
    assert rounded == {8: 10, 10: 10, 12: 10, 13: 15, 17: 15, 18: 20, 140: 140, 142: 140, 143: 145}
    assert suppress_count(0, PUBLISHED).display == "0"
    assert suppress_count(7, PUBLISHED).display == "–"
    assert suppress_count(8, PUBLISHED).display == "10"
    assert suppress_count(5, INTERNAL).display == "≤5"
    assert suppress_count(6, INTERNAL).display == "6"
    assert suppress_count(0, INTERNAL) == Cell(0, "0", False, None)


def test_zero_can_be_treated_as_small() -> None:
    strict = Policy(
        "strict", threshold=7, rounding=5, primary_label="–", secondary_label="–", show_zero=False
    )
    assert suppress_count(0, strict).suppressed
    result = suppress_table([[0, 20], [30, 40]], strict)
    model = table_model([[0, 20], [30, 40]], result, strict)
    assert result.cells[0][0].suppressed
    assert linear_attack(model) == {}


def test_policies_that_would_round_into_the_hidden_band_are_refused() -> None:
    with pytest.raises(ValueError, match="rounding to 10 would show a count above 2 as 2 or less"):
        Policy("bad", threshold=2, rounding=10)


@pytest.mark.parametrize("bad", [[[1, 2], [3]], [[-1]], [[1.5]], [[True]]])
def test_bad_input_is_refused(bad) -> None:
    with pytest.raises((ValueError, TypeError)):
        suppress_table(bad, INTERNAL)


def test_empty_inputs() -> None:
    assert suppress_series([], INTERNAL).total.display == "0"
    table = suppress_table([], PUBLISHED)
    assert table.cells == []
    assert table.grand_total.display == "0"
