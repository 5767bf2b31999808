"""Small-count suppression for case statistics. Pure Python, no Django.

This branch has no shared ``varna.situation.suppression`` module yet; when it arrives, case statistics
should switch to it so that every aggregate follows one rule. The rule here is the house rule: counts of
1–5 are hidden ("≤5"); when exactly one cell of a table is hidden, the smallest other non-zero cell is
hidden too, so that the hidden value cannot be worked out from the total.
"""

from __future__ import annotations

from collections.abc import Sequence

THRESHOLD = 5
HIDDEN = "≤5"


def suppress_counts(cells: Sequence[tuple[str, int]], threshold: int = THRESHOLD) -> list[tuple[str, str]]:
    hidden = {i for i, (_label, n) in enumerate(cells) if 0 < n <= threshold}
    if len(hidden) == 1:
        rest = [(n, i) for i, (_label, n) in enumerate(cells) if i not in hidden and n > 0]
        if rest:
            hidden.add(min(rest)[1])
    return [(label, HIDDEN if i in hidden else str(n)) for i, (label, n) in enumerate(cells)]


def suppressed_total(cells: Sequence[tuple[str, int]], threshold: int = THRESHOLD) -> str:
    total = sum(n for _label, n in cells)
    return HIDDEN if 0 < total <= threshold else str(total)
