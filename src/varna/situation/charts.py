"""Server-side SVG charts and the district map: no JavaScript, no inline style (the CSP refuses it).

Colours and strokes are presentation attributes. Every chart carries a <title> and <desc> and is shown
next to the accessible table it draws, so the chart itself is an illustration of that table. Hidden
(suppressed) counts are hatched where a bar would be, and labelled with their display text.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from varna.disclosure.suppression import Cell
from varna.situation.selectors import SituationTable

# Designsystemet-like palette with enough contrast against white and between neighbours.
PALETTE = ["#1e5aa8", "#c2410c", "#4b5563", "#15803d", "#7e22ce", "#b91c1c"]
HIDDEN_FILL = "#e5e7eb"
TEXT = "#1f2937"
_counter = 0


def _id(prefix: str) -> str:
    global _counter
    _counter += 1
    return f"{prefix}-{_counter}"


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> SafeString:
    ident = _id("chart")
    markup = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d" class="chart" font-family="sans-serif" font-size="12">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        + "".join(body) + "</svg>")
    # Every text in the SVG went through escape() above.
    return mark_safe(markup)  # noqa: S308 # nosec B308, B703


def _legend(labels: list[str], y: int, width: int, x0: int = 10) -> tuple[list[str], int]:
    """Legend items left to right, wrapping onto new lines; returns the parts and the height used."""
    parts, x, line = [], x0, 0
    for index, label in enumerate(labels):
        item_width = 24 + 7 * len(label)
        if x > x0 and x + item_width > width:
            x, line = x0, line + 1
        top = y + 18 * line
        parts.append(f'<rect x="{x}" y="{top}" width="12" height="12" fill="{PALETTE[index % len(PALETTE)]}"/>'
                     f'<text x="{x + 16}" y="{top + 10}" fill="{TEXT}">{escape(label)}</text>')
        x += item_width
    return parts, 18 * (line + 1)


def _short(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _hatch(ident: str) -> str:
    """The pattern hidden counts are drawn with, as on the national map: grey diagonal stripes."""
    return (f'<defs><pattern id="{ident}" patternUnits="userSpaceOnUse" width="6" height="6" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{HIDDEN_FILL}"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="#6b7280" stroke-width="2"/></pattern></defs>')


def bar_chart(table: SituationTable, desc: str) -> SafeString:
    """Horizontal bars, one per row of ``table``, stacked by column (gender), each row's label above its bar.

    The bar is as long as the row's published total: the columns the table shows are coloured and whatever
    the table hides ("≤5", "–") is hatched, so the drawing never disagrees with the number beside it. The
    hatched length is the total less the shown columns, which the table already lets anyone compute. Drawn
    360 units wide so that its 12-unit text stays 12 px on a 390 px phone.
    """
    from django.utils.translation import gettext as _

    width, bar_width, row_height = 360, 300, 40
    hatch = _id("hatch")
    labels = [label for _key, label in table.columns]
    body, legend_height = _legend([*labels, str(_("Hidden"))], 6, width)
    # The legend's last swatch is the hatch, not a colour of the palette.
    body[-1] = body[-1].replace(f'fill="{PALETTE[len(labels) % len(PALETTE)]}"', f'fill="url(#{hatch})"', 1)
    body.insert(0, _hatch(hatch))
    top = 12 + legend_height
    height = top + row_height * len(table.rows) + 6
    peak = max([row.total.value or 0 for row in table.rows] + [sum(c.value or 0 for c in row.cells)
                                                                  for row in table.rows] + [1])
    for index, row in enumerate(table.rows):
        y = top + index * row_height
        body.append(f'<text x="0" y="{y + 12}" fill="{TEXT}">{escape(_short(row.label, 44))}</text>')
        bar_y, bar_h = y + 16, row_height - 20
        x = 0.0
        for column, cell in enumerate(row.cells):
            if cell.value:
                w = bar_width * cell.value / peak
                body.append(f'<rect x="{x:.1f}" y="{bar_y}" width="{w:.1f}" height="{bar_h}" '
                            f'fill="{PALETTE[column % len(PALETTE)]}"/>')
                x += w
        shown = sum(cell.value or 0 for cell in row.cells)
        if row.total.value is not None and row.total.value > shown:
            w = bar_width * (row.total.value - shown) / peak
            body.append(f'<rect x="{x:.1f}" y="{bar_y}" width="{w:.1f}" height="{bar_h}" fill="url(#{hatch})"/>')
            x += w
        elif row.total.suppressed:
            body.append(f'<rect x="0" y="{bar_y}" width="18" height="{bar_h}" fill="url(#{hatch})"/>')
            x = 18
        body.append(f'<text x="{x + 4:.1f}" y="{bar_y + bar_h - 4}" fill="{TEXT}">{escape(row.total.display)}</text>')
    return _svg(width, height, table.caption, desc, body)


def line_chart(table: SituationTable, desc: str) -> SafeString:
    """One line per column (gender) and one for the total, across the rows (terms). A hidden count
    breaks its line: nothing is drawn where the table shows "≤5" or "–"."""
    # 360 units wide, as the bars: 12-unit text stays 12 px on a phone.
    width, left, right, bottom = 360, 34, 24, 40
    n = len(table.rows)
    series = [(label, [row.cells[j] for row in table.rows]) for j, (_key, label) in enumerate(table.columns)]
    from django.utils.translation import gettext as _

    series.append((str(_("Total")), [row.total for row in table.rows]))
    peak = max([c.value or 0 for _label, cells in series for c in cells] + [1])
    legend, legend_height = _legend([label for label, _cells in series], 6, width)
    top = 18 + legend_height
    height = top + 190 + bottom
    plot_w, plot_h = width - left - right, height - top - bottom

    def xy(i: int, value: int) -> tuple[float, float]:
        x = left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)
        return x, top + plot_h - plot_h * value / peak

    body = legend
    body.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="{TEXT}"/>')
    body.append(f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" fill="{TEXT}">{peak}</text>')
    body.append(f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" fill="{TEXT}">0</text>')
    for i, row in enumerate(table.rows):
        x, _y = xy(i, 0)
        body.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle" fill="{TEXT}">'
                    f"{escape(row.label)}</text>")
    for index, (_label, cells) in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        segment: list[str] = []
        for i, cell in enumerate([*cells, None]):
            if cell is not None and cell.value is not None:
                x, y = xy(i, cell.value)
                segment.append(f"{x:.1f},{y:.1f}")
                body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
            else:
                if len(segment) > 1:
                    dash = ' stroke-dasharray="6 3"' if index == len(series) - 1 else ""
                    body.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" '
                                f'stroke-width="2"{dash}/>')
                segment = []
    return _svg(width, height, table.caption, desc, body)


def district_map(geojson: dict[str, Any], regions: dict[str, tuple[str, Cell]], title: str,
                 desc: str) -> SafeString:
    """Districts shaded by their (suppressed) total. Features are matched on ``properties.key`` to the
    keys of ``regions`` (district key → (name, total cell)); hidden counts get a neutral fill and their
    display text."""
    totals = {key: cell for key, (_name, cell) in regions.items()}
    keys = {key: name for key, (name, _cell) in regions.items()}
    # (district key, name from the file, outer ring) for every polygon; a MultiPolygon gives several.
    shapes: list[tuple[Any, Any, Any]] = []  # as read from the file, checked where drawn
    for feature in geojson.get("features", []):
        geometry: dict[str, Any] = feature.get("geometry") or {}
        properties: dict[str, Any] = feature.get("properties") or {}
        kind, coordinates = geometry.get("type"), geometry.get("coordinates")
        polygons = [coordinates] if kind == "Polygon" else (coordinates or []) if kind == "MultiPolygon" else []
        shapes += [(properties.get("key"), properties.get("name"), polygon[0]) for polygon in polygons if polygon]
    points = [pt for _key, _name, ring in shapes for pt in ring]
    if not points:
        return _svg(400, 40, title, desc, [f'<text x="10" y="24" fill="{TEXT}">–</text>'])
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    width, height, pad = 360, 340, 6  # phone width, as the charts
    # Longitude degrees are shorter than latitude degrees this far north (cos 59.4° ≈ 0.51).
    sx = (width - 2 * pad) / ((max_x - min_x) * 0.51 or 1)
    sy = (height - 2 * pad) / ((max_y - min_y) or 1)
    scale = min(sx, sy)
    peak = max([cell.value or 0 for cell in totals.values()] + [1])

    def project(pt: list[float]) -> tuple[float, float]:
        return pad + (pt[0] - min_x) * 0.51 * scale, pad + (max_y - pt[1]) * scale

    hatch = _id("hatch")
    body = [_hatch(hatch)]
    for key, file_name, ring in shapes:
        name = keys.get(key, file_name or key)
        cell = totals.get(key)
        if cell is None or cell.value is None:
            fill = f"url(#{hatch})"
        else:
            # Five shades of blue from light to dark.
            shades = ["#eff6ff", "#bfdbfe", "#60a5fa", "#2563eb", "#1e3a8a"]
            fill = shades[min(4, int(4 * cell.value / peak + 0.5))] if cell.value else "#ffffff"
        projected = [project(pt) for pt in ring]
        path = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in projected) + " Z"
        display = cell.display if cell is not None else "–"
        body.append(f'<path d="{path}" fill="{fill}" stroke="#374151" stroke-width="1">'
                    f"<title>{escape(str(name))}: {escape(display)}</title></path>")
        cx = sum(x for x, _y in projected[:-1]) / max(1, len(projected) - 1)
        cy = sum(y for _x, y in projected[:-1]) / max(1, len(projected) - 1)
        dark = cell is not None and cell.value and cell.value / peak > 0.6
        colour = "#ffffff" if dark else TEXT
        body.append(f'<text x="{cx:.1f}" y="{cy:.1f}" text-anchor="middle" fill="{colour}" font-size="12">'
                    f'{escape(str(name))}</text><text x="{cx:.1f}" y="{cy + 13:.1f}" text-anchor="middle" '
                    f'fill="{colour}" font-size="12" font-weight="bold">{escape(display)}</text>')
    return _svg(width, height, title, desc, body)
