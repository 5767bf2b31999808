"""The annual report's sections from other modules: the situation picture over the year (with its chart)
and case statistics, both suppressed with the published policy, in the page and in the PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from typing import Any

import pytest
from django.utils import timezone

from varna.cases.models import Case

URL = "/sollentuna/report/"
SMALL = re.compile(r"(?<![\d–-])[1-7](?![\d–-])")


@pytest.fixture
def year() -> int:
    return timezone.localdate().year


@pytest.fixture
def report_data(demo_plan: Any, sollentuna: Any, alice: Any, year: int) -> Any:
    """The synthetic situation picture and twelve cases open this year (nine of one kind, three of others)."""
    from varna.core import demo as core_demo
    from varna.situation import demo as situation_demo

    core_demo.load_municipality()
    situation_demo.load(sollentuna)
    now = timezone.now()
    for _index in range(9):
        Case.objects.create(municipality=sollentuna, opened_by=alice, opened_at=now, age_band="15_17",
                            gender="male", status=Case.Status.ASSESSING)
    for age, gender in [("18_24", "female"), ("under_15", "female"), ("25_plus", "other")]:
        Case.objects.create(municipality=sollentuna, opened_by=alice, opened_at=now, age_band=age, gender=gender)
    # Closed before the year began: not counted.
    Case.objects.create(municipality=sollentuna, opened_by=alice, opened_at=now.replace(year=year - 2),
                        closed_at=now.replace(year=year - 1), status=Case.Status.CLOSED)
    return sollentuna


def _section(html: str, key: str) -> str:
    match = re.search(rf'<section id="section-{key}">(.*?)</section>', html, re.S)
    assert match, key
    return match.group(1)


def _shown_counts(section_html: str) -> list[str]:
    """What the table cells and the chart's labels show (the row headers are labels, not counts)."""
    cells = re.findall(r"<td>(.*?)</td>", section_html, re.S)
    texts = re.findall(r"<text[^>]*>(.*?)</text>", section_html, re.S)
    return [c.strip() for c in cells + texts]


def test_html_has_the_situation_picture_with_its_chart_and_case_statistics(client: Any, sten: Any,
                                                                          report_data: Any, year: int) -> None:
    client.force_login(sten)
    html = client.get(URL + f"?year={year}").content.decode()
    situation = _section(html, "situation")
    assert "Lägesbilden under året" in situation
    assert "<svg" in situation
    assert "Propaganda" in situation
    cases = _section(html, "cases")
    assert "Ärendesamordning: statistik" in cases
    counts = [c for c in _shown_counts(situation) + _shown_counts(cases) if c.isdigit()]
    assert counts, "some counts are shown"
    assert all(not 1 <= int(c) <= 7 and int(c) % 5 == 0 for c in counts), counts
    assert "10" in _shown_counts(cases)  # nine cases in assessment, rounded to 10
    assert not any(code in html for code in Case.objects.values_list("code", flat=True))


def test_no_section_without_data(client: Any, sten: Any, demo_plan: Any, year: int) -> None:
    client.force_login(sten)
    html = client.get(URL + f"?year={year}").content.decode()
    assert 'id="section-situation"' not in html
    assert 'id="section-cases"' not in html


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_pdf_text_holds_both_sections_without_small_counts(client: Any, sten: Any, report_data: Any, year: int,
                                                           tmp_path: Any) -> None:
    from varna.cases.report import statistics_section
    from varna.situation.report import year_section

    client.force_login(sten)
    response = client.get(URL + f"report.pdf?year={year}")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    start, middle = text.index("Lägesbilden under året"), text.index("Ärendesamordning: statistik")
    end = text.index("Självskattning", middle)
    assert start < middle < end
    body = text[start:end]
    for section in (year_section(report_data, year), statistics_section(report_data, year)):
        assert section is not None
        for paragraph in section.paragraphs:
            flat = " ".join(paragraph.split())
            assert flat in body
            body = body.replace(flat, " ")
    body = re.sub(r"\b\d+ ?/ ?\d+\b", " ", body.replace(str(year), " "))  # and the page footers
    assert "Propaganda" in body
    assert "Bedömning" in body
    assert SMALL.findall(body) == [], body
