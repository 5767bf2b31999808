"""Bulk import of observations from CSV or XLSX, and the template to fill in.

Every row is validated as by the form of the web entry, and its description passes the personal-data
guard; if any row is bad, nothing is saved and every problem is reported with its row number as a
spreadsheet shows it (the header is row 1). A file of plainly valid rows, the usual case, is checked
column by column and written with the database's bulk load.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from varna.core.exports import csv_writer
from varna.core.models import Municipality
from varna.core.vocabulary import former_count_name
from varna.disclosure.personal_data import is_clean
from varna.knowledge import selectors as knowledge
from varna.situation import services
from varna.situation.choices import COUNT_FIELDS, EARLIEST_OBSERVATION_DATE
from varna.situation.forms import ObservationForm
from varna.situation.models import DESCRIPTION_MAX
from varna.situation.services import RowProblem

COLUMNS = ["date", "district", "category", "milieu", "signs", "source_organisation", "description"] + [
    name for name, _g, _a in COUNT_FIELDS]
MAX_ROWS = 20000
# No column holds more than a description of 500 characters: a longer cell is refused with its row number
# (Python's csv module would otherwise fail past 131 072 characters with an error of its own).
MAX_CELL_CHARS = 10_000
# Limits a workbook is checked against before a row is read (ASVS V12.1.2): an .xlsx is a ZIP archive
# whose few kilobytes can unpack to gigabytes, and whose sheet may declare a million rows or 16 384
# columns that a reader would pad every row to.
XLSX_MAX_UNPACKED_BYTES = 64 * 1024 * 1024
XLSX_MAX_MEMBERS = 200
XLSX_MAX_COLUMNS = 64
# Rows read from a sheet, empty ones included: room for blank lines between 20 000 observations.
XLSX_MAX_LINES = 2 * MAX_ROWS + 1
_COUNT_NAMES = [name for name, _g, _a in COUNT_FIELDS]


class FileProblem(services.SituationError):
    pass


@dataclass
class Table:
    """The non-empty data rows of a file, column by column: the header's column names, each row's number as
    a spreadsheet shows it, and for each column the text of every row, not yet stripped.

    Kept by column, the way the rows are checked, so that reading 20 000 rows leaves a few dozen lists
    behind instead of one per row for the garbage collector to visit."""

    columns: list[str]
    numbers: list[int]
    values: list[list[str]]

    def row(self, index: int) -> dict[str, str]:
        return {column: values[index].strip() for column, values in zip(self.columns, self.values, strict=True)}


# Complex on purpose: one generator for CSV and XLSX, so both stop at the same row limit.
def read_tables(name: str, content: bytes, *, size: int) -> Iterator[Table]:  # noqa: C901
    """The file's non-empty data rows, in tables of at most ``size`` rows. The header is checked on the
    first ``next()``; FileProblem is raised there, or as soon as the file turns out to have too many rows."""
    xlsx = name.lower().endswith(".xlsx")
    lines = iter(_read_xlsx(content) if xlsx else _read_csv(content))
    try:
        first = next(lines, None)
    except csv.Error as exc:
        raise _csv_problem(exc, 1) from exc
    if first is None:
        raise FileProblem(_("The file is empty."))
    header = [str(cell or "").strip().lower() for cell in first]
    missing = [column for column in ("date", "district", "category", "milieu") if column not in header]
    if missing:
        raise FileProblem(_("Columns missing from the first row: %(columns)s. Start from the template.")
                          % {"columns": ", ".join(missing)})
    renamed = [(column, former_count_name(column)) for column in header if former_count_name(column)]
    if renamed:
        # A template from before the age bands were unified (ADR 0018): same counts, new names.
        raise FileProblem(_("The age band columns have new names: %(renamed)s. Rename them in the first row, "
                            "or start from the new template; the counts mean the same.")
                          % {"renamed": ", ".join(f"{old} → {new}" for old, new in renamed)})
    unknown = [column for column in header if column and column not in COLUMNS]
    if unknown:
        raise FileProblem(_("Unknown columns: %(columns)s. Start from the template.")
                          % {"columns": ", ".join(unknown)})
    positions = [i for i, column in enumerate(header) if column]
    columns = [header[i] for i in positions]
    every_column = len(positions) == len(header)
    table, count, number = Table(columns, [], [[] for _i in positions]), 0, 1
    try:
        for number, line in enumerate(lines, start=2):
            cells = [_text(cell) for cell in line] if xlsx else line  # numbers and dates to text
            if not (cells and cells[0] and not cells[0].isspace()) and not "".join(cells).strip():
                continue  # a row of empty cells
            if max(map(len, cells)) > MAX_CELL_CHARS:
                raise FileProblem(_cell_too_long(number))
            if not every_column or len(cells) != len(header):
                cells = [cells[i] if i < len(cells) else "" for i in positions]
            # Append each cell to its column, at C speed.
            deque(map(list.append, table.values, cells), maxlen=0)
            table.numbers.append(number)
            count += 1
            if count > MAX_ROWS:
                raise FileProblem(_("At most %(n)s rows can be imported at a time.") % {"n": MAX_ROWS})
            if len(table.numbers) == size:
                yield table
                table = Table(columns, [], [[] for _i in positions])
    except csv.Error as exc:
        raise _csv_problem(exc, number + 1) from exc
    if table.numbers:
        yield table


def read_table(name: str, content: bytes) -> Table:
    """All the file's non-empty data rows in one table."""
    # One more than the most a file may hold: the only table comes once the whole file has been read.
    return next(read_tables(name, content, size=MAX_ROWS + 1), None) or Table([], [], [])


def read_rows(name: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column: text}) for every non-empty data row."""
    table = read_table(name, content)
    return [(number, table.row(index)) for index, number in enumerate(table.numbers)]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _cell_too_long(number: int) -> str:
    return _("Row %(row)s has a cell longer than %(n)s characters; no column holds that much text.") % {
        "row": number, "n": MAX_CELL_CHARS}


def _csv_problem(error: csv.Error, number: int) -> FileProblem:
    """A row the csv module could not read, said plainly with its number (never a server error)."""
    if "field larger than field limit" in str(error):
        return FileProblem(_cell_too_long(number))
    return FileProblem(_("Row %(row)s could not be read as CSV: check its quotation marks and line breaks.")
                       % {"row": number})


def _read_csv(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(_("The file is not UTF-8 text.")) from exc
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.reader(io.StringIO(text), dialect)


def _check_archive(content: bytes) -> None:
    """Refuse a workbook whose archive unpacks to more than XLSX_MAX_UNPACKED_BYTES or holds more than
    XLSX_MAX_MEMBERS files, by its table of contents, before anything is unpacked. (Python's zipfile never
    unpacks a member past the size the table states, so the stated sizes bound the work.)"""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise FileProblem(_("The file is not an Excel workbook (.xlsx).")) from exc
    if len(members) > XLSX_MAX_MEMBERS or sum(member.file_size for member in members) > XLSX_MAX_UNPACKED_BYTES:
        raise FileProblem(_("The workbook unpacks to more than %(size)s; save the observations on their own "
                            "in a new workbook.") % {"size": filesizeformat(XLSX_MAX_UNPACKED_BYTES)})


def _read_xlsx(content: bytes) -> Iterator[tuple[Any, ...]]:
    """The first sheet's rows, read as a stream: the sheet's stated size is checked before the first row,
    rows are cut to XLSX_MAX_COLUMNS cells, and reading stops past XLSX_MAX_LINES rows."""
    from openpyxl import load_workbook

    _check_archive(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows, columns = sheet.max_row, sheet.max_column  # as the sheet states them (None if it doesn't)
    except Exception as exc:  # openpyxl raises many kinds for a file that isn't a workbook
        raise FileProblem(_("The file is not an Excel workbook (.xlsx).")) from exc
    try:
        if (rows or 0) > XLSX_MAX_LINES or (columns or 0) > XLSX_MAX_COLUMNS:
            raise FileProblem(_(
                "The sheet says it spans %(rows)s rows and %(columns)s columns; at most %(max_rows)s rows and "
                "%(max_columns)s columns can be read. Delete the empty rows and columns after the table, or "
                "copy the table into a new workbook.") % {
                    "rows": rows, "columns": columns, "max_rows": XLSX_MAX_LINES, "max_columns": XLSX_MAX_COLUMNS})
        width = min(columns or XLSX_MAX_COLUMNS, XLSX_MAX_COLUMNS)
        lines = sheet.iter_rows(values_only=True, max_col=width)
        for number in range(1, XLSX_MAX_LINES + 2):
            try:
                row = next(lines)
            except StopIteration:
                return
            except Exception as exc:  # a damaged sheet: the XML parser's errors are many
                raise FileProblem(_("The file is not an Excel workbook (.xlsx).")) from exc
            if number > XLSX_MAX_LINES:
                raise FileProblem(_("At most %(n)s rows can be imported at a time.") % {"n": MAX_ROWS})
            yield row
    finally:
        workbook.close()


def _import_form(municipality: Municipality) -> tuple[ObservationForm, dict[str, Any], dict[str, Any]]:
    """One form reused for every row, and the municipality's districts and organisations by key: building a
    Django form per row (copying its 22 fields, querying the district and organisation of each row) would
    cost more than the rest of the import together."""
    form = ObservationForm(data={}, municipality=municipality)
    districts = {d.key: d for d in municipality.districts.all()}
    organisations = {o.key: o for o in municipality.organisations.all()}
    form.fields["district"] = forms.TypedChoiceField(
        label=form.fields["district"].label, choices=[(key, key) for key in districts], coerce=districts.get)
    form.fields["source_organisation"] = forms.TypedChoiceField(
        label=form.fields["source_organisation"].label, choices=[(key, key) for key in organisations],
        coerce=organisations.get, required=False, empty_value=None)
    return form, districts, organisations


_UNUSABLE = object()  # a cell the quick check leaves to the form


class _RowChecker:
    """Validates rows as :class:`ObservationForm` does, quickly for the cells that are plainly valid.

    The quick check looks at each column's distinct values once (a file of 20 000 rows has a few thousand
    dates and descriptions, and a handful of districts, categories and counts) and turns the plainly valid
    ones into the form's cleaned values directly, a hundred times cheaper than running the form. A row
    with any other cell (a bad value, a date written another way, a count with decimals) goes through the
    form, which decides and words the problems: every row is accepted with the same values, or refused with
    the same messages, as by the form. The quick check leaves the personal-data guard to its caller.
    """

    _DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

    def __init__(self, municipality: Municipality) -> None:
        self.form, self.districts, self.organisations = _import_form(municipality)
        today = timezone.localdate()
        vocabulary = knowledge.vocabulary_of(municipality)
        categories, milieus, known_signs = (frozenset(e.key for e in vocabulary.active(kind))
                                            for kind in ("category", "milieu", "sign"))

        def date(text: str) -> Any:
            if not self._DATE.fullmatch(text):
                return _UNUSABLE
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                return _UNUSABLE
            # Anything else (a future day, a day before 2000) goes to the form, which words the problem.
            return day if EARLIEST_OBSERVATION_DATE <= day <= today else _UNUSABLE

        def signs(text: str) -> Any:
            keys = tuple(_signs(text))
            return keys if all(key in known_signs for key in keys) else _UNUSABLE

        def description(text: str) -> Any:
            return text if len(text) <= DESCRIPTION_MAX and "\x00" not in text else _UNUSABLE

        def count(text: str) -> Any:
            if not text:
                return 0
            return int(text) if text.isascii() and text.isdigit() and len(text) <= 3 else _UNUSABLE  # 0-999

        self.quick_cleaners = {
            "date": date,
            "district": lambda text: self.districts.get(text, _UNUSABLE),
            "category": lambda text: text if text in categories else _UNUSABLE,
            "milieu": lambda text: text if text in milieus else _UNUSABLE,
            "signs": signs,
            "source_organisation": lambda text: self.organisations.get(text, _UNUSABLE) if text else None,
            "description": description,  # the guard is the caller's
            **{name: count for name in _COUNT_NAMES},
        }

    def quick(self, table: Table) -> tuple[dict[str, list[Any]], set[int]]:
        """The cleaned values column by column (every editable field; signs as tuples), and the indexes of
        the rows with a cell the quick check leaves to the form (their values in the columns are not to be
        used)."""
        count = len(table.numbers)
        if len(set(table.columns)) != len(table.columns) or not count:
            # A repeated column: let the form see the row as read_rows gives it.
            return {name: [None] * count for name in services.EDITABLE}, set(range(count))
        cells = dict(zip(table.columns, table.values, strict=True))
        empty = [""] * count
        unusable: set[int] = set()
        cleaned_columns = {}
        for name in services.EDITABLE:
            column = cells.get(name, empty)
            clean = self.quick_cleaners[name]
            cleaned = {text: clean(text.strip()) for text in set(column)}
            if any(value is _UNUSABLE for value in cleaned.values()):
                unusable.update(i for i, text in enumerate(column) if cleaned[text] is _UNUSABLE)
            cleaned_columns[name] = list(map(cleaned.__getitem__, column))
        return cleaned_columns, unusable

    def form_clean(self, number: int, values: dict[str, str], problems: list[RowProblem]) -> dict[str, Any] | None:
        """The form's cleaned values of one row, or None with its problems added to ``problems``."""
        form = self.form
        form.data = {**values, "signs": _signs(values.get("signs", ""))}
        # Re-run full_clean() for the new data (Django's private cache of the errors; the stubs omit it).
        form._errors = None  # type: ignore[attr-defined]
        if form.is_valid():
            return form.values()
        for field, errors in form.errors.items():
            label = field if field in COLUMNS else ""
            for error in errors:
                problems.append(RowProblem(number, f"{label}: {error}" if label else str(error)))
        return None

    def clean(self, table: Table, *, guard: bool) -> tuple[dict[str, list[Any]], list[RowProblem]]:
        """Cleaned values of every row, column by column, and the problems of the bad rows (whose values
        in the columns are not to be used). With ``guard`` the quick rows' descriptions pass the
        personal-data guard too (the form's rows always do)."""
        cleaned, unusable = self.quick(table)
        if guard:
            unusable.update(i for i, text in enumerate(cleaned["description"])
                            if i not in unusable and not is_clean(text))
        problems: list[RowProblem] = []
        for i in sorted(unusable):
            values = self.form_clean(table.numbers[i], table.row(i), problems)
            for name, value in (values or {}).items():
                cleaned[name][i] = value
        return cleaned, problems


def _signs(text: str) -> list[str]:
    return [sign.strip() for sign in text.replace(",", ";").split(";") if sign.strip()]


def validate(municipality: Municipality, rows: list[tuple[int, dict[str, str]]]
             ) -> tuple[list[dict[str, Any]], list[RowProblem]]:
    """Validated values for every row, and a problem per bad field per row."""
    columns = sorted({column for _number, values in rows for column in values})
    table = Table(columns, [number for number, _values in rows],
                  [[values.get(column, "") for _number, values in rows] for column in columns])
    cleaned, problems = _RowChecker(municipality).clean(table, guard=True)
    bad = {problem.row for problem in problems}
    valid = []
    for index, number in enumerate(table.numbers):
        if number not in bad:
            values = {name: cleaned[name][index] for name in services.EDITABLE}
            valid.append({**values, "signs": list(values["signs"])})
    return valid, problems


# Rows checked and handed to the service at a time: small enough that the database stores one batch while
# the next is read and checked, large enough that per-batch work doesn't count.
_BATCH = 2000


def import_file(*, actor: Any, municipality: Municipality, name: str, content: bytes) -> int:
    """Parse, validate and save; raise ImportRejected (nothing saved) if any row is bad.

    The file is read and checked a batch of rows at a time while the service writes the batches before.
    After the first bad row no more rows are written, but every row is still checked; then ImportRejected
    with every problem rolls the import back. The personal-data guard runs once per row, in the service,
    just before the row is written; if it finds anything, the import is rolled back and every description
    is checked, to report each problem with its row number.
    """
    tables = read_tables(name, content, size=_BATCH)
    first = next(tables, None)
    if first is None:
        raise FileProblem(_("The file has no observations below the header row."))
    checker = _RowChecker(municipality)
    read: list[Table] = []

    def every_problem() -> list[RowProblem]:
        read.extend(tables)  # the rest of the file
        return [problem for table in read for problem in checker.clean(table, guard=True)[1]]

    def batches() -> Iterator[dict[str, list[Any]]]:
        bad = False
        for table in chain([first], tables):
            read.append(table)
            cleaned, problems = checker.clean(table, guard=False)
            bad = bad or bool(problems)
            if not bad:
                yield cleaned
        if bad:
            raise services.ImportRejected(every_problem())

    try:
        return services.observations_import_columns(actor=actor, municipality=municipality, batches=batches(),
                                                    source="xlsx" if name.lower().endswith(".xlsx") else "csv")
    except services.PersonalDataError:
        problems = every_problem()
        if not problems:
            raise
        raise services.ImportRejected(problems) from None


def _example(municipality: Municipality) -> list[str]:
    district = municipality.districts.first()
    vocabulary = knowledge.vocabulary_of(municipality)
    first = {kind: [e.key for e in vocabulary.active(kind)] for kind in ("category", "milieu", "sign")}
    example = {"date": timezone.localdate().replace(day=1).isoformat(), "district": district.key if district else "",
               "category": first["category"][0] if first["category"] else "",
               "milieu": first["milieu"][0] if first["milieu"] else "",
               "signs": ";".join(first["sign"][:2]), "source_organisation": "",
               "description": "Klistermärken vid busshållplatsen, borttagna samma dag."}
    return [str(example.get(column, "0")) for column in COLUMNS]


def _help_rows(municipality: Municipality) -> list[list[str]]:
    vocabulary = knowledge.vocabulary_of(municipality)
    rows = [[_("Column"), _("Allowed values")],
            ["date", "YYYY-MM-DD"],
            ["district", ", ".join(d.key for d in municipality.districts.all())],
            *([kind, ", ".join(e.key for e in vocabulary.active(name))]
              for kind, name in (("category", "category"), ("milieu", "milieu"))),
            ["signs", _("Sign ids separated by ;") + " " + ", ".join(e.key for e in vocabulary.active("sign"))],
            ["source_organisation", ", ".join(o.key for o in municipality.organisations.all())],
            ["description", _("At most 500 characters, no personal data")]]
    rows += [[name, _("Number of people (0 or more)")] for name, _g, _a in COUNT_FIELDS]
    return rows


def template_csv(municipality: Municipality) -> bytes:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(COLUMNS)
    writer.writerow(_example(municipality))
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(municipality: Municipality) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "observations"
    sheet.append(COLUMNS)
    sheet.append(_example(municipality))
    help_sheet = workbook.create_sheet("help")
    for row in _help_rows(municipality):
        help_sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
