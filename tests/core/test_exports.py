"""The shared table export: what a spreadsheet opens is what the page showed, and never a formula."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.http import Http404
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.export_checks import csv_table, xlsx_table
from varna.core import exports
from varna.core.exports import Column, table_of

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
values = st.one_of(texts, st.integers(-10**6, 10**6), st.none(), st.booleans(), st.dates())


def _table(rows):
    columns = [Column(f"c{i}", (lambda row, i=i: row[i])) for i in range(3)]
    return table_of(columns, rows, title="Test")


@given(st.lists(st.tuples(values, values, values), max_size=15))
def test_csv_and_xlsx_hold_the_page_cells(rows):
    table = _table(rows)
    shown = [[" ".join(t.split()) for t in row] for row in [table.headers, *table.text_rows()]]
    assert csv_table(exports.as_csv(table), shown[0]) == shown
    assert xlsx_table(exports.as_xlsx(table), shown[0]) == shown


@pytest.mark.parametrize("dangerous", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)"])
def test_a_cell_that_looks_like_a_formula_is_written_as_text(dangerous):
    table = _table([(dangerous, 1, None)])
    assert exports.read_csv(exports.as_csv(table))[1][0] == "'" + dangerous
    sheet = load_workbook(io.BytesIO(exports.as_xlsx(table))).active
    assert sheet.cell(row=2, column=1).value == "'" + dangerous
    assert sheet.cell(row=2, column=1).data_type == "s"


def test_numbers_stay_numbers_and_swedish_letters_survive():
    table = _table([("Rågsved Ö", 7, dt.date(2026, 3, 1))])
    assert exports.as_csv(table).startswith(b"\xef\xbb\xbf")
    assert "Rågsved Ö" in exports.as_csv(table).decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(exports.as_xlsx(table))).active
    assert sheet.cell(row=2, column=2).value == 7
    assert sheet.cell(row=2, column=3).value == "2026-03-01"


def test_heading_lines_come_before_a_blank_line_and_the_table():
    table = _table([("a", 1, None)])
    table.heading = ["Exported 2026-11-25", "Filter: term 2026H2"]
    assert csv_table(exports.as_csv(table), ["c0", "c1", "c2"]) == [["c0", "c1", "c2"], ["a", "1", ""]]
    assert exports.read_csv(exports.as_csv(table))[:3] == [["Exported 2026-11-25"], ["Filter: term 2026H2"], []]


def test_export_response_names_the_file_and_is_not_cached():
    response = exports.export_response(_table([]), "xlsx", "list")
    assert response["Content-Disposition"] == 'attachment; filename="list.xlsx"'
    assert response["Cache-Control"] == "no-store"
    with pytest.raises(Http404):
        exports.export_response(_table([]), "pdf", "list")
