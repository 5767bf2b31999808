"""A list as a table: one set of columns for the page, the CSV file and the XLSX file.

A list view describes its columns once (:class:`Column`), builds a :class:`Table` from the same
rows it shows, renders it (``core/table.html`` or its own markup from ``table.rows``) and offers
:func:`export_response` for CSV and XLSX. Because page and file read the same cells, an export holds
exactly what is on screen: the same rows under the same filters and permissions, with the same
suppressed display values. A paginated list shows one page; its file holds every page, in the same order
(ADR 0010). A page with several tables (a dashboard) exports them together: one CSV with each table under
its caption, one XLSX sheet per table (:func:`export_tables_response`). Each app's
``tests/<app>/test_exports.py`` compares its exports with their pages, and
``tests/core/test_every_list_exports.py`` fails for an export URL that no such test covers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

T = TypeVar("T")

FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters that make a spreadsheet program read a cell as a formula (CSV injection, OWASP), the full-width
# forms included (some programs read ＝1+1 as a formula too).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


@dataclass(frozen=True)
class Column(Generic[T]):
    header: Any  # a (lazy) translated string
    value: Callable[[T], object]
    # The page may link this column's cell; the file holds the text only.
    link: Callable[[T], str] | None = None
    # The language of the column's text where it is not the page's (the plan's own Swedish words).
    lang: str = ""


@dataclass(frozen=True)
class Cell:
    value: object
    link: str = ""
    lang: str = ""

    @property
    def text(self) -> str:
        return cell_text(self.value)


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    # Lines above the table in a file: what was filtered and when it was exported.
    heading: list[str] = field(default_factory=list)
    # The sheet's name when several tables go into one workbook (the title when empty).
    key: str = ""
    # The object behind each row, for what only the page has (a row's buttons); never exported.
    objects: list[Any] = field(default_factory=list, repr=False)

    def text_rows(self) -> list[list[str]]:
        return [[cell.text for cell in row] for row in self.rows]

    @property
    def lines(self) -> list[tuple[Any, list[tuple[str, Cell]]]]:
        """(object, [(header, cell), ...]) per row: what a template needs for labelled cells and row actions."""
        objects = self.objects if len(self.objects) == len(self.rows) else [None] * len(self.rows)
        return [(obj, list(zip(self.headers, row, strict=True))) for obj, row in zip(objects, self.rows, strict=True)]


def table_of(columns: Sequence[Column[T]], objects: Iterable[T], *, title: str,
             heading: Sequence[str] = (), key: str = "") -> Table:
    objects = list(objects)
    rows = [[Cell(column.value(obj), column.link(obj) if column.link else "", column.lang) for column in columns]
            for obj in objects]
    return Table(title=str(title), headers=[str(c.header) for c in columns], rows=rows, heading=list(heading),
                 key=key, objects=objects)


def export_heading(title: str, *, filters: Mapping[str, object] | None = None) -> list[str]:
    """The lines above a file's table: what it is, when it was exported and under which filters."""
    shown = ", ".join(f"{name}={value}" for name, value in (filters or {}).items() if value not in ("", None))
    return [str(title), _("Exported %(date)s") % {"date": timezone.localdate().isoformat()},
            _("Filters: %(filters)s") % {"filters": shown or _("none")}]


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
    return "'" + text if text.startswith(FORMULA_START) else text


# Excel with Swedish settings splits a CSV file on semicolons (the comma is the decimal sign there), so a
# comma-separated file opens as one column; with ";" and a byte-order mark it opens as a table, å, ä, ö intact.
CSV_DELIMITER = ";"


def csv_writer(out: Any) -> Any:
    """The writer of every CSV file Värna makes: ``;`` between cells (Swedish Excel) and each cell quoted, so
    that a program splitting on ``;`` or ``,`` keeps ``ok;=1+1`` one cell of text instead of starting a formula
    in the next one. Cells are also :func:`defused <defuse>` by the callers, for programs that ignore the quotes.
    The callers encode the file as ``utf-8-sig`` (with a byte-order mark)."""
    return csv.writer(out, delimiter=CSV_DELIMITER, quoting=csv.QUOTE_ALL)


def as_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv_writer(out)
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


def _sheet_title(text: str, taken: set[str]) -> str:
    # Excel allows 31 characters and none of []:*?/\ in a sheet name, and no two sheets alike.
    base = (text or "export").translate(str.maketrans("[]:*?/\\", "       "))[:31]
    title, n = base, 2
    while title.lower() in taken:
        title = f"{base[:28]} {n}"
        n += 1
    taken.add(title.lower())
    return title


def _write_table(sheet: Any, table: Table, *, caption: bool = False) -> None:
    from openpyxl.styles import Font

    if caption:
        sheet.append([defuse(table.title)])
    sheet.append([defuse(h) for h in table.headers])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_xlsx_value(cell.value) for cell in row])
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)


def as_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(table.title, set())
    for line in table.heading:
        sheet.append([defuse(line)])
    if table.heading:
        sheet.append([])
    _write_table(sheet, table)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def tables_csv(tables: Sequence[Table], heading: Sequence[str] = ()) -> bytes:
    """Several tables in one file: the heading, then each table under its caption after a blank line."""
    out = io.StringIO()
    writer = csv_writer(out)
    for line in heading:
        writer.writerow([defuse(line)])
    for table in tables:
        writer.writerow([])
        writer.writerow([defuse(table.title)])
        writer.writerow([defuse(h) for h in table.headers])
        writer.writerows([defuse(text) for text in row] for row in table.text_rows())
    return out.getvalue().encode("utf-8-sig")


def tables_xlsx(tables: Sequence[Table], heading: Sequence[str] = ()) -> bytes:
    """Several tables in one workbook: the heading on a sheet "info", then one sheet per table."""
    from openpyxl import Workbook

    workbook = Workbook()
    about = workbook.active
    about.title = "info"
    taken = {"info"}
    for line in heading:
        about.append([defuse(line)])
    for table in tables:
        _write_table(workbook.create_sheet(_sheet_title(table.key or table.title, taken)), table, caption=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_csv(content: bytes) -> list[list[str]]:
    """The rows of a file made by :func:`as_csv` (tests and re-imports use it)."""
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=CSV_DELIMITER))


def export_links(request: HttpRequest, url_name: str, **kwargs: Any) -> dict[str, str]:
    """`export_csv` and `export_xlsx` for ``core/table.html``: the export URL with the page's query string
    (its filters), less the page number, since a file holds every page."""
    query = request.GET.copy()
    query.pop("page", None)
    suffix = f"?{query.urlencode()}" if query else ""
    return {f"export_{fmt}": reverse(url_name, kwargs={**kwargs, "file_format": fmt}) + suffix for fmt in FORMATS}


def check_format(file_format: str) -> str:
    """Refuse an unknown format before anything is computed or audited."""
    if file_format not in FORMATS:
        raise Http404
    return file_format


def _download(content: bytes, file_format: str, filename: str) -> HttpResponse:
    content_type = "text/csv; charset=utf-8" if file_format == "csv" else XLSX_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    response["Cache-Control"] = "no-store"
    return response


def export_response(table: Table, file_format: str, filename: str) -> HttpResponse:
    """The table as a download; an unknown format is a 404 like any other unknown address."""
    check_format(file_format)
    return _download(as_csv(table) if file_format == "csv" else as_xlsx(table), file_format, filename)


def export_tables_response(tables: Sequence[Table], file_format: str, filename: str,
                           heading: Sequence[str] = ()) -> HttpResponse:
    """Several tables (a dashboard) as one download: see :func:`tables_csv` and :func:`tables_xlsx`."""
    check_format(file_format)
    content = tables_csv(tables, heading) if file_format == "csv" else tables_xlsx(tables, heading)
    return _download(content, file_format, filename)
