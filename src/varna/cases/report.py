"""Case statistics as a section of the annual follow-up report (the ``report_sections`` hook).

Only the cases opened during the year, counted by status, age band, gender and milieu: the same cells as
the statistics page's column for that year (:func:`varna.cases.selectors.case_statistics`).
Nothing else about a case (no code, no note, no sign) is shown.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from varna.cases import selectors
from varna.cases.models import Case
from varna.core.plugins import ReportSection


def statistics_section(municipality: Any, year: int) -> ReportSection | None:
    if not Case.objects.filter(municipality=municipality, opened_at__year=year).exists():
        return None
    titles = {"status": _("By status"), "age_band": _("By age band"), "gender": _("By gender"),
              "milieu": _("By milieu")}
    total, lists = selectors.case_statistics(municipality, year=year)
    rows = [[str(titles[key]), label, shown] for key, counts in lists for label, shown in counts]
    rows.append([_("All cases opened"), "", total])
    return ReportSection(
        order=20,
        key="cases", title=_("Case coordination: statistics"),
        paragraphs=[_("Cases in the expert group opened during %(year)s, counted by status, age band, gender and "
                      "milieu (the same figures as the case statistics for that year). Counts from 1 to 7 are "
                      "shown as “–”, the others are rounded to the nearest 5, a further count is hidden where a "
                      "hidden one could be worked out, and “..” marks a year with too few cases to break down.")
                    % {"year": year}],
        headers=[_("Breakdown"), _("Value"), _("Cases")], rows=rows)
