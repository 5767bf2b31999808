"""Other sources: external tables imported with their source (bounded parser, under hypothesis), recurring
reporting (who has not reported this period) and the SFS 2023:196 cycle on one page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.analysis.conftest import observe
from varna.analysis import importing, selectors, services

BRA = ("Region;Brottskategori;2022;2023;2024\n"
       "Täby;Skadegörelse;1 234;1 180;..\n"
       "Täby;Hot mot tjänsteman;12;–;9\n").encode("cp1252")
SURVEY = ("Fråga;Svar;Område;År;Andel;Enhet\n"
          "Känner sig trygg i skolan;Ja;Åk 9;2024;81,5;procent\n"
          "Känner sig trygg i skolan;Nej;Åk 9;2024;18,5 %;procent\n").encode("utf-8-sig")
WALK = "iakttagelse,plats,period,antal\nTrasig belysning,Centrum,2025-1,4\nKlotter,Näsby,2025-1,7\n".encode()


def test_a_bra_table_per_year_in_windows_1252_is_unpivoted_and_unpublished_cells_skipped() -> None:
    parsed = importing.parse(BRA, default_unit="anmälda brott")
    assert [(f["series"], f["period"], f["value"]) for f in parsed.figures] == [
        ("Skadegörelse", "2022", Decimal("1234.00")), ("Skadegörelse", "2023", Decimal("1180.00")),
        ("Hot mot tjänsteman", "2022", Decimal("12.00")), ("Hot mot tjänsteman", "2024", Decimal("9.00"))]
    assert parsed.skipped == 2
    assert {f["area"] for f in parsed.figures} == {"Täby"}
    assert {f["unit"] for f in parsed.figures} == {"anmälda brott"}


def test_a_survey_table_and_safety_walk_findings_in_long_form() -> None:
    survey = importing.parse(SURVEY, default_unit="procent").figures
    assert [(f["series"], f["value"]) for f in survey] == [("Känner sig trygg i skolan: Ja", Decimal("81.50")),
                                                           ("Känner sig trygg i skolan: Nej", Decimal("18.50"))]
    walk = importing.parse(WALK, default_unit="iakttagelser").figures
    assert [(f["area"], f["period"], f["value"]) for f in walk] == [("Centrum", "2025-1", 4), ("Näsby", "2025-1", 7)]


@pytest.mark.parametrize(("content", "message"), [
    (b"Personnummer;Brott;2024\n20080314-2387;Hot;1\n", "persons|personer"),
    (b"Namn;Fraga;Varde;Period\nKalle;Trygg;1;2024\n", "persons|personer"),
    (b"", "empty|tom"),
    (b"Brott;Kommun\nHot;T\xc3\xa4by\n", "period"),
    (b"Brott;2024\nHot;en massa\n", "number|tal"),
    (b"Brott;2024\nHot;-4\n", "aggregate|sammanställd"),
    (b"Brott;2024\n" + b"Hot;1\n" * (importing.MAX_ROWS + 2), "5000"),
    (b"Brott;" + b";".join(b"%d" % (2000 + i) for i in range(importing.MAX_COLUMNS)) + b"\n", "columns|kolumner"),
    (b'Brott;2024\n"' + b"x" * (importing.MAX_CELL_CHARS + 10) + b'";1\n', "longer|längre"),
    (b"Brott;2024\n\"Hot;1\n" + b"a" * 5000 + b"\n", "CSV|longer|längre"),
    (b"PK\x03\x04\x00\x00binary", "text|text"),
    ("\ufeffBrott;2024\nHot;1\n".encode("utf-16"), ""),  # UTF-16 with a byte-order mark reads fine
])
def test_bad_files_are_refused_with_a_reason(content: bytes, message: str) -> None:
    if not message:
        assert importing.parse(content, default_unit="brott").figures
        return
    with pytest.raises(importing.ImportProblem, match=f"(?i){message}"):
        importing.parse(content, default_unit="brott")


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_either_parse_or_are_refused_plainly(content: bytes) -> None:
    try:
        parsed = importing.parse(content, default_unit="x")
    except importing.ImportProblem:
        return
    assert len(parsed.figures) <= importing.MAX_FIGURES
    assert all(f["value"] >= 0 for f in parsed.figures)


_cell = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30).map(str.strip)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_cell.filter(bool), st.integers(0, 10**9), st.integers(2000, 2030)), min_size=1,
                max_size=30), st.sampled_from([";", ",", "\t"]), st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
# Found by hypothesis: csv.Sniffer took the apostrophe for a quote character and joined the two rows.
@example([("a'", 0, 2000), ("'b", 0, 2000)], ",", "utf-8")
def test_a_long_table_round_trips(rows: list[tuple[str, int, int]], delimiter: str, encoding: str) -> None:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["Mått", "Period", "Värde"])
    for name, value, year in rows:
        writer.writerow([name, str(year), str(value)])
    try:
        content = out.getvalue().encode(encoding)
    except UnicodeEncodeError:
        return
    try:
        parsed = importing.parse(content, default_unit="st")
    except importing.ImportProblem:
        # Only a name the table itself can't carry is refused (one that reads as a personal column's header).
        return
    assert [(f["value"], f["period"]) for f in parsed.figures] == [(Decimal(v), str(y)) for _n, v, y in rows]


@pytest.mark.django_db
def test_the_working_group_imports_a_table_with_its_source(client: Any, verified_client: Any, taby: Any,
                                                          taby_group: dict[str, Any], alice: Any) -> None:
    client.force_login(taby_group["working"])
    url = reverse("analysis:source_import", args=[taby.slug])
    response = client.post(url, {"kind": "crime_statistics", "title": "Anmälda brott per kommun",
                                 "publisher": "Brå", "url": "https://bra.se", "published_on": "2025-03-31",
                                 "default_unit": "anmälda brott",
                                 "file": SimpleUploadedFile("bra.csv", BRA, content_type="text/csv")})
    assert response.status_code == 302
    source = selectors.sources_of(taby).get()
    assert source.figures.count() == 4
    assert len(source.file_sha256) == 64
    refused = client.post(url, {"kind": "other", "title": "Lista", "publisher": "Skolan",
                                "published_on": "2025-03-31", "default_unit": "st",
                                "file": SimpleUploadedFile("p.csv", b"Namn;2024\nKalle;1\n")})
    assert refused.status_code == 200
    assert selectors.sources_of(taby).count() == 1
    client.force_login(taby_group["steering"])
    assert client.get(url).status_code == 403
    assert verified_client(alice).get(reverse("analysis:source_detail", args=[taby.slug, source.pk])).status_code == 404


@pytest.mark.django_db
def test_an_imported_series_is_an_indicator_with_its_source(taby: Any, tove: Any) -> None:
    services.source_import(actor=tove, municipality=taby, kind="crime_statistics", title="Anmälda brott",
                           publisher="Brå", published_on=dt.date(2025, 3, 31), url="", file_name="bra.csv",
                           content=BRA, default_unit="anmälda brott")
    analysis = services.analysis_create(actor=tove, municipality=taby, title="A", period_from="2024-1",
                                        period_to="2024-2")
    problem = services.problem_save(actor=tove, analysis=analysis, title="Skadegörelse", what="Ökar.")
    indicator = services.indicator_create(actor=tove, municipality=taby, problem=problem, name="Skadegörelse",
                                          kind="external", series="Skadegörelse", baseline_term="2024-1",
                                          target=Decimal(1000))
    view = selectors.indicator_view(indicator)
    assert [p.display for p in view.points] == ["1234 anmälda brott", "1180 anmälda brott"]
    assert view.source.startswith("Brå: Anmälda brott, 2025-03-31")
    assert "not reached" in view.verdict or "inte nått" in view.verdict


@pytest.mark.django_db
def test_the_coordinator_sees_who_has_not_reported_this_period(client: Any, verified_client: Any, taby: Any,
                                                              tove: Any, taby_group: dict[str, Any],
                                                              taby_districts: dict[str, Any]) -> None:
    from varna.core.models import Organisation

    trygg = Organisation.objects.get(municipality=taby, key="trygg")
    school = Organisation.objects.get(municipality=taby, key="utb")
    with time_machine.travel("2025-10-06 09:00", tick=False):  # a Monday
        services.duty_save(actor=tove, municipality=taby, organisation=trygg, rhythm="weekly",
                           starts_on=dt.date(2025, 9, 1))
        services.duty_save(actor=tove, municipality=taby, organisation=school, rhythm="monthly",
                           starts_on=dt.date(2025, 9, 1))
        with pytest.raises(services.AnalysisError):
            services.duty_save(actor=taby_group["working"], municipality=taby, organisation=trygg, rhythm="weekly",
                               starts_on=dt.date(2025, 9, 1))
        values_org = {"source_organisation": school}
        observe(taby, taby_districts["centrum"], date=dt.date(2025, 10, 3), category="propaganda")
        from varna.situation.models import Observation

        Observation.objects.update(**values_org)
        status = {s.duty.organisation.key: s for s in selectors.reporting_status(taby)}
        assert status["utb"].reported
        assert status["utb"].observations == 1
        assert not status["trygg"].reported
        page = verified_client(tove).get(reverse("analysis:reporting", args=[taby.slug])).content.decode()
        assert page.index(f"<th scope=\"row\">{trygg.name}") < page.index(f"<th scope=\"row\">{school.name}")
        wilma = taby_group["working"]  # a member of the security unit
        with pytest.raises(services.AnalysisError):
            services.nil_report(actor=taby_group["staff"], duty=status["trygg"].duty, period_start=dt.date(2025, 10, 6))
        services.nil_report(actor=wilma, duty=status["trygg"].duty, period_start=dt.date(2025, 10, 6))
        assert all(s.reported for s in selectors.reporting_status(taby))
    with time_machine.travel("2025-10-13 09:00", tick=False):  # the next week: the weekly unit owes a report again
        assert not {s.duty.organisation.key: s for s in selectors.reporting_status(taby)}["trygg"].reported


@pytest.mark.django_db
def test_the_cycle_shows_where_the_municipality_is_and_the_acts_requirements(
        client: Any, taby: Any, tove: Any, taby_group: dict[str, Any], taby_picture: Any) -> None:
    with time_machine.travel("2025-11-01", tick=False):
        stages = {s.key: s for s in selectors.cycle(taby)}
        assert stages["mapping"].status == "done"
        assert stages["analysis"].status == "due"
        assert stages["plan"].status == "due"
        assert all(r["source"] for s in stages.values() for r in s.requirements)
        assert any(r["verified_on"] is None for r in stages["followup"].requirements)  # said honestly
        client.force_login(taby_group["steering"])
        html = client.get(reverse("analysis:cycle", args=[taby.slug])).content.decode()
    assert "SFS 2023:196" in html
    assert "lagen.nu" in html
