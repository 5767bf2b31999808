"""The differencing attacker: everything published about the same observations becomes one system of
linear bounds, and a linear program asks, for every hidden cell, how small and how large it can be.

This is written apart from ``varna.disclosure``: it reads only what a reader sees (display strings) and
knows the published rule (1–7 hidden, the rest rounded to the nearest 5). It models the data as the
reader must: every possible combination of term, district, milieu, category, gender and age band is an
unknown count >= 0 (the "cube"), and each displayed figure says something about the sum of the cube cells
it covers:

* a shown number ``v``: 0 means exactly 0; otherwise the true sum is in ``[max(v - 2, 8), v + 2]``;
* a hidden "–": the attacker is told more than the page says, namely why it is hidden (as in
  ``tests/disclosure/test_suppression.py``): a small count (``[1, 7]``), a larger one hidden to protect
  another (``[8, ∞)``), or a small count whose bound was withdrawn (``[1, ∞)``: the page shows the same
  "–" for all three, so this is still more than a reader learns); the worst case is what counts;
* a withheld "..": nothing (``[0, ∞)``).

A hidden value is *pinned* when its least and greatest feasible values are the same integer. The linear
program is a relaxation of the integer problem, so it is an attacker who may use any linear combination
of the published tables (every subtraction of overlapping ranges is one), as the attacker of issue 15 did.

Pure Python (no numpy or scipy here): a dense two-phase simplex with Bland's rule, sized for the small
data sets of the tests.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

INF = math.inf
EPS = 1e-9
THRESHOLD, BASE = 7, 5


def shown_interval(display: str, true: int, reason: str | None = None) -> tuple[float, float]:
    """What the attacker learns from one displayed figure (``reason`` and ``true`` decide only which
    kind of "–" it is)."""
    if display == "..":
        return 0, INF
    if display in {"–", "-"}:
        if reason == "primary":
            return 1, THRESHOLD
        return (THRESHOLD + 1, INF) if true > THRESHOLD else (1, INF)
    value = int(display)
    if value == 0:
        return 0, 0
    return max(value - BASE // 2, THRESHOLD + 1), value + BASE // 2


# --- the linear program --------------------------------------------------------------------------------


class Infeasible(Exception):
    pass


class BoundsLP:
    """``lo <= sum(x[i] for i in members) <= hi`` for each constraint, every ``x >= 0``. After building,
    :meth:`range_of` gives the least and greatest value of any sum of variables."""

    # Complex on purpose: the linear program's set-up, one constraint kind per branch.
    def __init__(self, n: int, constraints: Iterable[tuple[Sequence[int], float, float]]) -> None:  # noqa: C901
        self.n = n
        rows: list[tuple[dict[int, float], float]] = []  # (coefficients, right-hand side), equalities
        slack = n
        for members, lo, hi in constraints:
            coefficients = {int(i): 1.0 for i in members}
            if lo == hi:
                rows.append((coefficients, float(lo)))
                continue
            if hi != INF:
                rows.append(({**coefficients, slack: 1.0}, float(hi)))
                slack += 1
            if lo > 0:
                rows.append(({**coefficients, slack: -1.0}, float(lo)))
                slack += 1
        self.width = slack  # structural + slack columns
        m = len(rows)
        # Phase 1: one artificial per row, minimise their sum.
        columns = slack + m
        tableau = [[0.0] * (columns + 1) for _r in range(m + 1)]
        for r, (coefficients, rhs) in enumerate(rows):
            for j, a in coefficients.items():
                tableau[r][j] = a
            tableau[r][slack + r] = 1.0
            tableau[r][-1] = rhs
        objective = tableau[m]
        for r in range(m):
            row = tableau[r]
            for j in range(slack):
                objective[j] -= row[j]
            objective[-1] -= row[-1]
        basis = [slack + r for r in range(m)]
        _simplex(tableau, basis, columns)
        if -tableau[m][-1] > 1e-7:
            raise Infeasible("the published figures contradict each other")
        # Drive the artificials out of the basis; a row where that is impossible is redundant.
        keep = []
        for r in range(m):
            if basis[r] >= slack:
                pivot_col = next((j for j in range(slack) if abs(tableau[r][j]) > EPS), None)
                if pivot_col is None:
                    continue
                _pivot(tableau, basis, r, pivot_col)
            keep.append(r)
        self.tableau = [tableau[r][:slack] + [tableau[r][-1]] for r in keep]
        self.basis = [basis[r] for r in keep]

    def minimum(self, members: Sequence[int]) -> float:
        costs = [0.0] * self.width
        for i in members:
            costs[i] += 1.0
        return self._optimum(costs)

    def maximum(self, members: Sequence[int]) -> float:
        costs = [0.0] * self.width
        for i in members:
            costs[i] -= 1.0
        return -self._optimum(costs)

    def range_of(self, members: Sequence[int]) -> tuple[float, float]:
        return self.minimum(members), self.maximum(members)

    def _optimum(self, costs: list[float]) -> float:
        tableau = [list(row) for row in self.tableau]
        basis = list(self.basis)
        reduced = [*costs, 0.0]
        for r, variable in enumerate(basis):
            c = costs[variable]
            if c:
                row = tableau[r]
                for j in range(len(reduced)):
                    reduced[j] -= c * row[j]
        tableau.append(reduced)
        if not _simplex(tableau, basis, self.width):
            return -INF
        return -tableau[-1][-1]


def _pivot(tableau: list[list[float]], basis: list[int], r: int, j: int) -> None:
    row = tableau[r]
    p = row[j]
    if p != 1.0:
        row[:] = [a / p for a in row]
    for k, other in enumerate(tableau):
        if k != r:
            f = other[j]
            if abs(f) > EPS:
                other[:] = [a - f * b for a, b in zip(other, row, strict=True)]
    basis[r] = j


def _simplex(tableau: list[list[float]], basis: list[int], columns: int) -> bool:
    """Minimise the last row in place (Bland's rule, so it cannot cycle). False if unbounded."""
    m = len(tableau) - 1
    objective = tableau[m]
    while True:
        entering = next((j for j in range(columns) if objective[j] < -EPS), None)
        if entering is None:
            return True
        best, leaving = INF, None
        for r in range(m):
            a = tableau[r][entering]
            if a > EPS:
                ratio = tableau[r][-1] / a
                if ratio < best - EPS or (abs(ratio - best) <= EPS and leaving is not None
                                          and basis[r] < basis[leaving]):
                    best, leaving = ratio, r
        if leaving is None:
            return False
        _pivot(tableau, basis, leaving, entering)
        objective = tableau[m]


# --- the cube and what is published about it -----------------------------------------------------------


@dataclass
class Figure:
    """One displayed figure: the cube cells it adds up, what it shows and the truth (for the verdict)."""

    where: str
    cells: frozenset[tuple]
    display: str
    true: int
    reason: str | None = None  # why a "–" is hidden: "primary" or "secondary"


@dataclass
class Verdict:
    hidden: int = 0
    pinned: list[tuple[str, int, float, float]] = field(default_factory=list)
    narrowest: float = INF  # the smallest (max - min) over hidden small counts (true 1–7)

    def merge(self, other: Verdict) -> None:
        self.hidden += other.hidden
        self.pinned += other.pinned
        self.narrowest = min(self.narrowest, other.narrowest)


# Complex on purpose: the attacker's steps in order, as the docstring describes them.
def attack(figures: Sequence[Figure]) -> Verdict:  # noqa: C901
    """Bound every hidden figure given all the figures; pinned ones are listed."""
    # Cube cells that a figure shown as exactly 0 covers are 0: drop them from the unknowns.
    zero = set()
    for figure in figures:
        if shown_interval(figure.display, figure.true, figure.reason) == (0, 0):
            zero |= figure.cells
    cells = sorted({cell for figure in figures for cell in figure.cells} - zero)
    index = {cell: i for i, cell in enumerate(cells)}
    constraints: dict[frozenset[int], tuple[float, float]] = {}
    for figure in figures:
        members = frozenset(index[c] for c in figure.cells if c in index)
        lo, hi = shown_interval(figure.display, figure.true, figure.reason)
        if not members:
            continue
        old_lo, old_hi = constraints.get(members, (0, INF))
        constraints[members] = (max(lo, old_lo), min(hi, old_hi))
    useful = {m: bounds for m, bounds in constraints.items() if bounds != (0, INF)}
    # Figures of different terms share no observation: solve each connected group of unknowns apart.
    parent = list(range(len(cells)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for members in useful:
        first, *rest = members
        for other in rest:
            parent[find(other)] = find(first)
    groups: dict[int, list[frozenset[int]]] = {}
    for members in useful:
        groups.setdefault(find(next(iter(members))), []).append(members)
    programs: dict[int, tuple[BoundsLP, dict[int, int]]] = {}
    for root, group in groups.items():
        variables = sorted({i for members in group for i in members})
        local = {i: k for k, i in enumerate(variables)}
        programs[root] = (BoundsLP(len(variables), [([local[i] for i in m], *useful[m]) for m in group]), local)
    verdict = Verdict()
    seen: set[frozenset[int]] = set()
    for figure in figures:
        if figure.display not in {"–", "-", ".."} or figure.true == 0:
            continue
        members = frozenset(index[c] for c in figure.cells if c in index)
        if members in seen:
            continue
        seen.add(members)
        verdict.hidden += 1
        if not members:
            verdict.pinned.append((figure.where, figure.true, 0, 0))
            continue
        roots = {find(i) for i in members}
        if len(roots) > 1 or next(iter(roots)) not in programs:
            continue  # only a withheld figure spans unrelated groups: nothing bounds it from above
        lp, local = programs[next(iter(roots))]
        lo, hi = lp.range_of([local[i] for i in members])
        if math.floor(hi + 1e-6) <= math.ceil(lo - 1e-6):
            verdict.pinned.append((figure.where, figure.true, lo, hi))
        if figure.true <= THRESHOLD:
            verdict.narrowest = min(verdict.narrowest, hi - lo)
    return verdict
