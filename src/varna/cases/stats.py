"""Small-count suppression for case statistics, through the one shared disclosure policy.

Case statistics go to the steering group and into the annual report, which becomes a public record,
so they use the *published* profile of `varna.situation.suppression` (counts up to 7 hidden, the rest
rounded to 5, secondary suppression against the total).
"""

from __future__ import annotations

from collections.abc import Sequence

from varna.situation.suppression import PUBLISHED, Policy, suppress_series


def suppress_counts(cells: Sequence[tuple[str, int]], policy: Policy = PUBLISHED) -> list[tuple[str, str]]:
    """(label, count) pairs → (label, what may be shown)."""
    series = suppress_series([count for _label, count in cells], policy)
    return [(label, cell.display) for (label, _count), cell in zip(cells, series.cells, strict=True)]
