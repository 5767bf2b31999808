"""The case list and the case statistics as cells: one definition for the page, the CSV and the XLSX file.

Pseudonymous codes and categories only: never an identity, a note or a free text.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varna.cases.models import Case
from varna.core.exports import Cell, Column, Table, table_of

CASE_COLUMNS: list[Column[Case]] = [
    Column(gettext_lazy("Case code"), lambda c: c.code, link=lambda c: reverse(
        "cases:case_detail", kwargs={"municipality": c.municipality.slug, "code": c.code})),
    Column(gettext_lazy("Status"), lambda c: c.get_status_display()),
    Column(gettext_lazy("Age band"), lambda c: c.get_age_band_display()),
    Column(gettext_lazy("Concern level"), lambda c: c.get_concern_level_display()),
    Column(gettext_lazy("Opened"), lambda c: timezone.localdate(c.opened_at)),
]


def case_table(cases: Iterable[Case], *, heading: list[str] | None = None) -> Table:
    return table_of(CASE_COLUMNS, cases, title=_("Cases you may see"), heading=heading or [])


YearStatistics = tuple[int, str, list[tuple[str, list[tuple[str, str]]]]]


def statistics_tables(years: list[YearStatistics]) -> list[Table]:
    """The published statistics as shown, one table per breakdown with a column per year a case was opened
    (each column is that year's own list; there is no column over several years). A hidden count keeps its
    mark, a shown one is a number."""
    titles = {"status": _("By status"), "age_band": _("By age band"), "gender": _("By gender"),
              "milieu": _("By milieu")}

    def count(value: object) -> Cell:
        return Cell(int(value) if isinstance(value, str) and value.isdigit() else value)

    if not years:
        return []
    headers = [_("Group"), *(_("Opened in %(year)s") % {"year": year} for year, _total, _lists in years)]
    tables = []
    for index, (key, first_rows) in enumerate(years[0][2]):
        rows = [[Cell(label), *(count(lists[index][1][position][1]) for _year, _total, lists in years)]
                for position, (label, _shown) in enumerate(first_rows)]
        rows.append([Cell(_("All cases opened")), *(count(total) for _year, total, _lists in years)])
        tables.append(Table(title=titles[key], key=key, headers=headers, rows=rows))
    return tables
