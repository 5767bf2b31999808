"""The lägesbild document: the analysis with every figure it cites, as HTML, PDF and Word.

Everything in it is what the analysis page shows: evidence from the published catalogue (one whole term per
table), survey results in the published profile, external figures with their source, indicators per term.
The document goes to the municipal board and becomes a public record, so nothing internal goes in.
"""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _

from varna.analysis import charts, selectors
from varna.analysis.models import Analysis
from varna.core.models import Municipality
from varna.core.pdf import render_pdf


def problem_views(municipality: Municipality, analysis: Analysis) -> list[dict[str, Any]]:
    """Each problem with its evidence (figures fetched afresh), its measures and its indicators."""
    names = selectors.activity_names(municipality)
    result = []
    for problem in selectors.problems_of(analysis):
        indicators = [selectors.indicator_view(i) for i in problem.indicators.all()]
        result.append({
            "problem": problem,
            "evidence": [selectors.evidence_view(municipality, e) for e in problem.evidence.all()],
            "links": [(link, names.get((link.plan_id, link.activity_key), link.activity_key))
                      for link in selectors.links_of(problem)],
            "indicators": [(view, charts.indicator_chart(view)) for view in indicators]})
    return result


def context(municipality: Municipality, analysis: Analysis) -> dict[str, Any]:
    return {"analysis": analysis, "municipality": municipality, "problems": problem_views(municipality, analysis)}


def pdf(request: HttpRequest, municipality: Municipality, analysis: Analysis) -> bytes:
    # The document goes to the board in Swedish, whatever the reader's interface language.
    return render_pdf("analysis/document_pdf.html", context(municipality, analysis), request=request, language="sv")


def _table(document: Any, headers: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


def docx(municipality: Municipality, analysis: Analysis) -> bytes:
    """The same document as an editable Word file (python-docx, as the annual report), in Swedish."""
    from docx import Document

    with translation.override("sv"):
        data = context(municipality, analysis)
        document = Document()
        document.core_properties.title = analysis.title
        document.core_properties.author = municipality.name
        document.add_heading(analysis.title, level=0)
        document.add_paragraph(_("%(municipality)s – situation picture and analysis, %(first)s to %(last)s")
                               % {"municipality": municipality.name, "first": analysis.period_from,
                                  "last": analysis.period_to})
        if analysis.decision_text:
            document.add_paragraph(_("Approved: %(decision)s") % {"decision": analysis.decision_text})
        if analysis.summary:
            document.add_paragraph(analysis.summary)
        for item in data["problems"]:
            problem = item["problem"]
            document.add_heading(problem.title, level=1)
            document.add_paragraph(problem.what)
            facts = [(_("Where"), problem.where), (_("Who is affected"), problem.who),
                     (_("Since when"), problem.since), (_("How sure"), problem.get_certainty_display())]
            _table(document, [_("Question"), _("Answer")], [[str(k), str(v)] for k, v in facts if v])
            document.add_heading(_("Evidence"), level=2)
            for view in item["evidence"]:
                document.add_paragraph(f"{view.label} ({view.source})" + (f": {view.evidence.note}"
                                                                         if view.evidence.note else ""))
                if view.table is not None:
                    lines = view.table.display_rows()
                    _table(document, lines[0], lines[1:])
                for line in view.lines:
                    document.add_paragraph(line)
            if item["links"]:
                document.add_heading(_("Measures in the plan"), level=2)
                for link, name in item["links"]:
                    document.add_paragraph(f"{link.plan.title}: {name}", style="List Bullet")
            for view, _chart in item["indicators"]:
                document.add_heading(view.indicator.name, level=2)
                _table(document, [_("Term"), _("Value")], [[p.label, p.display] for p in view.points])
                document.add_paragraph(view.verdict)
                if view.caveat:
                    document.add_paragraph(view.caveat)
                document.add_paragraph(_("Source: %(source)s") % {"source": view.source})
        buffer = io.BytesIO()
        document.save(buffer)
    return buffer.getvalue()
