"""A list as a table: one set of columns for the page, the CSV file and the XLSX file.

A list view describes its columns once (:class:`Column`), builds a :class:`Table` from the same
rows it shows, renders it (``core/table.html`` or its own markup from ``table.rows``) and offers
:func:`export_response` for CSV and XLSX. Because page and file read the same cells, an export holds
exactly what is on screen: the same rows under the same filters and permissions, with the same
suppressed display values. ``tests/core/test_exports_equal_pages.py`` checks every list that way.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

T = TypeVar("T")

FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters that make a spreadsheet program read a cell as a formula (CSV injection, OWASP).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column(Generic[T]):
    header: Any  # a (lazy) translated string
    value: Callable[[T], object]
    # The page may link this column's cell; the file holds the text only.
    link: Callable[[T], str] | None = None


@dataclass(frozen=True)
class Cell:
    value: object
    link: str = ""

    @property
    def text(self) -> str:
        return cell_text(self.value)


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    # Lines above the table in a file: what was filtered, when, by whom it was exported.
    heading: list[str] = field(default_factory=list)

    def text_rows(self) -> list[list[str]]:
        return [[cell.text for cell in row] for row in self.rows]


def table_of(columns: Sequence[Column[T]], objects: Iterable[T], *, title: str,
             heading: Sequence[str] = ()) -> Table:
    rows = [[Cell(column.value(obj), column.link(obj) if column.link else "") for column in columns]
            for obj in objects]
    return Table(title=str(title), headers=[str(c.header) for c in columns], rows=rows, heading=list(heading))


def cell_text(value: object) -> str:
    """How a value reads on the page and in a CSV file."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def defuse(text: str) -> str:
    """Keep spreadsheet programs from running text that starts like a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def as_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in table.heading:
        writer.writerow([defuse(line)])
    if table.heading:
        writer.writerow([])
    writer.writerow([defuse(h) for h in table.headers])
    writer.writerows([defuse(text) for text in row] for row in table.text_rows())
    # With a byte-order mark, Excel opens the file as UTF-8 (å, ä, ö intact).
    return out.getvalue().encode("utf-8-sig")


def _xlsx_value(value: object) -> object:
    # Numbers stay numbers so they can be summed and charted; everything else is the page's text.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return defuse(cell_text(value))


def as_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = (table.title or "export")[:31].translate(str.maketrans("[]:*?/\\", "       "))
    for line in table.heading:
        sheet.append([defuse(line)])
    if table.heading:
        sheet.append([])
    sheet.append([defuse(h) for h in table.headers])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_xlsx_value(cell.value) for cell in row])
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_csv(content: bytes) -> list[list[str]]:
    """The rows of a file made by :func:`as_csv` (tests and re-imports use it)."""
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def export_response(table: Table, file_format: str, filename: str) -> HttpResponse:
    """The table as a download; an unknown format is a 404 like any other unknown address."""
    if file_format == "csv":
        response = HttpResponse(as_csv(table), content_type="text/csv; charset=utf-8")
    elif file_format == "xlsx":
        response = HttpResponse(as_xlsx(table), content_type=XLSX_CONTENT_TYPE)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    response["Cache-Control"] = "no-store"
    return response
