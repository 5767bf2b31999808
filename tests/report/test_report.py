"""The annual follow-up report: figures, formats (HTML, PDF, Word), self-assessment and access."""

import datetime as dt
import io
import re
import shutil
import subprocess
from typing import Any

import pytest

from varna.core.models import AuditEvent
from varna.report import selectors
from varna.report.models import Assessment

URL = "/sollentuna/report/"
TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def demo_year(demo_plan: Any, sollentuna: Any) -> Any:
    """Every module's demo for Sollentuna, as `manage.py load_demo` loads it."""
    from varna.core import demo as core_demo
    from varna.followup import demo as followup_demo
    from varna.implementation import demo as implementation_demo
    from varna.meetings import demo as meetings_demo
    from varna.report import demo as report_demo
    from varna.training import demo as training_demo

    core_demo.load_municipality()
    followup_demo.load(sollentuna, today=TODAY)
    meetings_demo.load(sollentuna, today=TODAY)
    training_demo.load(sollentuna, today=TODAY)
    implementation_demo.load(sollentuna)
    report_demo.load(sollentuna, today=TODAY)
    return sollentuna


def _words(text: str, n: int = 4) -> str:
    return " ".join(text.split()[:n])


def test_year_figures_hold_what_each_cadence_promises(demo_year: Any) -> None:
    report = selectors.annual_report(demo_year, 2026)
    assert [level.key for level in report.levels] == ["prevent", "detect", "act", "implement", "follow_up"]
    lines = {(a.key, u.unit.key if u.unit else None): u for level in report.levels for a in level.activities
             for u in a.units}
    assert lines[("prevent-working-group-meetings", "arbetsgruppen")].expected == 4
    assert lines[("implement-managers", "buk")].expected == 1
    assert lines[("prevent-democracy-education", "forskolor-skolor")].expected == 1
    assert lines[("act-social-services", "soc-mottagning")].expected == 0
    # Three demo meetings were held in 2026 and each counts for both responsible units.
    assert len(report.meetings) == 3
    assert lines[("prevent-working-group-meetings", "arbetsgruppen")].done == 3
    assert report.training_totals["events"] == 8
    assert len(report.recommendations) == 12
    assert all(r.assessment is not None for r in report.recommendations)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_pdf_holds_every_level_and_every_recommendation(client: Any, sten: Any, demo_year: Any,
                                                        tmp_path: Any) -> None:
    client.force_login(sten)
    response = client.get(URL + "report.pdf?year=2026")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    for heading in ["Årlig uppföljning 2026", "Förebygga", "Upptäcka", "Åtgärda", "Implementera", "Följa upp",
                    "Möten och beslut", "Utbildning", "Självskattning"]:
        assert heading in text
    report = selectors.annual_report(demo_year, 2026)
    for rec in report.recommendations:
        assert re.search(rf"\b{rec.number}\. {re.escape(_words(rec.text))}", text), rec.number
    assert AuditEvent.objects.filter(action="report.annual.exported", data__format="pdf").exists()


def test_word_version_is_editable_and_complete(client: Any, sten: Any, demo_year: Any) -> None:
    from docx import Document

    client.force_login(sten)
    response = client.get(URL + "report.docx?year=2026")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    for level in ["Förebygga", "Upptäcka", "Åtgärda", "Implementera", "Följa upp"]:
        assert level in paragraphs
    assert sum(1 for p in paragraphs if re.match(r"^\d{1,2}\. ", p)) == 12
    assert len(document.tables) >= 5
    assert AuditEvent.objects.filter(action="report.annual.exported", data__format="docx").exists()


def test_coordinator_scores_the_recommendations(verified_client: Any, alice: Any, demo_plan: Any,
                                                sollentuna: Any) -> None:
    client = verified_client(alice)
    page = client.get(URL + "assessment/?year=2026")
    assert page.status_code == 200
    assert len(page.context["rows"]) == 12
    data = {"rec-TOTAL_FORMS": "12", "rec-INITIAL_FORMS": "12", "rec-MIN_NUM_FORMS": "0", "rec-MAX_NUM_FORMS": "12"}
    for i in range(12):
        data |= {f"rec-{i}-number": str(i + 1), f"rec-{i}-score": str(i % 4), f"rec-{i}-comment": f"Kommentar {i}",
                 f"rec-{i}-evidence": ""}
    assert client.post(URL + "assessment/?year=2026", data).status_code == 302
    assert sorted(Assessment.objects.filter(year=2026).values_list("score", flat=True)) == sorted(
        [i % 4 for i in range(12)])
    assert AuditEvent.objects.filter(action="report.assessment.changed", actor=alice).count() == 12
    data["rec-0-score"] = "7"
    assert client.post(URL + "assessment/?year=2026", data).status_code == 200


def test_access(client: Any, verified_client: Any, sten: Any, bob: Any, tove: Any, demo_plan: Any) -> None:
    assert client.get(URL).status_code == 302
    client.force_login(bob)
    assert client.get(URL).status_code == 403
    client.force_login(sten)
    assert client.get(URL + "?year=2026").status_code == 200
    assert client.get(URL + "assessment/").status_code == 403
    assert client.get(URL + "?year=nope").status_code == 404
    for path in [URL, URL + "report.pdf", URL + "report.docx"]:
        assert verified_client(tove).get(path).status_code == 404


def test_html_page_shows_the_demo_year_in_both_languages(client: Any, sten: Any, demo_year: Any) -> None:
    client.force_login(sten)
    for language, heading in [("sv", "Årlig uppföljning 2026"), ("en", "Annual follow-up 2026")]:
        client.cookies["django_language"] = language
        html = client.get(URL + "?year=2026").content.decode()
        assert heading in html
        assert "Förebygga" in html


def example_section(municipality: Any, year: int) -> Any:
    from varna.report.sections import ReportSection

    return ReportSection("situation", "Lägesbild över året", ["Sammanfattning av lägesbilden."],
                         ["Miljö", "Antal"], [["Våldsbejakande högerextremism", "≤5"]])


def test_other_modules_add_sections_to_every_format(client: Any, sten: Any, demo_plan: Any,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from django.apps import apps
    from docx import Document

    # An app offers its section through the AppConfig hook; here the training app plays one.
    monkeypatch.setattr(apps.get_app_config("training"), "report_sections", lambda: [example_section], raising=False)
    client.force_login(sten)
    html = client.get(URL + "?year=2026").content.decode()
    assert "Lägesbild över året" in html
    assert "Våldsbejakande högerextremism" in html
    assert "not yet kept" not in html
    assert "förs ännu inte" not in html
    document = Document(io.BytesIO(client.get(URL + "report.docx?year=2026").content))
    assert "Lägesbild över året" in [p.text for p in document.paragraphs]


def test_the_word_version_is_in_the_readers_language(client: Any, sten: Any, demo_year: Any) -> None:
    from docx import Document

    client.force_login(sten)
    english = Document(io.BytesIO(client.get(URL + "report.docx?year=2026", HTTP_ACCEPT_LANGUAGE="en").content))
    swedish = Document(io.BytesIO(client.get(URL + "report.docx?year=2026", HTTP_ACCEPT_LANGUAGE="sv").content))
    assert "Annual follow-up 2026" in [p.text for p in english.paragraphs]
    assert "Årlig uppföljning 2026" in [p.text for p in swedish.paragraphs]


def test_the_report_quotes_only_log_texts_the_coordinator_chose_each_passing_the_guard(
        verified_client: Any, alice: Any, tove: Any, demo_year: Any) -> None:
    from varna.followup.models import ActivityLog

    log = ActivityLog.objects.filter(municipality=demo_year, date__year=2026).order_by("pk").first()
    log.description = "Föräldramöte om nätets propaganda, 40 deltagare"
    log.save()
    client = verified_client(alice)
    assert _words(log.description) not in client.get(URL + "?year=2026").content.decode()
    choose = f"/sollentuna/followup/log/{log.pk}/report/"
    assert verified_client(tove).post(choose.replace("/sollentuna/", "/taby/"), {"chosen": "1"}).status_code == 404
    client = verified_client(alice)
    assert client.post(choose, {"chosen": "1"}).status_code == 302
    assert _words(log.description) in client.get(URL + "?year=2026").content.decode()
    assert AuditEvent.objects.filter(action="followup.log.report_chosen", object_id=str(log.pk)).exists()
    # A text with a personal identity number is refused when chosen, and never printed if it got in.
    other = ActivityLog.objects.filter(municipality=demo_year, date__year=2026).exclude(pk=log.pk).first()
    other.description = "Samtal med elev 20100101-1234 om klotter"
    other.save()
    client.post(f"/sollentuna/followup/log/{other.pk}/report/", {"chosen": "1"})
    other.refresh_from_db()
    assert not other.in_annual_report
    ActivityLog.objects.filter(pk=other.pk).update(in_annual_report=True)
    from docx import Document

    assert "20100101-1234" not in client.get(URL + "?year=2026").content.decode()
    document = Document(io.BytesIO(client.get(URL + "report.docx?year=2026").content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    assert "20100101-1234" not in text


def test_a_year_without_observations_says_so_in_every_format(verified_client: Any, tove: Any, taby: Any) -> None:
    """Täby has kept no situation picture in 2025: the report says that of the year, not that Värna lacks one."""
    from docx import Document

    client = verified_client(tove)
    html = client.get("/taby/report/?year=2025").content.decode()
    assert "Inga observationer registrerades i lägesbilden under 2025, så rapporten har inga siffror från den." in html
    assert "förs ännu inte" not in html
    document = Document(io.BytesIO(client.get("/taby/report/report.docx?year=2025").content))
    assert ("Inga observationer registrerades i lägesbilden under 2025, så rapporten har inga siffror från den."
            in [p.text for p in document.paragraphs])
    client.cookies["django_language"] = "en"
    assert ("No observations were recorded in the situation picture during 2025, so this report has no figures "
            "from it.") in client.get("/taby/report/?year=2025").content.decode()
