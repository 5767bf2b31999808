"""The situation picture over a year, as a section of the annual follow-up report (``VARNA_REPORT_SECTIONS``).

The annual report goes to the steering group and becomes a public record, so the figures pass through
:func:`varna.situation.selectors.situation_tables` with the ``PUBLISHED`` policy (1–7 hidden, the rest
rounded to 5); the chart is drawn from the same suppressed table.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from varna.report.sections import ReportSection
from varna.situation import charts, selectors
from varna.situation.suppression import PUBLISHED


def year_section(municipality: Any, year: int) -> ReportSection | None:
    filters = selectors.Filters(terms=(f"{year}-1", f"{year}-2"))
    if not filters.apply(selectors.observations_of(municipality)).exists():
        return None
    spec = selectors.TableSpec("situation-year", _("People involved per category over the year, by term"),
                               "category", ("term",))
    table = selectors.situation_tables(municipality=municipality, filters=filters, policy=PUBLISHED,
                                       specs=[spec])[0]
    desc = _("Bar chart of the table below. Counts up to 7 are not shown and the others are rounded to 5.")
    lines = table.display_rows()
    return ReportSection(
        key="situation", title=_("Situation picture over the year"),
        paragraphs=[_("People involved in the observations of the situation picture during %(year)s, per "
                      "category and term. Counts from 1 to 7 are shown as “–” and the others are rounded to "
                      "the nearest 5, so totals need not equal the sum of the rows.") % {"year": year}],
        headers=lines[0], rows=lines[1:], chart=charts.bar_chart(table, desc))
