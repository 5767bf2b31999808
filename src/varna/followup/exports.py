"""Follow-up tables as cells: one definition each for the page, the CSV and the XLSX file.

The compliance table keeps its own writers (it came first); the activity log uses ``core.exports``.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varna.core.exports import Column, Table, csv_writer, defuse, table_of
from varna.followup.expectations import Status
from varna.followup.models import ActivityLog
from varna.followup.selectors import ComplianceRow
from varna.plans.forms import cadence_label

STATUS_LABELS = {
    Status.DONE: gettext_lazy("Done"),
    Status.PARTLY: gettext_lazy("Partly"),
    Status.NOT_STARTED: gettext_lazy("Not started"),
    Status.NOT_EXPECTED: gettext_lazy("Not expected"),
}


def headers() -> list[str]:
    return [_("Plan (version)"), _("Level"), _("Activity"), _("Unit"), _("How often"), _("Expected"), _("Done"),
            _("Status"), _("Overdue")]


def plan_label(plan_title: str, versions: tuple[int, ...]) -> str:
    """"Plan title, v2", or "Plan title, v1 → v2" for a term split by a revision (ADR 0013)."""
    if not versions:
        return plan_title
    return f"{plan_title}, {' → '.join(f'v{n}' for n in versions)}"


def cells(row: ComplianceRow) -> list[str]:
    """What one row shows, as text, in the order of `headers()`."""
    return [
        plan_label(row.plan.title, row.versions),
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
    writer = csv_writer(buffer)
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
        values[5], values[6] = row.expected, row.done  # numbers stay numbers in a spreadsheet
        sheet.append(values)
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHI", [30, 16, 50, 32, 22, 10, 10, 14, 10], strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_safe = defuse  # the one definition of CSV-injection defusing, in core.exports


# --- the activity log ------------------------------------------------------------------------------


def _attachment_name(log: ActivityLog) -> str:
    return (log.attachment_name or _("attachment")) if log.attachment else ""


def _attachment_link(log: ActivityLog) -> str:
    if not log.attachment:
        return ""
    return reverse("followup:log_attachment", kwargs={"municipality": log.municipality.slug, "pk": log.pk})


LOG_COLUMNS: list[Column[ActivityLog]] = [
    Column(gettext_lazy("Date"), lambda log: log.date),
    Column(gettext_lazy("Plan"), lambda log: log.activity.version.plan.title),
    Column(gettext_lazy("Level"), lambda log: log.activity.level.name),
    Column(gettext_lazy("Activity"), lambda log: log.activity.direction),
    Column(gettext_lazy("Unit"), lambda log: log.organisation.name if log.organisation
           else _("The responsible units together")),
    Column(gettext_lazy("What was done"), lambda log: log.description),
    Column(gettext_lazy("Participants"), lambda log: log.participants),
    Column(gettext_lazy("Source"), lambda log: log.get_source_display()),
    Column(gettext_lazy("Logged by"), lambda log: str(log.logged_by) if log.logged_by else "–"),
    Column(gettext_lazy("Link"), lambda log: log.link, link=lambda log: log.link),
    Column(gettext_lazy("Attachment"), _attachment_name, link=_attachment_link),
]


def log_table(logs: Iterable[ActivityLog], *, heading: list[str] | None = None) -> Table:
    return table_of(LOG_COLUMNS, logs, title=_("Activity log"), heading=heading or [])
