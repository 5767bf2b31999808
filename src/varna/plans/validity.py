"""Which version of a plan is in force on a day. Pure Python, no Django.

A version carries `valid_from`, an optional `valid_to` and the day it was adopted (`adopted_on`). The rules:

- Nothing is in force before it was adopted: a version starts on the later of `valid_from` and `adopted_on`.
  So a version adopted after a term can never change what that term expected, whatever `valid_from` says.
- A version without `valid_from` starts on its adoption day; one never adopted (a draft) is never in force.
- A later version (higher number) closes every earlier one from its own start, for good: the earlier
  version ends the day before, or on its own `valid_to` if that comes first. A version whose whole span
  is covered by a later one is never in force.
- So every day has at most one version in force per plan, and a day after the last `valid_to` has none.

`parts(versions, start, end)` cuts a period (a term) into the spans of the versions in force during it;
follow-up weighs each part by its share of the term (ADR 0013).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Validity:
    """What the rules need to know of one version: its number and three dates."""

    number: int
    valid_from: dt.date | None
    valid_to: dt.date | None = None
    adopted_on: dt.date | None = None

    @property
    def start(self) -> dt.date | None:
        """The first day this version can be in force: neither before it applies nor before it was adopted."""
        if self.adopted_on is None:
            return None
        return self.adopted_on if self.valid_from is None else max(self.valid_from, self.adopted_on)


@dataclass(frozen=True)
class Span:
    """Version `number` is in force from `start` to `end`, both days included."""

    number: int
    start: dt.date
    end: dt.date | None  # None: until further notice

    def contains(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def days_within(self, start: dt.date, end: dt.date) -> int:
        """How many days of `start`–`end` (both included) this span covers."""
        first = max(self.start, start)
        last = end if self.end is None else min(self.end, end)
        return max((last - first).days + 1, 0)


def spans(versions: Iterable[Validity]) -> list[Span]:
    """The spans in force, in order of time. They never overlap (see the module docstring)."""
    ordered = sorted(versions, key=lambda v: v.number)
    result: list[Span] = []
    closed_from: dt.date | None = None  # the earliest start of any later version seen so far
    for version in reversed(ordered):
        start = version.start
        if start is None:
            continue
        end = version.valid_to
        if closed_from is not None:
            cut = closed_from - _ONE_DAY
            end = cut if end is None else min(end, cut)
        if end is None or end >= start:
            result.append(Span(version.number, start, end))
        closed_from = start if closed_from is None else min(closed_from, start)
    return sorted(result, key=lambda s: s.start)


def in_force(versions: Iterable[Validity], day: dt.date) -> int | None:
    """The number of the version in force on `day`, or None."""
    for span in spans(versions):
        if span.contains(day):
            return span.number
    return None


def parts(versions: Iterable[Validity], start: dt.date, end: dt.date) -> list[Span]:
    """The versions in force during `start`–`end`, each clipped to the period, in order of time."""
    result = []
    for span in spans(versions):
        if span.days_within(start, end) > 0:
            last = end if span.end is None else min(span.end, end)
            result.append(Span(span.number, max(span.start, start), last))
    return result


def next_start(versions: Iterable[Validity], day: dt.date) -> Span | None:
    """The first span that starts after `day`: an adopted version that is not yet in force."""
    return next((s for s in spans(versions) if s.start > day), None)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it is shorter (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return min(day.replace(year=year, month=month, day=1) + dt.timedelta(days=day.day - 1),
               following - _ONE_DAY)


def review_due(adopted_on: dt.date, interval_months: int) -> dt.date:
    """When the version adopted on `adopted_on` is to be revised, every `interval_months`."""
    return add_months(adopted_on, interval_months)
