"""CSV and XLSX of exactly the tables shown on screen: the display strings, suppression included.

The dashboard's and the survey's suppressed tables go out through :func:`export_tables` and core's
multi-table files; the observation and survey lists describe their columns once (``core.exports.Column``)
for the page and both files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varna.core.exports import Cell, Column, Table, table_of
from varna.knowledge.vocabulary import Vocabulary
from varna.situation.models import Observation
from varna.situation.selectors import SituationTable


def export_tables(tables: Sequence[SituationTable]) -> list[Table]:
    """The suppressed tables as core.exports tables, for one file with every table under its caption.

    Cells are the display strings shown on the page; a shown count is written as a number so that it can
    be charted, a hidden one stays text ("≤5", "–").
    """
    out = []
    for table in tables:
        header, *body = table.display_rows()
        rows = [[Cell(int(value) if value.isdigit() else value) for value in row] for row in body]
        out.append(Table(title=table.caption, headers=header, rows=rows, key=table.key))
    return out


# --- the observation list --------------------------------------------------------------------------


def observation_columns(*, vocabulary: Vocabulary, description: bool, reporter: bool,
                        synthetic: bool) -> list[Column[Observation]]:
    """The observation list's columns for one reader. Free text and the reporter are only in the columns
    of a role the page shows them to (see ``permissions.can_see_description`` and ``can_see_reporter``).
    Labels come from the municipality's vocabulary, retired entries included."""
    columns: list[Column[Observation]] = [
        Column(gettext_lazy("Date"), lambda o: o.date),
        Column(gettext_lazy("District"), lambda o: o.district.name),
        Column(gettext_lazy("Category"), lambda o: vocabulary.label("category", o.category)),
        Column(gettext_lazy("Milieu"), lambda o: vocabulary.label("milieu", o.milieu)),
        Column(gettext_lazy("People"), lambda o: o.people),
        Column(gettext_lazy("Signs"), lambda o: ", ".join(vocabulary.label("sign", key) for key in o.signs)),
    ]
    if description:
        columns.append(Column(gettext_lazy("Description"), lambda o: o.description))
    if synthetic:
        columns.append(Column(gettext_lazy("Synthetic"), lambda o: o.synthetic))
    if reporter:
        columns.append(Column(gettext_lazy("Reported by"), lambda o: str(o.reported_by) if o.reported_by else "–"))
    return columns


def observation_table(observations: Iterable[Observation], columns: list[Column[Observation]], *,
                      heading: list[str] | None = None) -> Table:
    return table_of(columns, observations, title=_("Observations, newest first"), heading=heading or [])


# --- the survey list -------------------------------------------------------------------------------


def survey_columns(today: dt.date) -> list[Column[Any]]:
    def status(survey: Any) -> str:
        if survey.opens_on > today:
            return _("Not yet open")
        return _("Closed") if survey.closes_on < today else _("Open for answers")

    return [
        Column(gettext_lazy("Title"), lambda s: s.title, link=lambda s: reverse(
            "situation:survey_results", kwargs={"municipality": s.municipality.slug, "pk": s.pk})),
        Column(gettext_lazy("Opens"), lambda s: s.opens_on),
        Column(gettext_lazy("Closes"), lambda s: s.closes_on),
        Column(gettext_lazy("Status"), status),
    ]


def survey_table(surveys: Iterable[Any], *, today: dt.date, heading: list[str] | None = None) -> Table:
    return table_of(survey_columns(today), surveys, title=_("Surveys, newest first"), heading=heading or [])
