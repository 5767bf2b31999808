"""The coverage of an implementation round as cells: one definition for the page, the CSV and the XLSX file."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varna.core.exports import Column, Table, table_of
from varna.implementation.selectors import UnitCoverage


def _confirmed(row: UnitCoverage) -> object:
    if row.confirmation:
        return timezone.localdate(row.confirmation.confirmed_at)
    return _("Not yet") if row.managers else _("No manager in Värna")


COVERAGE_COLUMNS: list[Column[UnitCoverage]] = [
    Column(gettext_lazy("Unit"), lambda r: r.organisation.name),
    Column(gettext_lazy("Manager confirmed"), _confirmed),
    Column(gettext_lazy("Employees in Värna"), lambda r: r.employees),
    Column(gettext_lazy("Employees acknowledged"), lambda r: r.acknowledged),
    Column(gettext_lazy("Share acknowledged (%)"), lambda r: r.share if r.share is not None else "–"),
    Column(gettext_lazy("Staff"), lambda r: r.headcount if r.headcount is not None else "–"),
    Column(gettext_lazy("Share of staff (%)"), lambda r: r.share_of_staff if r.share_of_staff is not None else "–"),
]


def coverage_table(rows: list[UnitCoverage], *, heading: list[str] | None = None) -> Table:
    return table_of(COVERAGE_COLUMNS, rows, title=_("Managers' confirmations and employees' acknowledgements"),
                    heading=heading or [])
