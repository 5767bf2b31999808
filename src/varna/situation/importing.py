"""Bulk import of observations from CSV or XLSX, and the template to fill in.

Every row is validated by the same form as the web entry (personal-data guard included); if any row is
bad, nothing is saved and every problem is reported with its row number as a spreadsheet shows it (the
header is row 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from varna.core.models import Municipality
from varna.situation import services
from varna.situation.choices import COUNT_FIELDS, SIGNS, Category, Milieu
from varna.situation.forms import ObservationForm
from varna.situation.services import RowProblem

COLUMNS = ["date", "district", "category", "milieu", "signs", "source_organisation", "description"] + [
    name for name, _g, _a in COUNT_FIELDS]
MAX_ROWS = 20000


class FileProblem(services.SituationError):
    pass


def read_rows(name: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column: text}) for every non-empty data row."""
    table = _read_xlsx(content) if name.lower().endswith(".xlsx") else _read_csv(content)
    if not table:
        raise FileProblem(_("The file is empty."))
    header = [str(cell or "").strip().lower() for cell in table[0]]
    missing = [column for column in ("date", "district", "category", "milieu") if column not in header]
    if missing:
        raise FileProblem(_("Columns missing from the first row: %(columns)s. Start from the template.")
                          % {"columns": ", ".join(missing)})
    unknown = [column for column in header if column and column not in COLUMNS]
    if unknown:
        raise FileProblem(_("Unknown columns: %(columns)s. Start from the template.")
                          % {"columns": ", ".join(unknown)})
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {column: _text(cells[i]) if i < len(cells) else "" for i, column in enumerate(header) if column}
        if any(values.values()):
            rows.append((number, values))
    if len(rows) > MAX_ROWS:
        raise FileProblem(_("At most %(n)s rows can be imported at a time.") % {"n": MAX_ROWS})
    return rows


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


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(_("The file is not UTF-8 text.")) from exc
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _read_xlsx(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that isn't a workbook
        raise FileProblem(_("The file is not an Excel workbook (.xlsx).")) from exc
    sheet = workbook.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _import_form(municipality: Municipality) -> ObservationForm:
    """One form reused for every row: building a Django form per row (copying its 22 fields, querying the
    district and organisation of each row) would cost more than the rest of the import together."""
    form = ObservationForm(data={}, municipality=municipality)
    districts = {d.key: d for d in municipality.districts.all()}
    organisations = {o.key: o for o in municipality.organisations.all()}
    form.fields["district"] = forms.TypedChoiceField(
        label=form.fields["district"].label, choices=[(key, key) for key in districts], coerce=districts.get)
    form.fields["source_organisation"] = forms.TypedChoiceField(
        label=form.fields["source_organisation"].label, choices=[(key, key) for key in organisations],
        coerce=organisations.get, required=False, empty_value=None)
    return form


def validate(municipality: Municipality, rows: list[tuple[int, dict[str, str]]]
             ) -> tuple[list[dict[str, Any]], list[RowProblem]]:
    """Validated values for every row, and a problem per bad field per row."""
    valid, problems = [], []
    form = _import_form(municipality)
    for number, values in rows:
        data = dict(values)
        signs = [s.strip() for s in data.pop("signs", "").replace(",", ";").split(";") if s.strip()]
        form.data = {**data, "signs": signs}
        form._errors = None  # re-run full_clean() for the new data
        if form.is_valid():
            valid.append(form.values())
            continue
        for field, errors in form.errors.items():
            label = field if field in COLUMNS else ""
            for error in errors:
                problems.append(RowProblem(number, f"{label}: {error}" if label else str(error)))
    return valid, problems


def import_file(*, actor: Any, municipality: Municipality, name: str, content: bytes) -> int:
    """Parse, validate and save; raise ImportRejected (nothing saved) if any row is bad."""
    rows = read_rows(name, content)
    if not rows:
        raise FileProblem(_("The file has no observations below the header row."))
    valid, problems = validate(municipality, rows)
    if problems:
        raise services.ImportRejected(problems)
    return services.observations_import(actor=actor, municipality=municipality, rows=valid,
                                        source="xlsx" if name.lower().endswith(".xlsx") else "csv")


def _example(municipality: Municipality) -> list[str]:
    district = municipality.districts.first()
    example = {"date": dt.date.today().replace(day=1).isoformat(), "district": district.key if district else "",
               "category": Category.PROPAGANDA, "milieu": Milieu.WHITE_POWER,
               "signs": "early-graffiti-stickers;heightened-symbols", "source_organisation": "",
               "description": "Klistermärken vid busshållplatsen, borttagna samma dag."}
    return [str(example.get(column, "0")) for column in COLUMNS]


def _help_rows(municipality: Municipality) -> list[list[str]]:
    rows = [[_("Column"), _("Allowed values")],
            ["date", "YYYY-MM-DD"],
            ["district", ", ".join(d.key for d in municipality.districts.all())],
            ["category", ", ".join(Category.values)],
            ["milieu", ", ".join(Milieu.values)],
            ["signs", _("Sign ids separated by ;") + " " + ", ".join(SIGNS)],
            ["source_organisation", ", ".join(o.key for o in municipality.organisations.all())],
            ["description", _("At most 500 characters, no personal data")]]
    rows += [[name, _("Number of people (0 or more)")] for name, _g, _a in COUNT_FIELDS]
    return rows


def template_csv(municipality: Municipality) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
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
