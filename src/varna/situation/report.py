"""The situation picture over a year, as a section of the annual follow-up report (the ``report_sections`` hook).

The annual report goes to the steering group and becomes a public record, so the figures pass through
:func:`varna.situation.selectors.situation_tables` with the ``PUBLISHED`` policy (1–7 hidden, the rest
rounded to 5); the chart is drawn from the same suppressed table.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from varna.core.plugins import ReportSection
from varna.core.terms import term_label
from varna.disclosure.suppression import PUBLISHED, withheld
from varna.situation import charts, selectors


def year_section(municipality: Any, year: int) -> ReportSection | None:
    terms = (f"{year}-1", f"{year}-2")
    if not selectors.Filters(terms=terms).apply(selectors.observations_of(municipality)).exists():
        return None
    # Each term from the published catalogue, side by side; no total over the year, since a year's total
    # minus the autumn's published figure would give the spring's (ADR 0016).
    _summary, tables = selectors.published_report(municipality=municipality, terms=terms, policy=PUBLISHED)
    by_term = [next(t for t in tables if t.key == f"category-{term}") for term in terms]
    labels = [term_label(term) for term in terms]
    table = selectors.SituationTable(
        key="situation-year", caption=_("People involved per category over the year, by term"),
        row_header=by_term[0].row_header, columns=list(zip(terms, labels, strict=True)),
        rows=[selectors.TableRow(row.key, row.label, [t.rows[i].total for t in by_term], withheld())
              for i, row in enumerate(by_term[0].rows)],
        column_totals=[t.grand_total for t in by_term], grand_total=withheld(), policy=PUBLISHED)
    desc = _("Bar chart of the table below. Counts up to 7 are not shown and the others are rounded to 5.")
    lines = table.display_rows()
    return ReportSection(
        order=10,
        key="situation", title=_("Situation picture over the year"),
        paragraphs=[_("People involved in the observations of the situation picture during %(year)s, per "
                      "category and term. Counts from 1 to 7 are shown as “–” and the others are rounded to "
                      "the nearest 5. Each term is published on its own, so there is no total over the year "
                      "(“..”).") % {"year": year}],
        headers=lines[0], rows=lines[1:], chart=charts.bar_chart(table, desc))
