"""Reading an external source's figures from a CSV file: aggregates only, bounded in every dimension.

The shapes municipalities get: the police's reported-crime statistics as Brå publishes them (a row per
offence and area, a column per year), a school or youth survey's published tables (a row per question and
answer, a column per year or a share), safety-walk findings (a row per place and finding, with a count).
Each becomes figures of ``(measure, area, period, value, unit)``. Either the file has a period column
("long"), or its headers from some column on are periods ("wide": ``2023;2024``), which are unpivoted.

Pure Python apart from gettext. Bounded before and while reading (ASVS V12.1): the caller checks the size
(``varna.core.uploads``); here a file must be text (no NUL bytes), in UTF-8 (with or without a byte-order mark),
UTF-16 with a byte-order mark, or Windows-1252 (what Excel on Windows saves); at most ``MAX_ROWS`` rows,
``MAX_COLUMNS`` columns, ``MAX_CELL_CHARS`` characters a cell and ``MAX_FIGURES`` figures after unpivoting.
A column that names a person (personnummer, namn, e-post, ...) refuses the whole file: the source must be an
aggregate, never rows about persons. Cells are stored as text and defused on every export (core.exports).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

MAX_ROWS = 5000
MAX_COLUMNS = 60
MAX_CELL_CHARS = 300
MAX_FIGURES = 20000
MAX_VALUE = Decimal("1e12")

# Header names (lower case, Swedish and English) for each part of a figure.
ALIASES = {
    "series": ("measure", "mått", "matt", "indikator", "indicator", "brottskategori", "brott", "offence",
               "fråga", "question", "iakttagelse", "finding", "variabel", "variable"),
    "answer": ("svar", "answer", "svarsalternativ"),
    "area": ("area", "område", "omrade", "region", "kommun", "municipality", "stadsdel", "district", "skola",
             "school", "plats", "place"),
    "period": ("period", "år", "ar", "year", "termin", "term", "månad", "month"),
    "value": ("value", "värde", "varde", "antal", "count", "number", "andel", "share", "procent", "percent"),
    "unit": ("unit", "enhet"),
}
# Columns that only a table about persons has: the file is refused whole.
PERSONAL_COLUMNS = ("personnummer", "personnr", "samordningsnummer", "namn", "name", "förnamn", "efternamn",
                    "first name", "last name", "e-post", "epost", "email", "e-mail", "telefon", "phone",
                    "adress", "address", "födelsedatum", "birth")
_PERIOD = re.compile(r"^\d{4}(?:-(?:[12]|0[1-9]|1[0-2]))?$")
# Values a published table shows instead of a number: not published, hidden, or nothing.
_NOT_A_VALUE = {"", "..", "...", "-", "–", "—", "x", "×", "*"}


class ImportProblem(ValueError):
    """The file can't be read as an aggregate table; the message says why, in the active language."""


@dataclass
class Parsed:
    figures: list[dict[str, object]] = field(default_factory=list)
    skipped: int = 0  # cells shown as not published ("..", "–"): left out, counted


def decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16").lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            raise ImportProblem(_("The file is not readable text.")) from exc
    if b"\x00" in content:
        raise ImportProblem(_("The file is not a text file (CSV)."))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportProblem(_("The file is neither UTF-8 nor Windows-1252 text.")) from exc


def _rows(text: str) -> list[list[str]]:
    # The delimiter is the one the header row uses most; the quote character is always '"'. (csv.Sniffer
    # also guesses a quote character, and an apostrophe in two names could then join their rows silently.)
    header_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=header_line.count)
    rows: list[list[str]] = []
    # One character past the cell limit: a longer cell is refused below instead of by the csv module's own.
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"', doublequote=True)
    previous = csv.field_size_limit(MAX_CELL_CHARS + 1)
    try:
        for number, line in enumerate(reader, start=1):
            if len(line) > MAX_COLUMNS:
                raise ImportProblem(_("Row %(row)s has more than %(n)s columns.") % {"row": number, "n": MAX_COLUMNS})
            if any(len(cell) > MAX_CELL_CHARS for cell in line):
                raise ImportProblem(_("Row %(row)s has a cell longer than %(n)s characters.")
                                    % {"row": number, "n": MAX_CELL_CHARS})
            if not "".join(line).strip():
                continue
            rows.append([cell.strip() for cell in line])
            if len(rows) > MAX_ROWS + 1:
                raise ImportProblem(_("At most %(n)s rows can be imported at a time.") % {"n": MAX_ROWS})
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ImportProblem(_("Row %(row)s has a cell longer than %(n)s characters.")
                                % {"row": reader.line_num, "n": MAX_CELL_CHARS}) from exc
        raise ImportProblem(_("Row %(row)s could not be read as CSV: check its quotation marks and cell sizes.")
                            % {"row": reader.line_num}) from exc
    finally:
        csv.field_size_limit(previous)
    return rows


def parse_value(text: str) -> Decimal | None:
    """A number as Swedish and English tables write it (``1 234,5``, ``1,234.5``, ``12 %``); None for a
    value that is not published. Raises ImportProblem for anything else."""
    cleaned = text.replace("\u00a0", " ").replace("\u202f", " ").strip().rstrip("%").strip()
    if cleaned.lower() in _NOT_A_VALUE:
        return None
    cleaned = cleaned.replace(" ", "")
    # "1,234.5" has a thousands comma; otherwise a comma is the decimal sign ("12,5").
    cleaned = cleaned.replace(",", "") if "," in cleaned and "." in cleaned else cleaned.replace(",", ".")
    if not re.fullmatch(r"-?\d{1,13}(?:\.\d{1,6})?", cleaned):
        raise ImportProblem(_("“%(text)s” is not a number.") % {"text": text[:40]})
    value = Decimal(cleaned)
    if value < 0 or value > MAX_VALUE:
        raise ImportProblem(_("“%(text)s” is outside what an aggregate can be.") % {"text": text[:40]})
    return value.quantize(Decimal("0.01"))


def _find(header: list[str], part: str) -> int | None:
    return next((i for i, name in enumerate(header) if name in ALIASES[part]), None)


# Complex on purpose: one pass over a file's two layouts (wide and long), each check where its row is read.
def parse(content: bytes, *, default_unit: str) -> Parsed:  # noqa: C901
    """The figures of the file (see the module docstring). All or nothing: a problem anywhere refuses it."""
    rows = _rows(decode(content))
    if not rows:
        raise ImportProblem(_("The file is empty."))
    header = [name.lower() for name in rows[0]]
    personal = [rows[0][i] for i, name in enumerate(header) if any(word in name for word in PERSONAL_COLUMNS)]
    if personal:
        raise ImportProblem(_("The column %(columns)s is about persons. Import aggregate tables only, never rows "
                              "about persons.") % {"columns": ", ".join(personal)})
    series, answer, area, unit = (_find(header, p) for p in ("series", "answer", "area", "unit"))
    period, value = _find(header, "period"), _find(header, "value")
    if series is None:
        raise ImportProblem(_("No column names the measure (for example “Mått”, “Brottskategori” or “Fråga”)."))
    if period is not None and value is not None:
        columns: list[tuple[int, str | None]] = [(value, None)]  # long: one figure per row
    else:
        columns = [(i, rows[0][i]) for i, name in enumerate(header) if _PERIOD.match(name)]
        if not columns:
            raise ImportProblem(_("No column gives the period: name one “Period” (or “År”), or give each period "
                                  "a column of its own (2023, 2024, ...)."))
    parsed = Parsed()
    for number, row in enumerate(rows[1:], start=2):
        row = row + [""] * (len(header) - len(row))

        def cell(index: int | None, row: list[str] = row) -> str:
            return row[index] if index is not None and index < len(row) else ""

        name = cell(series) + (f": {cell(answer)}" if cell(answer) else "")
        if not name:
            raise ImportProblem(_("Row %(row)s names no measure.") % {"row": number})
        for index, heading in columns:
            try:
                amount = parse_value(cell(index))
            except ImportProblem as exc:
                raise ImportProblem(_("Row %(row)s: %(problem)s") % {"row": number, "problem": exc}) from exc
            if amount is None:
                parsed.skipped += 1
                continue
            when = heading if heading is not None else cell(period)
            if not when:
                raise ImportProblem(_("Row %(row)s gives no period.") % {"row": number})
            parsed.figures.append({"series": name[:200], "area": cell(area)[:120], "period": when[:20],
                                   "value": amount, "unit": (cell(unit) or default_unit)[:40]})
            if len(parsed.figures) > MAX_FIGURES:
                raise ImportProblem(_("At most %(n)s figures can be imported at a time.") % {"n": MAX_FIGURES})
    if not parsed.figures:
        raise ImportProblem(_("The file holds no figure."))
    return parsed
