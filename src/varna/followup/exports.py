"""The compliance table as cells: one definition for the page, the CSV and the XLSX file."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varna.followup.expectations import Status
from varna.followup.selectors import ComplianceRow
from varna.plans.forms import cadence_label

STATUS_LABELS = {
    Status.DONE: gettext_lazy("Done"),
    Status.PARTLY: gettext_lazy("Partly"),
    Status.NOT_STARTED: gettext_lazy("Not started"),
    Status.NOT_EXPECTED: gettext_lazy("Not expected"),
}


def headers() -> list[str]:
    return [_("Level"), _("Activity"), _("Unit"), _("How often"), _("Expected"), _("Done"), _("Status"),
            _("Overdue")]


def cells(row: ComplianceRow) -> list[str]:
    """What one row shows, as text, in the order of `headers()`."""
    return [
        row.level_name,
        row.activity.direction,
        row.unit.name if row.unit else _("The whole municipality"),
        cadence_label(row.activity.cadence_kind, row.activity.cadence_count),
        str(row.expected),
        str(row.done),
        str(STATUS_LABELS[row.status]),
        _("Yes") if row.overdue else _("No"),
    ]


def as_csv(rows: list[ComplianceRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers())
    for row in rows:
        writer.writerow([_safe(c) for c in cells(row)])
    # With a byte-order mark, Excel opens the file as UTF-8 (å, ä, ö intact).
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(rows: list[ComplianceRow], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        values: list[object] = [_safe(c) for c in cells(row)]
        values[4], values[5] = row.expected, row.done  # numbers stay numbers in a spreadsheet
        sheet.append(values)
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGH", [16, 50, 32, 22, 10, 10, 14, 10], strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _safe(value: str) -> str:
    """Keep spreadsheet programs from running text that starts like a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
