"""The national view's tables as cells: one definition for the page, the CSV and the XLSX file.

Counts are the suppressed display values ("–" for a hidden count, multiples of 5 otherwise); a shown
count goes into a spreadsheet as a number, a hidden one as its mark.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from varna.core.exports import Cell, Table
from varna.national.maps import NationalMap
from varna.national.selectors import CoverageRow, NationalTable


def _count(display: str) -> Cell:
    return Cell(int(display) if display.isdigit() else display)


def _counts_table(table: NationalTable, *, title: str, row_header: str) -> Table:
    rows = [[Cell(row.label), *[_count(c.display) for c in row.cells], _count(row.total.display)]
            for row in table.rows]
    rows.append([Cell(_("Total")), *[_count(c.display) for c in table.column_totals],
                 _count(table.grand_total.display)])
    return Table(title=title, headers=[row_header, *table.columns, _("Total")], rows=rows, key=table.key)


def coverage_table(rows: list[CoverageRow]) -> Table:
    return Table(title=_("Action plans"), key="plans",
                 headers=[_("Municipality"), _("County"), _("Approved version"), _("Approved"), _("Age in days")],
                 rows=[[Cell(r.municipality.name), Cell(r.county),
                        Cell(r.approved_version if r.approved_version is not None else "–"),
                        Cell(r.approved_on or "–"), Cell(r.age_days if r.age_days is not None else "–")]
                       for r in rows])


def map_table(national_map: NationalMap) -> Table:
    """The map's figures as the table beside it shows them."""
    return Table(title=national_map.caption, key="map",
                 headers=[_("Municipality"), _("County"), str(national_map.value_header)],
                 rows=[[Cell(row.name), Cell(row.county), _count(row.display)] for row in national_map.rows])


def overview_tables(*, national_map: NationalMap, coverage: list[CoverageRow], situation: dict[str, NationalTable],
                    training: NationalTable | None) -> list[Table]:
    """Every table of the national view, in page order: the map's, the plans', the situation picture's, training's."""
    headers = {"county": _("County"), "municipality": _("Municipality"), "term": _("Term"),
               "milieu": _("Milieu"), "category": _("Category")}
    captions = {"county": _("People involved per county, by gender"),
                "municipality": _("People involved per municipality, by gender"),
                "term": _("People involved per term, by gender"),
                "milieu": _("People involved per milieu, by gender"),
                "category": _("People involved per category, by gender")}
    tables = [map_table(national_map), coverage_table(coverage)]
    tables += [_counts_table(table, title=captions[key], row_header=headers[key]) for key, table in situation.items()]
    if training is not None:
        tables.append(_counts_table(training, title=_("Training: people reached"), row_header=_("Municipality")))
    return tables
