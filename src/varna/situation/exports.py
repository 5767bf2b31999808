"""CSV and XLSX of exactly the tables shown on screen: the display strings, suppression included.

The dashboard's suppressed tables use :func:`tables_csv` and :func:`tables_xlsx`; the observation and
survey lists describe their columns once (``core.exports.Column``) for the page and both files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varna.core.exports import Column, Table, table_of
from varna.situation.choices import SIGNS
from varna.situation.models import Observation
from varna.situation.selectors import SituationTable


def tables_csv(tables: Sequence[SituationTable], heading: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in heading:
        writer.writerow([line])
    for table in tables:
        writer.writerow([])
        writer.writerow([table.caption])
        writer.writerows(table.display_rows())
    return out.getvalue().encode("utf-8-sig")


def tables_xlsx(tables: Sequence[SituationTable], heading: list[str]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    about = workbook.active
    about.title = "info"
    for line in heading:
        about.append([line])
    for table in tables:
        sheet = workbook.create_sheet(table.key[:31])
        sheet.append([table.caption])
        for row in table.display_rows():
            # Shown counts as numbers so they can be charted; hidden ones stay text ("≤5", "–").
            sheet.append([int(v) if isinstance(v, str) and v.isdigit() else v for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- the observation list --------------------------------------------------------------------------


def observation_columns(*, description: bool, reporter: bool, synthetic: bool) -> list[Column[Observation]]:
    """The observation list's columns for one reader. Free text and the reporter are only in the columns
    of a role the page shows them to (see ``permissions.can_see_description`` and ``can_see_reporter``)."""
    columns: list[Column[Observation]] = [
        Column(gettext_lazy("Date"), lambda o: o.date),
        Column(gettext_lazy("District"), lambda o: o.district.name),
        Column(gettext_lazy("Category"), lambda o: o.get_category_display()),
        Column(gettext_lazy("Milieu"), lambda o: o.get_milieu_display()),
        Column(gettext_lazy("People"), lambda o: o.people),
        Column(gettext_lazy("Signs"), lambda o: ", ".join(str(SIGNS.get(key, key)) for key in o.signs)),
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
