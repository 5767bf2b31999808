"""The national map: Sweden's municipalities shaded by one measure, drawn as SVG on the server.

A measure becomes one :class:`MapRow` per participating municipality: the text the table beside the map
shows and the shade class of its shape. The map and the table are both drawn from these rows, so they
cannot disagree. Counts arrive as suppressed cells: a hidden count gets the hatched "hidden" shade and
its display text ("–"), never a shade of its own, and shades are chosen from displayed (rounded) values
only, so the map tells nothing the table doesn't. Municipalities that don't take part are grey.

No JavaScript and no inline style (the CSP forbids both): shades are CSS classes (`varna.css`), the
hatch is an SVG pattern referenced by a presentation attribute, and every shape has a <title>.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from varna.core.models import Municipality
from varna.disclosure.suppression import Cell
from varna.national import geometry
from varna.national.selectors import CoverageRow

MEASURES = ("observations", "plans", "training")
DEFAULT_MEASURE = "observations"
SHADES = 4

HIDDEN = "map-area--hidden"
ABSENT = "map-area--absent"
ZERO = "map-area--zero"
NO_PLAN = "map-area--no-plan"


def shade(level: int) -> str:
    return f"map-area--{level}"


@dataclass(frozen=True)
class MapRow:
    code: str
    name: str
    county: str
    display: str
    css: str


@dataclass(frozen=True)
class LegendItem:
    css: str
    label: str


@dataclass(frozen=True)
class NationalMap:
    measure: str
    caption: str
    value_header: str
    rows: list[MapRow]
    legend: list[LegendItem]


def _county(municipality: Municipality) -> str:
    return geometry.county_names().get(municipality.county_code, municipality.county_code)


def count_map(measure: str, caption: str, value_header: str, municipalities: Sequence[Municipality],
              cells: Sequence[Cell]) -> NationalMap:
    """Shade suppressed counts: hidden → hatched, 0 → white, shown counts in SHADES equal steps up to
    the largest shown count."""
    peak = max((cell.value or 0 for cell in cells), default=0)
    # Steps are whole multiples of 5, like the rounded counts they sort.
    step = max(5, math.ceil(peak / SHADES / 5) * 5)
    levels = min(SHADES, max(1, math.ceil(peak / step)))
    # With fewer steps than shades the lightest are left out, so the largest count is always darkest.
    offset = SHADES - levels
    rows = []
    for municipality, cell in zip(municipalities, cells, strict=True):
        if cell.value is None:
            css = HIDDEN
        elif cell.value == 0:
            css = ZERO
        else:
            css = shade(offset + min(levels, math.ceil(cell.value / step)))
        rows.append(MapRow(municipality.code, municipality.name, _county(municipality), cell.display, css))
    legend = [LegendItem(shade(offset + level), f"{(level - 1) * step + 1}–{level * step}")
              for level in range(1, levels + 1) if peak]
    legend += [LegendItem(ZERO, "0"), LegendItem(HIDDEN, _("Hidden (–)")),
               LegendItem(ABSENT, _("Not taking part"))]
    return NationalMap(measure, caption, value_header, rows, legend)


PLAN_AGE_STEPS = (2, 4, 8)  # years: under 2, 2–3, 4–7, 8 or more


def plan_map(coverage: Iterable[CoverageRow]) -> NationalMap:
    """Shade by the age of the latest approved plan; no approved plan has its own shade."""
    rows = []
    for row in coverage:
        if row.age_years is None:
            css, display = NO_PLAN, _("No approved plan")
        else:
            css = shade(1 + sum(row.age_years >= limit for limit in PLAN_AGE_STEPS))
            display = ngettext("%(years)d year", "%(years)d years", row.age_years) % {"years": row.age_years}
        rows.append(MapRow(row.municipality.code, row.municipality.name, _county(row.municipality), display, css))
    legend = [LegendItem(shade(1), _("Under 2 years")), LegendItem(shade(2), _("2–3 years")),
              LegendItem(shade(3), _("4–7 years")), LegendItem(shade(4), _("8 years or more")),
              LegendItem(NO_PLAN, _("No approved plan")), LegendItem(ABSENT, _("Not taking part"))]
    return NationalMap("plans", _("Age of the latest approved action plan"), _("Age"), rows, legend)


# --- drawing ----------------------------------------------------------------------------------------

PANEL_HEIGHT = 560  # drawing units; the SVG scales to its column
INSET_SIZE = 300
_ids = itertools.count(1)

Viewport = tuple[float, float, float, float]  # min x, min y, max x, max y in projected km


def _padded(bounds: Viewport, fraction: float, minimum: float = 0.0) -> Viewport:
    min_x, min_y, max_x, max_y = bounds
    width, height = max(max_x - min_x, minimum), max(max_y - min_y, minimum)
    cx, cy = (min_x + max_x) / 2, (min_y + max_y) / 2
    half_w, half_h = width * (1 + fraction) / 2, height * (1 + fraction) / 2
    return cx - half_w, cy - half_h, cx + half_w, cy + half_h


def _union(bounds: Iterable[Viewport]) -> Viewport:
    boxes = list(bounds)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


@functools.lru_cache(maxsize=32)
def _paths(viewport: Viewport, scale: float) -> tuple[tuple[str, str, str], ...]:
    """(code, name, SVG path data) of every municipality that reaches into `viewport`, simplified for
    `scale` (drawing units per km). Cached: the country panel is the same on every request and a
    close-up changes only when the set of participating municipalities does."""
    min_x, min_y, max_x, max_y = viewport
    tolerance = geometry.tolerance_for(1 / scale)
    result = []
    for area in geometry.municipalities_at(tolerance):
        a_min_x, a_min_y, a_max_x, a_max_y = area.bounds
        if a_max_x < min_x or a_min_x > max_x or a_max_y < min_y or a_min_y > max_y:
            continue
        result.append((area.code, area.name, _path_data(area.rings, min_x, max_y, scale)))
    return tuple(result)


def _path_data(rings: Iterable[Sequence[geometry.Point]], left: float, top: float, scale: float) -> str:
    """Relative path commands between points rounded to whole drawing units (a panel is drawn at about
    one unit per pixel): the country map is then about a third of the text it is with one decimal.
    Points are rounded before the differences are taken, so rounding errors don't add up along a ring."""
    parts = []
    for ring in rings:
        points = [(round((x - left) * scale), round((top - y) * scale)) for x, y in ring]
        (x0, y0), moves = points[0], []
        px, py = x0, y0
        for x, y in points[1:]:
            if (x, y) != (px, py):
                moves.append(f"{x - px} {y - py}")
                px, py = x, y
        if len(moves) >= 2:
            parts.append(f"M{x0} {y0}l" + " ".join(moves) + "z")
    return "".join(parts)


def _panel(viewport: Viewport, width: float, height: float, rows: dict[str, MapRow], title: str,
           desc: str) -> SafeString:
    scale = min(width / (viewport[2] - viewport[0]), height / (viewport[3] - viewport[1]))
    ident = f"national-map-{next(_ids)}"
    hatch = f"{ident}-hatch"
    body = [f'<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f3f4f6"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="#6b7280" stroke-width="2"/></pattern></defs>']
    not_taking_part = _("not taking part")
    for code, name, data in _paths(viewport, round(scale, 6)):
        row = rows.get(code)
        css, text = (row.css, row.display) if row else (ABSENT, not_taking_part)
        # A pattern can't be named from the stylesheet without knowing this SVG's ids: the hatch is
        # the only fill given as an attribute.
        fill = f' fill="url(#{hatch})"' if css == HIDDEN else ""
        body.append(f'<path class="map-area {css}"{fill} d="{data}"><title>{escape(row.name if row else name)}: '
                    f"{escape(text)}</title></path>")
    drawn_w = (viewport[2] - viewport[0]) * scale
    drawn_h = (viewport[3] - viewport[1]) * scale
    markup = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {drawn_w:.0f} {drawn_h:.0f}" '
              f'class="national-map" role="img" aria-labelledby="{ident}-t {ident}-d" fill-rule="evenodd">'
              f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
              + "".join(body) + "</svg>")
    # Every text above went through escape(); path data and classes are ours.
    return mark_safe(markup)  # noqa: S308 # nosec B308, B703


# Where municipalities are too small to see on the country map: (key, centre lon/lat, side in km).
INSETS = (("stockholm", (18.05, 59.35), 80.0), ("gothenburg", (12.0, 57.72), 70.0), ("malmo", (13.1, 55.62), 60.0))


def _inset_title(key: str) -> str:
    return {"stockholm": _("Stockholm area"), "gothenburg": _("Gothenburg area"), "malmo": _("Malmö area")}[key]


@dataclass(frozen=True)
class Panel:
    title: str
    svg: SafeString


def draw(national_map: NationalMap) -> list[Panel]:
    """The whole country, and a close-up of each metropolitan area where a participating municipality
    lies: on the country map a municipality near Stockholm is a few pixels wide."""
    areas = {area.code: area for area in geometry.municipalities()}
    rows = {row.code: row for row in national_map.rows}
    country = _padded(_union(area.bounds for area in areas.values()), 0.02)
    width = PANEL_HEIGHT * (country[2] - country[0]) / (country[3] - country[1])
    desc = _("Municipalities that take part are shaded by the figure in the table beside the map, which "
             "shows the same figures; hatched where the figure is hidden, grey where the municipality does "
             "not take part.")
    caption = national_map.caption
    panels = [Panel(_("Sweden"), _panel(country, width, PANEL_HEIGHT, rows,
                                         _("Sweden: %(caption)s") % {"caption": caption}, desc))]
    centres = []
    for code in rows:
        if code in areas:
            min_x, min_y, max_x, max_y = areas[code].bounds
            centres.append(((min_x + max_x) / 2, (min_y + max_y) / 2))
    for key, (lon, lat), side in INSETS:
        x, y = geometry.project(lon, lat)
        inset = (x - side / 2, y - side / 2, x + side / 2, y + side / 2)
        if any(inset[0] <= cx <= inset[2] and inset[1] <= cy <= inset[3] for cx, cy in centres):
            title = _inset_title(key)
            panels.append(Panel(title, _panel(inset, INSET_SIZE, INSET_SIZE, rows, _("%(area)s: %(caption)s") % {
                "area": title, "caption": caption}, desc)))
    return panels
