"""Compare a list page with its CSV and XLSX exports: the same headers, rows and cell texts."""

from __future__ import annotations

import io

import lxml.html
from openpyxl import load_workbook

from varna.core.exports import cell_text, read_csv


def page_tables(html: bytes | str) -> list[list[list[str]]]:
    """Every `data-export-table` on a page, as rows of cell texts (header row first)."""
    document = lxml.html.fromstring(html)
    tables = []
    # XPath rather than CSS selectors: lxml's cssselect needs a package the project does not install.
    for table in document.xpath("//table[@data-export-table]"):
        rows = []
        for tr in table.xpath(".//tr"):
            rows.append([" ".join(cell.text_content().split()) for cell in tr.xpath("./th|./td")])
        tables.append(rows)
    return tables


def page_table(html: bytes | str) -> list[list[str]]:
    tables = page_tables(html)
    assert len(tables) == 1, f"expected one export table on the page, found {len(tables)}"
    return tables[0]


def _undefuse(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:2] in ("=", "+", "-", "@", "\t", "\r") else text


def _squash(text: str) -> str:
    return " ".join(text.split())


def _from_header(rows: list[list[str]], header: list[str]) -> list[list[str]]:
    """Drop the heading lines (what was filtered, when) above the table's header row."""
    rows = [[_squash(_undefuse(str(cell))) for cell in row] for row in rows]
    for index, row in enumerate(rows):
        if row == header:
            return rows[index:]
    return rows


def csv_table(content: bytes, header: list[str]) -> list[list[str]]:
    """The header row and the data rows of a CSV export."""
    return _from_header(read_csv(content), header)


def xlsx_table(content: bytes, header: list[str]) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(content)).active  # read-only mode invents a row for the frozen pane
    width = len(header)
    rows = [["" if v is None else (v if isinstance(v, str) else cell_text(v)) for v in row]
            for row in sheet.iter_rows(values_only=True)]
    # Heading lines are one cell wide; pad so that rows compare at the table's width.
    rows = [(row + [""] * width)[:max(width, len(row))] for row in rows]
    return _from_header(rows, header)


def assert_export_equals_page(page_html: bytes | str, csv_content: bytes, xlsx_content: bytes) -> list[list[str]]:
    shown = page_table(page_html)
    assert csv_table(csv_content, shown[0]) == shown
    assert xlsx_table(xlsx_content, shown[0]) == shown
    return shown
