"""Small-count suppression: one disclosure policy, two profiles, for every aggregate that leaves Värna.

Where an event can only concern a few people, a small count in a table points at them even without a
name. Every page, chart, export and API response that shows counts from the situation picture therefore
passes them through :func:`suppress_table` (rows x columns with totals), :func:`suppress_series` (one row
with a total) or, for a figure that stands alone, :func:`suppress_count`. Pure Python, no Django.

Profiles
--------
``INTERNAL`` (the working group's and coordinator's own dashboards)
    Counts 1-5 are shown as "≤5"; every other count exactly.
``PUBLISHED`` (anything that leaves the working group: steering-group and annual reports, which become
public records, the national view, API aggregates)
    Counts 1-7 are redacted ("–"); every other count is rounded to the nearest multiple of 5, as
    OpenSAFELY's output rules do (they moved from ≤5 to ≤7 because a rounded "5" could be read back as
    6 or 7). Rounding is to the *nearest* multiple; with an odd base such as 5 an integer is never
    exactly halfway, so no tie rule is needed. For an even base ties round half up (away from zero), never
    Python's round-half-to-even, so the same count always shows the same way.

Zero
    Zero is shown as 0 in both profiles (``Policy.show_zero``). The situation picture counts
    observations, not people with an attribute: "no observation of this kind in this district" says
    nothing about an individual. Note that OpenSAFELY's own ehrQL code folds 0 into the redacted band
    (it reports every count ≤7, zero included, as 0), so a profile with ``show_zero=False`` is provided
    for outputs where "nobody" would be telling; zero is then treated like any other small count. Either
    way the secondary-suppression audit below treats a displayed 0 as exact knowledge for the attacker.

Secondary suppression
---------------------
Totals are computed from the true values and then go through the same threshold and rounding as the
cells. A hidden cell must not be recoverable from what is shown, so after primary suppression two steps
repeat until nothing changes:

1. *Line rule* (the classic one): every row, every column, and the two margins (row totals against the
   grand total, column totals against the grand total) is one equation "members = total". If exactly one
   value in an equation is hidden it could be solved for, so the smallest non-zero shown member of that
   line is hidden too (or the line's total, when no member is left).
2. *Audit*: an attacker who knows the policy is modelled exactly. For every value they know an interval:
   a shown exact count ``[v, v]``; a shown rounded count the values that round to it (and above the
   threshold); a primary-hidden count ``[1, threshold]``; a secondary-hidden count ``[threshold + 1, ∞)``
   (we assume the attacker can tell the two kinds of hidden cell apart). Together with the row, column and
   margin equations this is a network-flow polytope (rows and columns are nodes, cells are arcs), and a
   hidden value is pinned to a single number exactly when no cycle through its arc exists in the residual
   graph of the true table. That test is exact for integer tables (the difference of two feasible tables
   decomposes into such cycles), so it catches every interval argument, not only "one unknown per line".
   For a pinned value the first of these that frees it is applied: hide the smallest shown non-zero
   cell, then total, sharing an equation with it; withdraw a "≤5" bound next to it (show "–" instead,
   see below); hide the smallest shown value anywhere; withdraw any "≤5". If none frees it on its own
   the first is applied and the loop goes round again.

A "≤5" is itself information: five hidden cells of at least 1 each under a total shown as "≤5" must all
be exactly 1, and no amount of further hiding changes that. Such a small count is then shown with the
secondary label ("–", reason ``secondary``) and the observer is assumed to learn only that it is hidden.
In ``PUBLISHED`` both labels are "–" anyway; in ``INTERNAL`` it happens only when several small counts
meet in rows and columns whose totals are small too. The audit (and the tests' attacker) still assume
the observer can tell such a withdrawn "≤5" from an ordinary secondary "–".

Totals are rounded on their own in ``PUBLISHED``, so a shown total need not equal the sum of the shown
cells; that is inherent in rounding and is what keeps the cells safe.

What is guaranteed: no hidden value can be derived to a single number from the shown cells and totals of
one table, whatever combination of rows, columns and bounds the attacker uses. Not covered: attacks
across several tables of the same data (a per-district table and a per-milieu table of the same term),
and reasoning from *how* secondary cells were chosen (standard statistical-disclosure tools leave that
out too). Outputs should therefore come from one aggregate selector that applies this policy to every
table it serves.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from typing import Final, Literal

__all__ = [
    "INTERNAL",
    "PRIMARY",
    "PUBLISHED",
    "SECONDARY",
    "WITHHELD",
    "WITHHELD_LABEL",
    "Cell",
    "withheld",
    "Policy",
    "SuppressedSeries",
    "SuppressedTable",
    "suppress_count",
    "suppress_labelled",
    "suppress_series",
    "suppress_table",
]

PRIMARY: Final = "primary"
SECONDARY: Final = "secondary"
# Not published at all for this table (e.g. the gender split of a term with a small gender total): the
# observer learns nothing about the value, not even that it is non-zero.
WITHHELD: Final = "withheld"
WITHHELD_LABEL = ".."
Reason = Literal["primary", "secondary", "withheld"]

_UNBOUNDED = math.inf


@dataclass(frozen=True, slots=True)
class Policy:
    """A disclosure profile.

    ``threshold``: counts 1..threshold are hidden (primary suppression). ``rounding``: shown counts are
    rounded to the nearest multiple of this (1 = exact). ``primary_label``/``secondary_label``: what is
    shown instead of a hidden count. ``show_zero``: whether 0 is shown as 0 or treated as a small count.
    """

    name: str
    threshold: int
    rounding: int = 1
    primary_label: str = "≤5"
    secondary_label: str = "–"
    show_zero: bool = True

    def __post_init__(self) -> None:
        if self.threshold < 0 or self.rounding < 1:
            raise ValueError("threshold must be >= 0 and rounding >= 1")
        # A rounded count must never land back in the hidden band (8 rounding down to 5, say).
        if self.round(self.threshold + 1) <= self.threshold:
            raise ValueError(
                f"rounding to {self.rounding} would show a count above {self.threshold} as "
                f"{self.threshold} or less"
            )

    def is_small(self, value: int) -> bool:
        """True when ``value`` must be hidden on its own (primary suppression)."""
        return 1 <= value <= self.threshold or (value == 0 and not self.show_zero)

    def round(self, value: int) -> int:
        """Round a shown count to the nearest multiple of ``rounding``, ties away from zero."""
        base = self.rounding
        return ((2 * value + base) // (2 * base)) * base

    def shown_range(self, shown: int) -> tuple[int, float]:
        """The true values an observer can infer from a shown (not hidden) count."""
        if self.rounding == 1:
            return shown, shown
        if shown == 0:
            return 0, 0
        low = shown - self.rounding
        while self.round(low) != shown:
            low += 1
        high = shown + self.rounding
        while self.round(high) != shown:
            high -= 1
        # Anything shown was above the threshold: with threshold 9 and base 5, "10" means 10..12.
        return max(low, self.threshold + 1), high

    def hidden_range(self, reason: Reason) -> tuple[int, float]:
        """The true values an observer can infer from a hidden count, knowing why it was hidden."""
        if reason == PRIMARY:
            return (1 if self.show_zero else 0), self.threshold
        return self.threshold + 1, _UNBOUNDED


INTERNAL = Policy("internal", threshold=5, rounding=1, primary_label="≤5", secondary_label="–")
PUBLISHED = Policy("published", threshold=7, rounding=5, primary_label="–", secondary_label="–")


@dataclass(frozen=True, slots=True)
class Cell:
    """One displayed count. ``value`` is what may be shown (rounded in ``PUBLISHED``) or None if hidden;
    ``display`` is the string to show; ``reason`` says why a hidden count is hidden."""

    value: int | None
    display: str
    suppressed: bool
    reason: Reason | None = None


@dataclass(frozen=True, slots=True)
class SuppressedTable:
    cells: list[list[Cell]]
    row_totals: list[Cell]
    col_totals: list[Cell]
    grand_total: Cell
    policy: Policy = field(repr=False)
    # False when some hidden value could still be derived exactly under the audit's assumptions (only
    # possible with an exact margin); the catalogue then publishes less.
    safe: bool = True


@dataclass(frozen=True, slots=True)
class SuppressedSeries:
    cells: list[Cell]
    total: Cell
    policy: Policy = field(repr=False)
    safe: bool = True


def withheld() -> Cell:
    """A value that is not published (see ``WITHHELD``)."""
    return Cell(None, WITHHELD_LABEL, True, WITHHELD)


def suppress_count(value: int, policy: Policy) -> Cell:
    """A count shown on its own, with nothing it adds up with. Figures that add up (a breakdown and its
    total) must go through :func:`suppress_series` or :func:`suppress_table` instead."""
    _check_count(value)
    return _cell(value, PRIMARY if policy.is_small(value) else None, policy)


def suppress_labelled(cells: Sequence[tuple[str, int]], policy: Policy, *,
                      exact_total: bool = False) -> list[tuple[str, str]]:
    """(label, count) pairs → (label, what may be shown), suppressed as one series with its total (the
    case statistics' short lists; ``exact_total`` when several lists break down the same total)."""
    series = suppress_series([count for _label, count in cells], policy, exact_total=exact_total)
    return [(label, cell.display) for (label, _count), cell in zip(cells, series.cells, strict=True)]


def suppress_series(values: Sequence[int], policy: Policy, *, exact_total: bool = False) -> SuppressedSeries:
    """Suppress a one-dimensional breakdown and its total (e.g. observations per age band).

    ``exact_total``: audit as if the observer knew the total exactly, and never hide it. Used for
    tables that share their total with others (see :mod:`varna.disclosure.catalogue`).
    """
    values = [_check_count(value) for value in values]
    # One equation: cells (arcs A→B) = total (arc B→A).
    true = [*values, sum(values)]
    arcs = [(0, 1)] * len(values) + [(1, 0)]
    cell_ids = list(range(len(values)))
    lines = [(cell_ids, len(values))]
    neighbours = {index: [i for i in range(len(true)) if i != index] for index in range(len(true))}
    fixed = {len(values)} if exact_total else set()
    reasons = _suppress(true, arcs, lines, neighbours, cell_ids, policy, fixed)
    cells = [_cell(true[i], reasons[i], policy) for i in range(len(true))]
    safe = not _pinned(true, arcs, reasons, policy, fixed=fixed)
    return SuppressedSeries(cells=cells[:-1], total=cells[-1], policy=policy, safe=safe)


def suppress_table(rows: Sequence[Sequence[int]], policy: Policy, *, exact_margin: bool = False) -> SuppressedTable:
    """Suppress a two-dimensional table with its row, column and grand totals.

    ``rows[i][j]`` is the true count; every row must have the same length. ``exact_margin``: audit as if
    the observer knew the column totals and the grand total exactly, and never hide them; used for tables
    that share those totals with others (see :mod:`varna.disclosure.catalogue`).
    """
    matrix = [[_check_count(value) for value in row] for row in rows]
    n_rows = len(matrix)
    n_cols = len(matrix[0]) if matrix else 0
    if any(len(row) != n_cols for row in matrix):
        raise ValueError("every row must have the same number of columns")

    # Variables: cells (row-major), then row totals, column totals and the grand total.
    def cell_id(i: int, j: int) -> int:
        return i * n_cols + j

    row_total_id = [n_rows * n_cols + i for i in range(n_rows)]
    col_total_id = [n_rows * n_cols + n_rows + j for j in range(n_cols)]
    grand_id = n_rows * n_cols + n_rows + n_cols

    row_sums = [sum(row) for row in matrix]
    col_sums = [sum(matrix[i][j] for i in range(n_rows)) for j in range(n_cols)]
    true = [value for row in matrix for value in row] + row_sums + col_sums + [sum(row_sums)]

    # As a circulation: source S(0) → row node (row total), row node → column node (cell), column node →
    # sink T(1) (column total), T → S (grand total). Conservation at every node is exactly the equations.
    def row_node(i: int) -> int:
        return 2 + i

    def col_node(j: int) -> int:
        return 2 + n_rows + j

    arcs: list[tuple[int, int]] = [(row_node(i), col_node(j)) for i in range(n_rows) for j in range(n_cols)]
    arcs += [(0, row_node(i)) for i in range(n_rows)]
    arcs += [(col_node(j), 1) for j in range(n_cols)]
    arcs.append((1, 0))

    lines: list[tuple[list[int], int]] = []
    lines += [([cell_id(i, j) for j in range(n_cols)], row_total_id[i]) for i in range(n_rows)]
    lines += [([cell_id(i, j) for i in range(n_rows)], col_total_id[j]) for j in range(n_cols)]
    lines.append((row_total_id, grand_id))
    lines.append((col_total_id, grand_id))

    # Variables that share an equation with each one: where a pinned value gets its protection from.
    neighbours: dict[int, list[int]] = {index: [] for index in range(len(true))}
    for members, total in lines:
        group = [*members, total]
        for index in group:
            neighbours[index].extend(other for other in group if other != index)

    cell_ids = [cell_id(i, j) for i in range(n_rows) for j in range(n_cols)]
    fixed = {*col_total_id, grand_id} if exact_margin else set()
    reasons = _suppress(true, arcs, lines, neighbours, cell_ids, policy, fixed)
    shown = [_cell(true[index], reasons[index], policy) for index in range(len(true))]
    return SuppressedTable(
        cells=[[shown[cell_id(i, j)] for j in range(n_cols)] for i in range(n_rows)],
        row_totals=[shown[index] for index in row_total_id],
        col_totals=[shown[index] for index in col_total_id],
        grand_total=shown[grand_id],
        policy=policy,
        safe=not _pinned(true, arcs, reasons, policy, fixed=fixed),
    )


# --- internals ---------------------------------------------------------------------------------------


def _check_count(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"counts must be integers, got {value!r}")
    if value < 0:
        raise ValueError(f"counts can't be negative, got {value}")
    return value


def _cell(value: int, reason: Reason | None, policy: Policy) -> Cell:
    if reason == PRIMARY:
        return Cell(None, policy.primary_label, True, PRIMARY)
    if reason == SECONDARY:
        return Cell(None, policy.secondary_label, True, SECONDARY)
    shown = policy.round(value)
    return Cell(shown, str(shown), False, None)


def _suppress(
    true: list[int],
    arcs: list[tuple[int, int]],
    lines: list[tuple[list[int], int]],
    neighbours: dict[int, list[int]],
    cell_ids: list[int],
    policy: Policy,
    fixed: Set[int] = frozenset(),
) -> list[Reason | None]:
    reasons: list[Reason | None] = [PRIMARY if policy.is_small(value) else None for value in true]
    is_cell = set(cell_ids)

    def hideable(candidates) -> list[int]:
        # Prefer hiding a cell to hiding a total (readers want totals), then the smallest count. A fixed
        # value (a margin shared with other tables) is assumed known and is never hidden.
        shown = {index for index in candidates if reasons[index] is None and true[index] > 0
                 and index not in fixed}
        return sorted(shown, key=lambda index: (index not in is_cell, true[index], index))

    def maskable(candidates) -> list[int]:
        # A small count shown as "≤5" tells the reader its upper bound. Five hidden cells of at least
        # 1 each under a total of "≤5" must all be exactly 1, and hiding more can't help: the bound
        # itself has to go, so such a value is shown as "–" instead. Totals first.
        small = {index for index in candidates if reasons[index] == PRIMARY}
        return sorted(small, key=lambda index: (index in is_cell, true[index], index))

    def pick(candidates: list[int]) -> int | None:
        shown = hideable(candidates)
        return shown[0] if shown else None

    while True:
        changed = _apply_line_rule(lines, reasons, pick)
        pinned = _pinned(true, arcs, reasons, policy, fixed=fixed)
        if not pinned:
            if not changed:
                return reasons
            continue
        target = pinned[0]
        everything = range(len(true))
        options = list(
            dict.fromkeys(
                [
                    *hideable(neighbours[target]),
                    *maskable([target, *neighbours[target]]),
                    *hideable(everything),
                    *maskable(everything),
                ]
            )
        )
        if not options:
            # Every count is hidden and no bound is shown; nothing more can be withdrawn.
            return reasons
        # Take the first option, in order of preference, that frees the pinned value on its own; if
        # none does, take the first anyway and let the next round add more.
        chosen = next(
            (option for option in options if _frees(option, target, true, arcs, reasons, policy, fixed)),
            options[0],
        )
        reasons[chosen] = SECONDARY


def _frees(
    option: int,
    target: int,
    true: list[int],
    arcs: list[tuple[int, int]],
    reasons: list[Reason | None],
    policy: Policy,
    fixed: Set[int],
) -> bool:
    trial = list(reasons)
    trial[option] = SECONDARY
    return target not in _pinned(true, arcs, trial, policy, only=target, fixed=fixed)


def _apply_line_rule(
    lines: list[tuple[list[int], int]],
    reasons: list[Reason | None],
    pick,
) -> bool:
    """Hide a second value in every equation that has exactly one hidden value. True if anything changed."""
    changed_any = False
    changed = True
    while changed:
        changed = False
        for members, total in lines:
            group = [*members, total]
            if sum(reasons[index] is not None for index in group) != 1:
                continue
            # Members first (smallest non-zero), the total only when no member can be hidden.
            chosen = pick(members)
            if chosen is None:
                chosen = pick([total])
            if chosen is not None:
                reasons[chosen] = SECONDARY
                changed = changed_any = True
    return changed_any


def _pinned(
    true: list[int],
    arcs: list[tuple[int, int]],
    reasons: list[Reason | None],
    policy: Policy,
    only: int | None = None,
    fixed: Set[int] = frozenset(),
) -> list[int]:
    """Hidden variables whose exact value follows from what is shown (see the module docstring).

    ``only`` restricts the check to one variable; ``fixed`` values are assumed known exactly.
    """
    bounds = [(value, value) if index in fixed else _known_range(value, reason, policy)
              for index, (value, reason) in enumerate(zip(true, reasons, strict=True))]
    # Residual graph of the true table: an arc may carry one more unit if below its upper bound, one
    # less (traversed backwards) if above its lower bound.
    outgoing: dict[int, list[tuple[int, int]]] = {}
    for index, ((tail, head), value, (low, high)) in enumerate(zip(arcs, true, bounds, strict=True)):
        if value < high:
            outgoing.setdefault(tail, []).append((head, index))
        if value > low:
            outgoing.setdefault(head, []).append((tail, index))

    pinned = []
    for index, reason in enumerate(reasons):
        if reason is None or (only is not None and index != only):
            continue
        tail, head = arcs[index]
        low, high = bounds[index]
        can_grow = true[index] < high and _reachable(outgoing, head, tail, index)
        can_shrink = true[index] > low and _reachable(outgoing, tail, head, index)
        if not (can_grow or can_shrink):
            pinned.append(index)
    return pinned


def _known_range(value: int, reason: Reason | None, policy: Policy) -> tuple[int, float]:
    """What an observer who knows the policy, and which kind of hiding each value got, can tell."""
    if reason is None:
        return policy.shown_range(policy.round(value))
    if reason == SECONDARY and value <= policy.threshold:
        # A small count whose "≤5" was withdrawn: only "hidden" is shown, no upper bound.
        return policy.hidden_range(PRIMARY)[0], _UNBOUNDED
    return policy.hidden_range(reason)


def _reachable(outgoing: dict[int, list[tuple[int, int]]], start: int, goal: int, skip: int) -> bool:
    """Breadth-first search in the residual graph, not using arc ``skip`` (the one being tested)."""
    if start == goal:
        return True
    seen = {start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for neighbour, arc in outgoing.get(node, ()):
            if arc == skip or neighbour in seen:
                continue
            if neighbour == goal:
                return True
            seen.add(neighbour)
            queue.append(neighbour)
    return False
