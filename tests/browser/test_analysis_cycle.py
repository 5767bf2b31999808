"""Done-when for issue 20, in the browser, in Täby (not the demo municipality): observations and an imported
external table → two problem statements with evidence → a plan whose activities address them → a year of
follow-up → the annual report shows each problem's indicators against baseline and target, all published
figures, each with its source.

The plan, the observations and the follow-up logs are made through the services beforehand (the fixtures of
tests/analysis and tests/plans); everything of the analysis is done on the pages, by the working group and the
steering group."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from tests.analysis.conftest import observe
from tests.plans.second_municipality import crime_prevention_plan, import_approved
from varna.followup import services as followup
from varna.situation import services as situation

BRA = "Region;Brottskategori;{a};{b}\nTäby;Skadegörelse;1 234;1 020\nTäby;Hot mot tjänsteman;12;..\n"


def _world(taby: Any, tove: Any, make_person: Any, tmp_path: Any) -> dict[str, Any]:
    year = timezone.localdate().year - 1  # the follow-up year: wholly past, whatever today is
    wilma = make_person("wilma@taby.example", "working_group", taby, unit="trygg")
    steering = make_person("styr@taby.example", "steering_group", taby)
    districts = {key: situation.district_upsert(municipality=taby, key=key, name=name, order=i)
                 for i, (key, name) in enumerate([("centrum", "Centrum"), ("nasby", "Näsby"), ("ensta", "Ensta")])}
    # Propaganda in Centrum falls 30 → 20 → 12; threats in Näsby stay small (hidden); online activity in Ensta.
    for date, propaganda, threats in ((dt.date(year - 1, 10, 1), 30, 3), (dt.date(year, 3, 1), 20, 2),
                                      (dt.date(year, 9, 1), 12, 4)):
        observe(taby, districts["centrum"], date=date, category="propaganda", people=1, repeat=propaganda)
        observe(taby, districts["nasby"], date=date, category="threats", people=1, repeat=threats)
        observe(taby, districts["ensta"], date=date, category="online", people=1, repeat=9)
    with time_machine.travel(f"{year}-01-10 10:00", tick=False):
        version = import_approved(crime_prevention_plan(), municipality=taby, coordinator=tove, approver=steering)
    meeting = version.activities.get(key="lagesbildsmote")
    for month in (2, 5, 9, 11):  # a year of follow-up: the situation-picture meeting, twice a term
        followup.log_create(actor=tove, municipality=taby, activity=meeting, organisation=None,
                            date=dt.date(year, month, 15), description="Lägesbilden gicks igenom.")
    table = tmp_path / "bra.csv"
    table.write_bytes(BRA.format(a=year - 1, b=year).encode("cp1252"))
    return {"year": year, "wilma": wilma, "steering": steering, "plan": version.plan, "table": table}


def _save(page: Any) -> None:
    page.get_by_role("button", name="Spara").click()


def test_a_municipality_goes_from_observations_to_the_annual_reports_indicators(
        new_page: Any, axe: Any, taby: Any, tove: Any, make_person: Any, tmp_path: Any) -> None:
    world = _world(taby, tove, make_person, tmp_path)
    year = world["year"]
    page = new_page("sv", world["wilma"])

    # An external table, imported with its source.
    page.goto("/taby/analysis/sources/import/")
    page.select_option("#id_kind", "crime_statistics")
    page.fill("#id_title", "Anmälda brott i Täby")
    page.fill("#id_publisher", "Brå")
    page.fill("#id_published_on", f"{year + 1}-01-20")
    page.fill("#id_default_unit", "anmälda brott")
    page.set_input_files("#id_file", str(world["table"]))
    _save(page)
    expect(page.get_by_text("3 uppgifter importerades")).to_be_visible()
    expect(page.locator("table[data-export-table]")).to_contain_text("Skadegörelse")

    # The analysis of the autumn before and the spring, with two problem statements and their evidence.
    page.goto("/taby/analysis/new/")
    page.fill("#id_title", f"Lägesbild och analys {year}")
    page.select_option("#id_period_from", f"{year - 1}-2")
    page.select_option("#id_period_to", f"{year}-1")
    page.fill("#id_summary", "Propaganda i Centrum och skadegörelse är de två problem vi ser.")
    _save(page)
    for title, what in (("Propaganda i Centrum", "Klistermärken och symboler längs skolvägarna."),
                        ("Skadegörelse ökar", "Polisen registrerar mycket skadegörelse i kommunen.")):
        page.get_by_role("link", name="Lägg till en problemformulering").click()
        page.fill("#id_title", title)
        page.fill("#id_what", what)
        page.fill("#id_where", "Centrum")
        page.fill("#id_who", "Elever i årskurs 7–9")
        page.check("input[name=certainty][value=high]")
        _save(page)
    page.get_by_role("link", name="Anför underlag – Propaganda i Centrum").click()
    page.check("input[name=kind][value=observations]")
    page.select_option("#id_term", f"{year}-1")
    page.select_option("#id_breakdown", "observations")
    page.fill("#id_note", "Flest iakttagelser av propaganda")
    _save(page)
    page.get_by_role("link", name="Anför underlag – Skadegörelse ökar").click()
    page.check("input[name=kind][value=figure]")
    page.select_option("#id_figure", label=f"Skadegörelse, Täby, {year} (Brå)")
    _save(page)
    problem = page.locator("section.problem", has_text="Propaganda i Centrum")
    expect(problem.locator("table.situation-table")).to_contain_text("20")  # 20 propaganda observations
    expect(problem).to_contain_text("Källa: Värna, lägesbild: publicerad tabell för VT")
    expect(page.locator("section.problem", has_text="Skadegörelse ökar")).to_contain_text("Brå: Anmälda brott i Täby")

    # Each problem gets a measure of the plan and an indicator with baseline and target.
    for title in ("Propaganda i Centrum", "Skadegörelse ökar"):
        page.get_by_role("link", name=f"Ange en åtgärd – {title}").click()
        page.select_option("#id_activity", label="Brottsförebyggande plan: Gemensam lägesbild")
        _save(page)
    page.get_by_role("link", name="Lägg till en indikator – Propaganda i Centrum").click()
    page.fill("#id_name", "Iakttagelser av propaganda per termin")
    page.check("input[name=kind][value=category]")
    page.select_option("#id_key", "category:propaganda")
    page.select_option("#id_baseline_term", f"{year - 1}-2")
    page.fill("#id_target", "10")
    _save(page)
    page.get_by_role("link", name="Lägg till en indikator – Skadegörelse ökar").click()
    page.fill("#id_name", "Anmäld skadegörelse")
    page.check("input[name=kind][value=external]")
    page.select_option("#id_series", "Skadegörelse")
    page.select_option("#id_baseline_term", f"{year - 1}-2")
    page.fill("#id_target", "1100")
    _save(page)
    expect(page.locator(".indicator svg[role=img]")).to_have_count(2)
    assert axe(page) == []  # the analysis page with its tables, charts and forms of buttons

    # The draft plan would show no loose problem now; the steering group approves with the plan's decision.
    steering = new_page("sv", world["steering"])
    steering.goto("/taby/analysis/")
    steering.get_by_role("link", name=f"Lägesbild och analys {year}").click()
    steering.get_by_role("link", name="Registrera godkännandet").click()
    steering.select_option("#id_plan", label="Brottsförebyggande plan")
    steering.get_by_role("button", name="Godkänn med planens beslut").click()
    expect(steering.get_by_text("Analysen är godkänd.")).to_be_visible()
    expect(steering.get_by_text("Kommunstyrelsen").first).to_be_visible()

    # The annual report: each problem's indicators against baseline and target, published, with sources.
    steering.goto(f"/taby/report/?year={year}")
    section = steering.locator("#section-analysis")
    expect(section.get_by_role("heading", name="Problem, åtgärder och indikatorer")).to_be_visible()
    propaganda = section.locator("tr", has_text="Iakttagelser av propaganda per termin")
    expect(propaganda.locator("td").nth(1)).to_have_text(f"30 ({year - 1}-2)")  # the baseline
    expect(propaganda.locator("td").nth(2)).to_have_text("20")  # spring
    expect(propaganda.locator("td").nth(3)).to_have_text("10")  # autumn: 12 published as 10
    expect(propaganda.locator("td").nth(4)).to_have_text("10")  # the target
    expect(propaganda).to_contain_text("Bättre än vid utgångsläget")
    expect(propaganda).to_contain_text("Gemensam lägesbild")
    expect(propaganda).to_contain_text("Värna, lägesbild: den publicerade uppgiften för varje termin")
    damage = section.locator("tr", has_text="Anmäld skadegörelse")
    expect(damage).to_contain_text("1020 anmälda brott")
    expect(damage).to_contain_text("Brå: Anmälda brott i Täby")
    expect(section.locator("svg[role=img]")).to_have_count(2)
    # No small count leaves: threats (2–4 a term) never appear as a figure in the situation picture's or the
    # analysis's sections (follow-up's own counts of meetings are not about people).
    for key in ("analysis", "situation"):
        for small in ("2", "3", "4"):
            expect(steering.locator(f"#section-{key} td:text-is('{small}')")).to_have_count(0)

    # The lägesbild document cites the same published figures and names every source.
    steering.goto("/taby/analysis/")
    steering.get_by_role("link", name=f"Lägesbild och analys {year}").click()
    steering.get_by_role("link", name="Lägesbildsdokumentet").click()
    expect(steering.locator("article.lagesbild")).to_contain_text("Godkänd: Kommunstyrelsen")
    expect(steering.locator("article.lagesbild .source")).not_to_have_count(0)
    assert axe(steering) == []
    for path in ("/taby/analysis/cycle/", "/taby/analysis/sources/", "/taby/analysis/reporting/"):
        steering.goto(path)
        assert axe(steering) == [], path
