"""Case statistics as a section of the annual follow-up report (``VARNA_REPORT_SECTIONS``).

Only counts by status, age band, gender and milieu, from :func:`varna.cases.selectors.case_statistics`,
suppressed with the published policy. Nothing else about a case (no code, no note, no sign) is shown.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from varna.cases import selectors
from varna.cases.models import Case
from varna.report.sections import ReportSection


def statistics_section(municipality: Any, year: int) -> ReportSection | None:
    cases = Case.objects.filter(municipality=municipality, opened_at__year__lte=year).exclude(
        closed_at__year__lt=year)
    if not cases.exists():
        return None
    titles = {"status": _("By status"), "age_band": _("By age band"), "gender": _("By gender"),
              "milieu": _("By milieu")}
    rows = [[str(titles[key]), label, shown]
            for key, counts in selectors.case_statistics(municipality, year=year) for label, shown in counts]
    return ReportSection(
        key="cases", title=_("Case coordination: statistics"),
        paragraphs=[_("Cases in the expert group open at some time during %(year)s, counted by status, age band, "
                      "gender and milieu. Counts from 1 to 7 are shown as “–” and the others are rounded to the "
                      "nearest 5.") % {"year": year}],
        headers=[_("Breakdown"), _("Value"), _("Cases")], rows=rows)
