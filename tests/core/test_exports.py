"""The shared table export: what a spreadsheet opens is what the page showed, and never a formula."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.http import Http404
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.export_checks import (
    all_pages_table,
    assert_export_equals_pages,
    csv_table,
    csv_tables,
    every_page,
    page_captioned_tables,
    xlsx_table,
    xlsx_tables,
)
from varna.core import exports
from varna.core.exports import Column, table_of
from varna.core.models import AuditEvent

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


def test_several_tables_go_into_one_csv_under_their_captions_and_one_sheet_each():
    first = _table([("a", 1, None)])
    first.title, first.key = "Först", "first"
    second = _table([("=1+1", "≤5", dt.date(2026, 1, 2)), ("b", 0, "–")])
    second.title, second.key = "Sedan", "second"
    shown = [("Först", [["c0", "c1", "c2"], ["a", "1", ""]]),
             ("Sedan", [["c0", "c1", "c2"], ["=1+1", "≤5", "2026-01-02"], ["b", "0", "–"]])]
    heading = ["Exported 2026-11-25"]
    assert csv_tables(exports.tables_csv([first, second], heading)) == shown
    workbook = exports.tables_xlsx([first, second], heading)
    assert xlsx_tables(workbook) == shown
    sheets = load_workbook(io.BytesIO(workbook))
    assert sheets.sheetnames == ["info", "first", "second"]
    assert sheets["second"].cell(row=3, column=1).value == "'=1+1"  # defused in a workbook too


def test_sheet_names_are_legal_and_unique():
    tables = [_table([]) for _i in range(3)]
    for table in tables:
        table.title = "Per kommun: personer/kön [VT 2026] och mycket mer text"
    names = load_workbook(io.BytesIO(exports.tables_xlsx(tables))).sheetnames[1:]
    assert len(set(names)) == 3
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)


def test_export_links_carry_the_filters_but_not_the_page(rf):
    request = rf.get("/sollentuna/followup/log/", {"activity": "meet", "page": "3"})
    links = exports.export_links(request, "followup:compliance_export", municipality="sollentuna")
    assert links == {"export_csv": "/sollentuna/followup/compliance.csv?activity=meet",
                     "export_xlsx": "/sollentuna/followup/compliance.xlsx?activity=meet"}


def test_an_unknown_format_is_refused_before_anything_is_made():
    with pytest.raises(Http404):
        exports.check_format("pdf")
    with pytest.raises(Http404):
        exports.export_tables_response([], "ods", "x")


def test_the_page_template_marks_the_table_and_leaves_row_buttons_out_of_the_comparison():
    from django.template import Template
    from django.template.loader import render_to_string

    table = _table([("a", "line one\nline two", None)])
    # `actions` may name a template or be one: a button per row, which the files leave out.
    actions = Template("<button>Remove {{ object }}</button>")
    table.objects = ["row 1"]
    html = render_to_string("core/table.html", {"table": table, "caption": "Caption", "actions": actions})
    assert "<button>Remove row 1</button>" in html
    assert html.count("data-export-skip") == 2  # the actions header and the row's actions cell
    assert "line one<br>line two" in html
    assert page_captioned_tables(html) == [("Caption", [["c0", "c1", "c2"], ["a", "line one line two", ""]])]
    empty = render_to_string("core/table.html", {"table": _table([]), "empty": "Nothing here"})
    assert "Nothing here" in empty
    assert page_captioned_tables(empty)[0][1] == [["c0", "c1", "c2"]]


# --- core's own lists: people and roles, the audit log --------------------------------------------------

PEOPLE = "/sollentuna/manage/people/"
AUDIT = "/sollentuna/manage/audit/"


def _files(client, path, query=""):
    csv_response, xlsx_response = client.get(f"{path}export.csv{query}"), client.get(f"{path}export.xlsx{query}")
    assert csv_response.status_code == xlsx_response.status_code == 200
    return csv_response.content, xlsx_response.content


def test_the_people_export_equals_every_page_for_the_administrator(verified_client, ada, alice, make_person,
                                                                   sollentuna):
    for n in range(52):
        make_person(f"person{n:02}@sollentuna.example", "staff", sollentuna, unit="buk")
    client = verified_client(ada)
    pages = every_page(client, PEOPLE)
    assert len(pages) == 2
    shown = assert_export_equals_pages(pages, *_files(client, PEOPLE))
    assert len(shown) - 1 == 54
    assert shown[2][:2] == ["alice", "alice@sollentuna.example"]
    event = AuditEvent.objects.filter(action="core.people.exported", actor=ada).latest("id")
    assert event.data == {"format": "xlsx", "filters": {}, "rows": 54}  # no names or addresses in the log


def test_only_the_administrator_downloads_people(verified_client, client, alice, tove, ada, sollentuna):
    assert verified_client(alice).get(PEOPLE).status_code == 403
    assert verified_client(alice).get(PEOPLE + "export.csv").status_code == 403
    assert verified_client(tove).get(PEOPLE + "export.csv").status_code == 404
    assert not AuditEvent.objects.filter(action="core.people.exported").exists()


def test_the_audit_log_export_equals_its_pages_under_the_filter(verified_client, alice, sollentuna):
    from varna.core import audit

    for n in range(55):
        audit.record(actor=alice, action="test.thing.done", municipality=sollentuna, purpose=f"purpose {n}")
    audit.record(actor=alice, action="other.thing.done", municipality=sollentuna, purpose="not this one")
    audit.record(actor=alice, action="cases.case.viewed", municipality=sollentuna, object_type="cases.case",
                 object_id="VX-7K3Q")
    client = verified_client(alice)
    client.cookies["django_language"] = "en"
    pages = every_page(client, AUDIT + "?action=test.")
    assert len(pages) == 2
    csv_content, xlsx_content = _files(client, AUDIT, "?action=test.")
    shown = assert_export_equals_pages(pages, csv_content, xlsx_content)
    assert len(shown) - 1 == 55
    assert {row[2] for row in shown[1:]} == {"test.thing.done"}
    assert b"not this one" not in csv_content
    event = AuditEvent.objects.filter(action="core.audit_log.exported").latest("id")
    assert event.data == {"format": "xlsx", "filters": {"action": "test."}, "rows": 55}


def test_the_audit_log_export_leaves_case_events_out_like_the_page(verified_client, ada, sollentuna):
    from varna.core import audit

    audit.record(actor=ada, action="cases.case.viewed", municipality=sollentuna, object_type="cases.case",
                 object_id="VX-7K3Q")
    client = verified_client(ada)
    # Unfiltered, each download adds its own event: compare each file with the page just before it.
    for file_format, read in (("csv", csv_table), ("xlsx", xlsx_table)):
        shown = all_pages_table(every_page(client, AUDIT))
        content = client.get(f"{AUDIT}export.{file_format}").content
        assert read(content, shown[0]) == shown
    assert "VX-7K3Q" not in str(shown)
    page = every_page(client, AUDIT + "?action=cases.")
    assert assert_export_equals_pages(page, *_files(client, AUDIT, "?action=cases.")) == [shown[0]]


def test_staff_and_other_municipalities_get_no_audit_log(client, verified_client, bob, tove, sollentuna):
    client.force_login(bob)
    assert client.get(AUDIT + "export.csv").status_code == 403
    assert verified_client(tove).get(AUDIT + "export.xlsx").status_code == 404


def test_a_csv_file_opens_as_columns_in_swedish_excel() -> None:
    """Swedish Excel splits on semicolons and needs the byte-order mark to read å, ä, ö."""
    table = exports.Table(title="Kontakter", headers=["Namn", "Telefon"],
                          rows=[[exports.Cell("Åsa Öberg, kurator"), exports.Cell("08-1")]])
    content = exports.as_csv(table)
    assert content.startswith("\ufeff".encode())
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0] == '"Namn";"Telefon"'
    assert lines[1] == '"Åsa Öberg, kurator";"08-1"'
    assert exports.read_csv(content)[1] == ["Åsa Öberg, kurator", "08-1"]
