"""Compare a list page with its CSV and XLSX exports: the same headers, rows and cell texts."""

from __future__ import annotations

import io
from typing import Any

import lxml.html
from openpyxl import load_workbook

from varna.core.exports import FORMULA_START, cell_text, read_csv


def _text(element: lxml.html.HtmlElement) -> str:
    # A line break on the page is a newline in the file: both read as one space once squashed.
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return " ".join(element.text_content().split())


def _rows(table: lxml.html.HtmlElement) -> list[list[str]]:
    # Rows and cells marked data-export-skip are the page's own (row buttons, "nothing yet"), not data.
    return [[_text(cell) for cell in tr.xpath("./th|./td") if cell.get("data-export-skip") is None]
            for tr in table.xpath(".//tr") if tr.get("data-export-skip") is None]


def page_captioned_tables(html: bytes | str) -> list[tuple[str, list[list[str]]]]:
    """Every `data-export-table` on a page as (caption, rows of cell texts with the header row first)."""
    document = lxml.html.fromstring(html)
    tables = []
    # XPath, not CSS selectors: lxml's cssselect needs a package the project does not install.
    for table in document.xpath("//table[@data-export-table]"):
        caption = table.find("caption")
        tables.append((_text(caption) if caption is not None else "", _rows(table)))
    return tables


def page_tables(html: bytes | str) -> list[list[list[str]]]:
    """Every `data-export-table` on a page, as rows of cell texts (header row first)."""
    return [rows for _caption, rows in page_captioned_tables(html)]


def page_table(html: bytes | str) -> list[list[str]]:
    tables = page_tables(html)
    assert len(tables) == 1, f"expected one export table on the page, found {len(tables)}"
    return tables[0]


def _undefuse(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:2] and text[1] in FORMULA_START else text


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


def csv_tables(content: bytes) -> list[tuple[str, list[list[str]]]]:
    """The tables of a file made by `core.exports.tables_csv`: (caption, rows), after the heading lines."""
    rows = [[_squash(_undefuse(cell)) for cell in row] for row in read_csv(content)]
    blocks: list[list[list[str]]] = [[]]
    for row in rows:
        if not row:
            blocks.append([])
        else:
            blocks[-1].append(row)
    return [(block[0][0], block[1:]) for block in blocks[1:] if block]


def xlsx_tables(content: bytes) -> list[tuple[str, list[list[str]]]]:
    """The tables of a workbook made by `core.exports.tables_xlsx`: one sheet each, caption in the first row."""
    workbook = load_workbook(io.BytesIO(content))
    tables = []
    for sheet in workbook.worksheets:
        if sheet.title == "info":
            continue
        rows = [["" if v is None else _squash(_undefuse(v if isinstance(v, str) else cell_text(v))) for v in row]
                for row in sheet.iter_rows(values_only=True)]
        width = max((len(row) for row in rows[1:]), default=0)
        tables.append((rows[0][0], [(row + [""] * width)[:width] for row in rows[1:]]))
    return tables


def assert_tables_export_equals_page(page_html: bytes | str, csv_content: bytes,
                                     xlsx_content: bytes | None) -> list[tuple[str, list[list[str]]]]:
    """A page of several tables (a dashboard) and its files: the same tables, captions, headers and cells."""
    shown = page_captioned_tables(page_html)
    assert shown, "the page marks no table with data-export-table"
    assert csv_tables(csv_content) == shown
    if xlsx_content is not None:
        assert xlsx_tables(xlsx_content) == shown
    return shown


def every_page(client: Any, url: str) -> list[bytes]:
    """The HTML of every page of a paginated list (`page` in the context), first to last, same query string."""
    first = client.get(url)
    assert first.status_code == 200
    pages = [first.content]
    separator = "&" if "?" in url else "?"
    for number in range(2, first.context["page"].paginator.num_pages + 1):
        response = client.get(f"{url}{separator}page={number}")
        assert response.status_code == 200
        pages.append(response.content)
    return pages


def all_pages_table(pages: list[bytes]) -> list[list[str]]:
    """One list's table over all its pages: the header once, then every page's rows in order."""
    tables = [page_table(html) for html in pages]
    assert all(table[0] == tables[0][0] for table in tables), "the columns changed between pages"
    return [tables[0][0], *[row for table in tables for row in table[1:]]]


def assert_export_equals_pages(pages: list[bytes], csv_content: bytes, xlsx_content: bytes) -> list[list[str]]:
    """A paginated list and its files: the files hold every page's rows, in order (ADR 0010)."""
    shown = all_pages_table(pages)
    assert csv_table(csv_content, shown[0]) == shown
    assert xlsx_table(xlsx_content, shown[0]) == shown
    return shown
