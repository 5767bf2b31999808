"""Small-count suppression for counts that leave the system in the report. Pure Python.

Cells of 1–5 are hidden ("≤5"). If exactly one cell of a group that has a visible total is hidden, the
next smallest non-zero cell is hidden too, so that the hidden one can't be found by subtraction.
"""

from __future__ import annotations

HIDDEN = "≤5"


def suppress_group(values: list[int]) -> list[str]:
    hidden = [1 <= v <= 5 for v in values]
    if sum(hidden) == 1:
        candidates = [(v, i) for i, v in enumerate(values) if v > 0 and not hidden[i]]
        if candidates:
            hidden[min(candidates)[1]] = True
    return [HIDDEN if h else str(v) for v, h in zip(values, hidden, strict=True)]
