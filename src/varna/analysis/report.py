"""The analysis in the annual report (the ``report_sections`` hook): each problem's indicators against baseline and
target over the year's two terms, with the measures that answer it. "Did it get better?"

The figures are the indicators' own: each term's published cell (no total over the year, which minus one
term's figure would give the other's; ADR 0016), survey shares from published counts, completion from
follow-up, external figures with their source.
"""

from __future__ import annotations

from typing import Any

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from varna.analysis import charts, selectors
from varna.analysis.models import Analysis, ProblemStatement
from varna.core.plugins import ReportSection


def indicators_section(municipality: Any, year: int) -> ReportSection | None:
    problems = list(ProblemStatement.objects.filter(analysis__municipality=municipality, indicators__isnull=False)
                    .select_related("analysis").distinct().order_by("analysis__period_to", "order", "id"))
    if not problems:
        return None
    names = selectors.activity_names(municipality)
    terms = (f"{year}-1", f"{year}-2")
    rows, svgs, caveat = [], [], False
    for problem in problems:
        title = problem.title if problem.analysis.status == Analysis.Status.APPROVED else \
            f"{problem.title} ({_('draft')})"
        measures = "; ".join(names.get((link.plan_id, link.activity_key), link.activity_key)
                             for link in selectors.links_of(problem)) or _("No measure yet")
        for indicator in problem.indicators.all():
            view = selectors.indicator_view(indicator, until=terms[1])
            by_period = {p.period: p.display for p in view.points}
            if indicator.kind == indicator.Kind.EXTERNAL:
                values = [by_period.get(str(year), ".."), ""]
            else:
                values = [by_period.get(t, "..") for t in terms]
            caveat = caveat or bool(view.caveat)
            rows.append([title, indicator.name, selectors.format_number(view.baseline)
                         + f" ({indicator.baseline_term})", *values,
                         selectors.format_number(view.target) if view.target is not None else "–",
                         view.verdict, measures, view.source])
            svgs.append(charts.indicator_chart(view))
    headers = [_("Problem"), _("Indicator"), _("Baseline"), _("Spring %(year)s") % {"year": year},
               _("Autumn %(year)s") % {"year": year}, _("Target"), _("Did it get better?"),
               _("Measures in the plan"), _("Source")]
    paragraphs = [_("The problems of the working group's analysis, the indicators that follow them term by "
                    "term, and the measures of the plan that answer them.")]
    if caveat:
        paragraphs.append(_("Counts from 1 to 7 are hidden (–) and the others are rounded to the nearest 5, so a "
                            "change smaller than 5 may be rounding alone; each term is published on its own, so "
                            "there is no total over the year."))
    # Each chart is escaped SVG from charts.indicator_chart.
    chart = mark_safe("".join(svgs))  # noqa: S308 # nosec B308, B703
    return ReportSection(order=30, key="analysis", title=_("Problems, measures and indicators"), paragraphs=paragraphs,
                         headers=headers, rows=rows, chart=chart)
