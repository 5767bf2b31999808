"""The note each page with figures shows once, saying how its figures are protected, true to the profile
the page uses. One text per profile, so that every page says the same about the same rule.

* :func:`protection_note` for a profile of :mod:`varna.disclosure.suppression`; ``catalogue=True`` (the
  default for ``PUBLISHED``) when the page's figures come from the catalogue of whole terms, with
  ``period="year"`` when they come from the catalogue of whole years (the case statistics).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from varna.disclosure.suppression import INTERNAL, Policy

__all__ = ["protection_note"]


def protection_note(policy: Policy, *, catalogue: bool = True, period: str = "term") -> str:
    """What the page's figures went through, in the active language."""
    if policy is INTERNAL:
        return _("Counts from 1 to 5 are shown as ≤5; “–” hides a further count so that a hidden one can't "
                 "be worked out from the totals.")
    if not catalogue:
        return _("Counts from 1 to 7 are hidden (–) and other counts are rounded to the nearest 5; a further "
                 "count is hidden where a hidden one could be worked out from the totals, so a total need not "
                 "equal the sum of its rows.")
    if period == "year":
        return _("Published figures are made for one whole year at a time, by the year a case was opened, so "
                 "that no list can be subtracted from another: counts from 1 to 7 are hidden (–), other counts are "
                 "rounded to the nearest 5, a further count is hidden where a hidden one could be worked out, and "
                 "“..” marks a figure that is not published (the lists of a year with few cases).")
    return _("Published figures are made for one whole term at a time, with no other filter, so that no table "
             "can be subtracted from another: counts from 1 to 7 are hidden (–), other counts are rounded to the "
             "nearest 5, a further count is hidden where a hidden one could be worked out, and “..” marks a "
             "figure that is not published (the split by gender of a term with few people of one gender, or a "
             "total over several terms).")
