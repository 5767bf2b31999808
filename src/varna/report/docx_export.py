"""The annual report as an editable Word document (python-docx), in Swedish like the PDF."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from varna.followup.exports import STATUS_LABELS
from varna.report.selectors import AnnualReport

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument


def _percent(value: int | None) -> str:
    return "–" if value is None else str(value)

def _table(document: DocxDocument, headers: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


# Complex on purpose: the document's sections in reading order, each an optional block.
def build(report: AnnualReport) -> bytes:  # noqa: C901
    from docx import Document

    document = Document()
    document.core_properties.title = _("Annual follow-up %(year)s") % {"year": report.year}
    document.core_properties.author = report.municipality.name
    document.add_heading(_("Annual follow-up %(year)s") % {"year": report.year}, level=0)
    document.add_paragraph(_("%(municipality)s – the action plan against violent extremism, for the steering "
                             "group.") % {"municipality": report.municipality.name})

    document.add_heading(_("Expected and done per level and activity"), level=1)
    for section in report.plans:
        document.add_heading(section.plan.title, level=2)
        document.add_paragraph(_("Versions in force during the year") + ": " + ", ".join(
            _("version %(n)s (%(a)s – %(b)s)") % {"n": version.number, "a": span.start.isoformat(),
                                                  "b": span.end.isoformat() if span.end else ""}
            for version, span in section.versions))
        for level in section.levels:
            document.add_heading(level.name, level=3)
            rows = []
            for activity in level.activities:
                for line in activity.units:
                    rows.append([activity.direction, activity.cadence,
                                 line.unit.name if line.unit else _("The whole municipality"),
                                 str(line.expected), str(line.done), str(STATUS_LABELS[line.status])])
            _table(document, [_("Activity"), _("How often"), _("Unit"), _("Expected"), _("Done"), _("Status")],
                   rows)

    document.add_heading(_("Meetings and decisions"), level=1)
    document.add_paragraph(_("%(m)s working-group meetings held, %(d)s decisions.") % {
        "m": len(report.meetings), "d": report.decisions})
    for meeting in report.meetings:
        document.add_paragraph(f"{meeting.starts_at:%Y-%m-%d} {meeting.title}", style="List Bullet")
        for decision in meeting.decisions.all():
            document.add_paragraph(decision.text, style="List Bullet 2")

    document.add_heading(_("Training"), level=1)
    document.add_paragraph(_("%(e)s trainings, %(p)s participants (%(by_gender)s).") % {
        "e": report.training_totals["events"], "p": report.training_participants,
        "by_gender": report.training_by_gender})
    _table(document, [_("Unit"), *[t.label for t in report.terms], _("Participants per staff (%)")],
           [[row.organisation.name if row.organisation else _("No organisation"),
             *[str(row.by_term.get(t.key, 0)) for t in report.terms], _percent(row.share)]
            for row in report.training_coverage])

    document.add_heading(_("Implementation"), level=1)
    rounds = [(section.plan, line) for section in report.plans for line in section.rounds]
    for plan, round_line in rounds:
        document.add_heading(plan.title, level=2)
        document.add_paragraph(_("Plan version %(n)s, sent out %(d)s.") % {
            "n": round_line.round.version.number, "d": f"{round_line.round.started_at:%Y-%m-%d}"})
        _table(document, [_("Unit"), _("Manager confirmed"), _("Employees acknowledged"), _("Share of staff (%)")],
               [[row.organisation.name,
                 row.confirmation.confirmed_at.strftime("%Y-%m-%d") if row.confirmation else _("Not yet"),
                 f"{row.acknowledged} / {row.employees}" if row.employees else "–", _percent(row.share_of_staff)]
                for row in round_line.coverage])
    if not rounds:
        document.add_paragraph(_("No plan version has been approved yet."))

    for extra in report.extra:
        document.add_heading(extra.title, level=1)
        for paragraph in extra.paragraphs:
            document.add_paragraph(paragraph)
        if extra.rows:
            _table(document, extra.headers, extra.rows)
    if not report.extra:
        document.add_heading(_("Situation picture"), level=1)
        document.add_paragraph(_("No observations were recorded in the situation picture during %(year)s, so this "
                                 "report has no figures from it.") % {"year": report.year})

    document.add_heading(_("Self-assessment against the twelve recommendations"), level=1)
    for rec in report.recommendations:
        document.add_heading(f"{rec.number}. {rec.text}", level=3)
        score = rec.assessment.get_score_display() if rec.assessment and rec.assessment.score is not None \
            else _("Not assessed")
        document.add_paragraph(_("Score: %(score)s") % {"score": score})
        if rec.assessment and rec.assessment.comment:
            document.add_paragraph(rec.assessment.comment)
        if rec.assessment and rec.assessment.evidence:
            document.add_paragraph(rec.assessment.evidence)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
