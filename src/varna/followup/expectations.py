"""From a cadence and a term to the number of occurrences expected. Pure Python, no Django.

Terms are `varna.core.terms.Term` (the Swedish school calendar: an autumn term, then a spring term).

How each cadence becomes expected occurrences:

- ``per_term(n)``: n in every term.
- ``per_year(n)``: spread over the school year; the autumn term gets ceil(n/2), the spring term
  floor(n/2), so an odd count puts the extra occurrence first and a once-a-year activity is due by
  Christmas. The year's total is n.
- ``continuous``: at least ``continuous_minimum`` logged occurrences per term (one by default).
- ``per_curriculum``: one confirmation per school year, counted in the autumn term.
- ``when_needed`` and ``on_request``: none expected; logged occurrences are still counted and shown.

Year-based cadences (``per_year``, ``per_curriculum``) are judged cumulatively over the school year:
an activity done early in the school year still counts when a later term asks (`window`).

A term split by a plan revision (ADR 0013) is judged part by part: each `Part` is a stretch of days with
the cadence of the version in force then, and it owes its cadence's occurrences times its share of the
term's days (`expected_over_parts`). A part of the whole term owes exactly what the cadence says.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from varna.core.terms import Term
from varna.plans.cadence import Cadence, CadenceKind


def expected_occurrences(cadence: Cadence, term: Term, *, continuous_minimum: int = 1) -> int:
    """How many logged occurrences `cadence` promises in `term` (see the module docstring)."""
    kind = cadence.kind
    if kind == CadenceKind.PER_TERM:
        return cadence.count or 0
    if kind == CadenceKind.PER_YEAR:
        count = cadence.count or 0
        return math.ceil(count / 2) if term.is_autumn else count // 2
    if kind == CadenceKind.CONTINUOUS:
        return continuous_minimum
    if kind == CadenceKind.PER_CURRICULUM:
        return 1 if term.is_autumn else 0
    return 0  # when_needed, on_request


def is_year_based(cadence: Cadence) -> bool:
    return cadence.kind in (CadenceKind.PER_YEAR, CadenceKind.PER_CURRICULUM)


def window(cadence: Cadence, term: Term) -> tuple[Term, ...]:
    """The terms whose logged occurrences count towards `term`.

    Term-based cadences count only the term itself; year-based ones count the school year up to and
    including the term, so that what was done in the autumn still counts in the spring.
    """
    if is_year_based(cadence):
        autumn, spring = Term.school_year_terms(term.school_year)
        return (autumn,) if term == autumn else (autumn, spring)
    return (term,)


def expected_in_window(cadence: Cadence, term: Term, *, continuous_minimum: int = 1) -> int:
    """Expected occurrences over `window(cadence, term)`: what must be done by the end of `term`."""
    return sum(expected_occurrences(cadence, t, continuous_minimum=continuous_minimum)
               for t in window(cadence, term))


class Status(StrEnum):
    DONE = "done"
    PARTLY = "partly"
    NOT_STARTED = "not_started"
    NOT_EXPECTED = "not_expected"


def status_of(expected: int, done: int) -> Status:
    if expected <= 0:
        return Status.NOT_EXPECTED
    if done >= expected:
        return Status.DONE
    return Status.PARTLY if done > 0 else Status.NOT_STARTED


def due_by(expected: int, term: Term, today: dt.date) -> int:
    """How many of `expected` should have happened by `today`, pro rata over the term.

    Before the term: none; after it: all; during it: the elapsed share, rounded down, so that
    "twice per term" is behind only once the first half of the term has passed without a meeting.
    """
    if today < term.start:
        return 0
    if today > term.end:
        return expected
    elapsed = (today - term.start).days + 1
    length = (term.end - term.start).days + 1
    return math.floor(expected * elapsed / length)


def is_overdue(expected: int, done: int, term: Term, today: dt.date) -> bool:
    """Overdue: the term has passed with too few occurrences, or it is current and behind schedule."""
    return done < due_by(expected, term, today)


def is_due(expected: int, done: int, term: Term, today: dt.date) -> bool:
    """Still open in the current term but not (yet) overdue: worth a friendly reminder."""
    return term.contains(today) and done < expected and not is_overdue(expected, done, term, today)


def owed_by(cadence: Cadence, term: Term, today: dt.date, *, continuous_minimum: int = 1) -> int:
    """How many occurrences should have been logged by `today` for `term`, over its window, pro rata."""
    return sum(due_by(expected_occurrences(cadence, t, continuous_minimum=continuous_minimum), t, today)
               for t in window(cadence, term))


@dataclass(frozen=True)
class Part:
    """Days `start`–`end` (both included) of `term` during which `cadence` applied."""

    term: Term
    cadence: Cadence
    start: dt.date
    end: dt.date

    def share(self, until: dt.date | None = None) -> Fraction:
        """The part's share of its term's days, counting only days up to `until` if given."""
        last = self.end if until is None else min(self.end, until)
        days = max((last - max(self.start, self.term.start)).days + 1, 0)
        length = (self.term.end - self.term.start).days + 1
        return Fraction(days, length)


def _round_half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def expected_over_parts(parts: Iterable[Part], *, continuous_minimum: int = 1) -> int:
    """Occurrences owed by the parts together: each part's cadence times its share, rounded half up once."""
    total = sum((expected_occurrences(p.cadence, p.term, continuous_minimum=continuous_minimum) * p.share()
                 for p in parts), Fraction(0))
    return _round_half_up(total)


def owed_over_parts(parts: Iterable[Part], today: dt.date, *, continuous_minimum: int = 1) -> int:
    """How many of `expected_over_parts` should have happened by `today`, pro rata by day (rounded down)."""
    parts = list(parts)
    owed = sum((expected_occurrences(p.cadence, p.term, continuous_minimum=continuous_minimum) * p.share(today)
                for p in parts), Fraction(0))
    return min(math.floor(owed), expected_over_parts(parts, continuous_minimum=continuous_minimum))
