"""The dashboard, its exports, the map, the term report and the demo: roles, filters, suppression."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.disclosure.test_suppression import interval_attack, linear_attack, table_model
from varna.core.models import AuditEvent
from varna.disclosure.suppression import INTERNAL, PUBLISHED, Policy, SuppressedTable
from varna.situation import demo, selectors
from varna.situation.models import Observation
from varna.situation.selectors import Filters, SituationTable

DASH = "/sollentuna/situation/"
REPORT = "/sollentuna/situation/report/"
RAW = Policy("raw", threshold=0)  # the truth, for the tests' attacker only
FILTERS = ["", "?milieu=white-power", "?district=tureberg&category=propaganda", "?term_from=2025-2&term_to=2026-1",
           "?milieu=violent-islamist&published=on"]


def _displays(tables: list[SituationTable]) -> list[list[list[str]]]:
    return [table.display_rows() for table in tables]


def _shown_numbers(tables: list[SituationTable]) -> list[int]:
    return [int(v) for table in tables for row in table.display_rows()[1:] for v in row[1:] if v.isdigit()]


def _csv_tables(content: bytes) -> list[list[list[str]]]:
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    tables, current = [], None
    for line in lines[4:]:
        if not line:
            current = None
        elif current is None:
            current = []
            tables.append(current)  # the caption line starts a table
        else:
            current.append(line)
    return tables


@pytest.mark.parametrize("user", ["walter", "sten"])
def test_working_group_and_steering_group_see_the_dashboard(request: Any, client: Client, demo_situation: Any,
                                                            user: str) -> None:
    client.force_login(request.getfixturevalue(user))
    response = client.get(DASH)
    assert response.status_code == 200
    assert response.context["picture"].policy is (INTERNAL if user == "walter" else PUBLISHED)
    html = response.content.decode()
    assert "<svg" in html
    assert "style=" not in html.split("<main", 1)[1]
    assert 'role="img"' in html


def test_the_coordinator_sees_the_dashboard(verified_client: Any, alice: Any, demo_situation: Any) -> None:
    assert verified_client(alice).get(DASH).status_code == 200


def test_others_are_kept_out(client: Client, bob: Any, maria: Any, tove: Any, verified_client: Any,
                             demo_situation: Any) -> None:
    for path in (DASH, DASH + "export.csv", REPORT, "/sollentuna/situation/report.pdf"):
        anonymous = Client().get(path)
        assert anonymous.status_code == 302
        assert "/account/login/" in anonymous["Location"]
        for user in (bob, maria):
            client.force_login(user)
            assert client.get(path).status_code == 403
        assert verified_client(tove).get(path).status_code == 404


def test_every_breakdown_is_split_by_gender(client: Client, walter: Any, demo_situation: Any) -> None:
    client.force_login(walter)
    tables = {t.key: t for t in client.get(DASH).context["tables"]}
    assert set(tables) == {"term", "district", "milieu", "category", "age", "observations"}
    for key in ("term", "district", "milieu", "category", "age"):
        assert [key for key, _label in tables[key].columns] == [("female",), ("male",), ("other",)]
    # Observations themselves (some involve no known person) are counted per category and term.
    assert tables["observations"].grand_total.value == Observation.objects.count()


@pytest.mark.parametrize("query", FILTERS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_hold_exactly_the_tables_on_the_page(client: Client, walter: Any, demo_situation: Any,
                                                     query: str, fmt: str) -> None:
    client.force_login(walter)
    page = _displays(client.get(DASH + query).context["tables"])
    response = client.get(DASH + f"export.{fmt}" + query)
    assert response.status_code == 200
    if fmt == "csv":
        exported = _csv_tables(response.content)
    else:
        workbook = load_workbook(io.BytesIO(response.content))
        exported = [[["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)][1:]
                    for sheet in workbook.worksheets[1:]]
    assert exported == page
    event = AuditEvent.objects.filter(action="situation.export").latest("id")
    assert event.actor == walter
    assert event.data["format"] == fmt
    assert event.data["policy"] == ("published" if "published" in query else "internal")


def test_filters_change_every_table(client: Client, walter: Any, demo_situation: Any) -> None:
    client.force_login(walter)
    tables = {t.key: t for t in client.get(DASH + "?district=tureberg&milieu=white-power").context["tables"]}
    assert [row.label for row in tables["district"].rows] == ["Tureberg"]
    assert [row.key for row in tables["milieu"].rows] == ["white-power"]
    truth = sum(o.people for o in Observation.objects.filter(district__key="tureberg", milieu="white-power"))
    raw = selectors.situation_tables(municipality=demo_situation, policy=RAW, specs=selectors.dashboard_specs(),
                                     filters=Filters(district=demo_situation.districts.get(key="tureberg"),
                                                     milieu="white-power"))
    assert all(t.grand_total.value == truth for t in raw if t.key != "observations")
    observations = Observation.objects.filter(district__key="tureberg", milieu="white-power").count()
    assert raw[-1].key == "observations"
    assert raw[-1].grand_total.value == observations
    terms = client.get(DASH + "?term_from=2025-2&term_to=2026-1").context["tables"][0]
    assert [row.key for row in terms.rows] == ["2025-2", "2026-1"]


def test_a_bad_filter_shows_an_error_not_a_crash(client: Client, walter: Any, demo_situation: Any) -> None:
    client.force_login(walter)
    response = client.get(DASH + "?term_from=2026-1&term_to=2025-1&milieu=nope")
    assert response.status_code == 200
    assert response.context["picture"].form.errors


@pytest.mark.parametrize("query", FILTERS)
def test_no_small_count_is_shown_on_any_output(client: Client, walter: Any, demo_situation: Any,
                                                        query: str) -> None:
    client.force_login(walter)
    response = client.get(DASH + query)
    policy = response.context["picture"].policy
    small = range(1, 8) if policy is PUBLISHED else range(1, 6)
    assert not set(_shown_numbers(response.context["tables"])) & set(small)
    svg_numbers = re.findall(r">(\d+)</text>", response.content.decode())
    # The line chart's axis shows its peak and 0; every other number drawn is a count from the tables.
    assert not {int(n) for n in svg_numbers} & set(small)
    report = client.get(REPORT + ("?published=1" if policy is PUBLISHED else ""))
    assert report.context["summary"].policy is policy
    assert not set(_shown_numbers([report.context["summary"], *report.context["tables"]])) & set(small)


def test_the_steering_group_only_ever_sees_published_figures(client: Client, sten: Any,
                                                             demo_situation: Any) -> None:
    client.force_login(sten)
    for path in (DASH, DASH + "?milieu=autonomous", REPORT):
        response = client.get(path)
        tables = response.context.get("tables")
        assert all(t.policy is PUBLISHED for t in tables)
        numbers = _shown_numbers(tables)
        assert numbers
        assert all(n == 0 or (n > 7 and n % 5 == 0) for n in numbers)
    assert "published" not in client.get(DASH).context["picture"].form.fields
    exported = client.get(DASH + "export.csv").content.decode("utf-8-sig")
    assert "Published figures" in exported or "Publicerade siffror" in exported


def _published_tables(municipality: Any, filters: Filters) -> list[tuple[SituationTable, SituationTable]]:
    specs = [*selectors.dashboard_specs(), *selectors.report_specs()]
    shown = selectors.situation_tables(municipality=municipality, filters=filters, policy=PUBLISHED, specs=specs)
    truth = selectors.situation_tables(municipality=municipality, filters=filters, policy=RAW, specs=specs)
    return list(zip(shown, truth, strict=True))


@pytest.mark.parametrize("filters", [Filters(), Filters(milieu="autonomous"), Filters(terms=("2026-1", "2026-2")),
                                     Filters(category="threats", term_from="2025-2")])
def test_suppressed_cells_cannot_be_reconstructed_from_any_published_table(demo_situation: Any,
                                                                           filters: Filters) -> None:
    attacked = 0
    for shown, truth in _published_tables(demo_situation, filters):
        rows = [[cell.value for cell in row.cells] for row in truth.rows]
        result = SuppressedTable(cells=[row.cells for row in shown.rows], row_totals=[r.total for r in shown.rows],
                                 col_totals=shown.column_totals, grand_total=shown.grand_total, policy=PUBLISHED)
        model = table_model(rows, result, PUBLISHED)
        if not model.hidden:
            continue
        attacked += 1
        assert linear_attack(model) == {}, shown.caption
        bounds = interval_attack(model)
        for index in model.hidden:
            low, high = bounds[index]
            assert low <= model.true[index] <= high
            assert low < high, f"{shown.caption}: a hidden cell is pinned to {low}"
    assert attacked, "the demo data should give published tables with hidden cells"


def test_the_map_shades_districts_with_suppressed_counts(client: Client, walter: Any, demo_situation: Any) -> None:
    client.force_login(walter)
    response = client.get(DASH)
    svg = str(response.context["map"])
    district = {t.key: t for t in response.context["tables"]}["district"]
    assert svg.count("<path") == len(district.rows) == 11
    for row in district.rows:
        assert f"<title>{row.label}: {row.total.display}</title>" in svg.replace("&#x27;", "'")


def test_the_term_report_compares_this_term_with_the_last(client: Client, walter: Any, demo_situation: Any) -> None:
    client.force_login(walter)
    terms = selectors.terms_of(demo_situation)
    response = client.get(REPORT + f"?term={terms[-2]}")
    assert response.status_code == 200
    assert [row.key for row in response.context["summary"].rows] == terms[-3:-1]
    assert {t.key for t in response.context["tables"]} == {"milieu", "district", "category"}
    assert len(response.context["tables"][0].columns) == 6  # two terms × three genders
    assert client.get(REPORT + "?term=1999-1").status_code == 404


def test_the_term_report_pdf_is_a_pdf_and_is_audited(client: Client, walter: Any, demo_situation: Any) -> None:
    client.force_login(walter)
    response = client.get("/sollentuna/situation/report.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="situation.export", data__what="term_report").exists()


def test_the_demo_is_deterministic_idempotent_and_marked_synthetic(client: Client, walter: Any,
                                                                   demo_situation: Any) -> None:
    count = Observation.objects.count()
    assert count > 100
    assert not Observation.objects.filter(synthetic=False).exists()
    assert len(selectors.terms_of(demo_situation)) == demo.TERMS
    assert demo.load(demo_situation) == "situation picture already loaded"
    assert Observation.objects.count() == count
    first = demo.generate(demo_situation, seed=2016, last_term="2026-2")
    again = demo.generate(demo_situation, seed=2016, last_term="2026-2")
    assert first == again
    assert first != demo.generate(demo_situation, seed=7, last_term="2026-2")
    client.force_login(walter)
    assert "Synthetic demo data" in client.get(DASH, HTTP_ACCEPT_LANGUAGE="en").content.decode() or \
        "Syntetiska demodata" in client.get(DASH).content.decode()
    listing = client.get("/sollentuna/situation/observations/").content.decode()
    assert 'data-color="warning"' in listing


def test_the_demo_command_loads_with_a_seed(sollentuna: Any) -> None:
    from django.core.management import call_command

    call_command("situation_demo", "--seed", "2016", stdout=io.StringIO())
    count = Observation.objects.count()
    call_command("situation_demo", "--seed", "2016", stdout=io.StringIO())
    assert Observation.objects.count() == count > 0


def test_an_empty_situation_picture_renders(verified_client: Any, tove: Any, taby: Any) -> None:
    response = verified_client(tove).get("/taby/situation/")
    assert response.status_code == 200
    assert response.context["map"] is None
    assert all(t.grand_total.display == "0" for t in response.context["tables"])
    assert verified_client(tove).get("/taby/situation/report/").status_code == 200


def test_navigation_offers_the_situation_picture(client: Client, walter: Any, bob: Any, sollentuna: Any) -> None:
    client.force_login(walter)
    assert DASH in client.get("/sollentuna/").content.decode()
    client.force_login(bob)
    assert DASH not in client.get("/sollentuna/").content.decode()


def _square(key: str, x: float, y: float, kind: str = "Polygon") -> dict[str, Any]:
    ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]
    return {"type": "Feature", "properties": {"key": key},
            "geometry": {"type": kind, "coordinates": [ring] if kind == "Polygon" else [[ring]]}}


def test_the_coordinator_uploads_district_boundaries(verified_client: Any, alice: Any, client: Client,
                                                     walter: Any, demo_situation: Any) -> None:
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile

    url = "/sollentuna/situation/map/"
    coordinator = verified_client(alice)
    bad = {"type": "FeatureCollection", "features": [_square("atlantis", 0, 0)]}
    response = coordinator.post(url, {"file": SimpleUploadedFile("m.geojson", json.dumps(bad).encode())})
    assert response.status_code == 200
    assert "atlantis" not in str(response.context["form"].errors)
    assert response.context["form"].errors["file"]
    good = {"type": "FeatureCollection",
            "features": [_square("tureberg", 0, 0), _square("edsberg", 1, 0, "MultiPolygon")]}
    response = coordinator.post(url, {"file": SimpleUploadedFile("m.geojson", json.dumps(good).encode())})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="situation.district_map.uploaded").exists()
    client.force_login(walter)
    assert client.get(url).status_code == 403
    svg = str(client.get(DASH).context["map"])
    assert svg.count("<path") == 2
    assert "Tureberg" in svg
    assert "Edsberg" in svg


def test_no_page_of_the_situation_picture_uses_inline_style_or_script(client: Client, walter: Any,
                                                                       demo_situation: Any) -> None:
    from varna.situation.models import Survey

    client.force_login(walter)
    survey = Survey.objects.get()
    token = survey.links.first().token
    for path in (DASH, DASH + "?published=on", REPORT, DASH + "observations/", DASH + "observations/new/",
                 DASH + "import/", DASH + "surveys/", DASH + f"surveys/{survey.pk}/", DASH + f"survey/{token}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert "style=" not in html, path
        assert "<style" not in html, path
        assert "<script>" not in html, path
        assert "onclick" not in html, path


def test_the_cached_charts_and_map_follow_the_figures_the_districts_and_the_language(
        client: Client, walter: Any, demo_situation: Any, tove: Any, taby: Any) -> None:
    """The tables, charts and map are one cached rendering keyed by the suppressed cells themselves: a new
    observation, a renamed district or another language shows at the next request; another tenant has its own."""
    from django.core.cache import cache

    from varna.situation.models import District

    client.force_login(walter)
    first = client.get(DASH).content.decode()
    assert [key for key in cache._cache if ":render:situation.dashboard:" in key]  # type: ignore[attr-defined]
    observation = Observation.objects.filter(municipality__slug="sollentuna").first()
    Observation.objects.create(**{f.attname: getattr(observation, f.attname) for f in Observation._meta.concrete_fields
                                  if f.attname not in ("id", "pk")})
    from varna.situation import services

    services.rollup_rebuild(municipality=observation.municipality)
    after = client.get(DASH).content.decode()
    assert after != first
    district = District.objects.filter(municipality__slug="sollentuna").first()
    District.objects.filter(pk=district.pk).update(name="Nytt distriktsnamn")
    assert "Nytt distriktsnamn" in client.get(DASH).content.decode()
    client.cookies["django_language"] = "en"
    assert "People involved" in client.get(DASH).content.decode()
    other = Client()
    other.force_login(tove)
    assert "Nytt distriktsnamn" not in other.get("/taby/situation/").content.decode()


def test_the_cached_filter_form_shows_each_readers_choice_and_never_caches_an_error(
        client: Client, walter: Any, demo_situation: Any) -> None:
    client.force_login(walter)
    assert 'value="tureberg" selected' in client.get(DASH + "?district=tureberg").content.decode()
    assert 'value="tureberg" selected' not in client.get(DASH).content.decode()
    wrong = client.get(DASH + "?term_from=2026-1&term_to=2025-2").content.decode()
    assert 'data-color="danger"' in wrong
    from django.core.cache import cache

    assert not any(":render:situation.filters:" in key and "danger" in str(value)
                   for key, value in cache._cache.items())  # type: ignore[attr-defined]


def test_charts_match_their_tables_and_are_legible_on_a_phone(client: Client, walter: Any,
                                                              demo_situation: Any) -> None:
    """Every bar is as long as its published total: what the table hides is hatched, not left out; the
    charts are drawn at phone width so that no text is under 12 px on a 390 px screen."""
    import re

    client.force_login(walter)
    page = client.get(DASH).content.decode()
    charts = re.findall(r'<svg [^>]*class="chart".*?</svg>', page, re.S)
    assert charts
    for svg in charts:
        width = float(re.search(r'viewBox="0 0 ([\d.]+)', svg).group(1))
        sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)"', svg)]
        # Scaled into a 358 px wide column (390 px less the page's margins), every text stays ≥ 12 px.
        assert min(sizes) * min(1.0, 358 / width) >= 11.9, (width, sizes)
    hatched = [svg for svg in charts if 'fill="url(#hatch-' in svg]
    assert hatched, "the demo hides some counts: their part of a bar must be hatched"
