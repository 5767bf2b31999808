"""CSV and XLSX of exactly the tables shown on screen: the display strings, suppression included."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from varna.situation.selectors import SituationTable


def tables_csv(tables: Sequence[SituationTable], heading: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in heading:
        writer.writerow([line])
    for table in tables:
        writer.writerow([])
        writer.writerow([table.caption])
        writer.writerows(table.display_rows())
    return out.getvalue().encode("utf-8-sig")


def tables_xlsx(tables: Sequence[SituationTable], heading: list[str]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    about = workbook.active
    about.title = "info"
    for line in heading:
        about.append([line])
    for table in tables:
        sheet = workbook.create_sheet(table.key[:31])
        sheet.append([table.caption])
        for row in table.display_rows():
            # Shown counts as numbers so they can be charted; hidden ones stay text ("≤5", "–").
            sheet.append([int(v) if isinstance(v, str) and v.isdigit() else v for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
