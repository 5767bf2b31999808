"""The handover PDF (watermarked, audited, step-up) and the suppressed statistics."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest
from django.urls import reverse

from tests.cases.conftest import totp_code
from varna.core.models import AuditEvent


def test_the_handover_pdf_needs_a_fresh_code_and_is_watermarked_and_audited(case_a: Any, alice: Any,
                                                                           login: Any, tmp_path: Any) -> None:
    from varna.cases import services

    services.note_add(actor=alice, case=case_a, text="Överlämning till socialtjänsten")
    client = login(alice)
    url = reverse("cases:case_export", args=["sollentuna", case_a.code])
    refused = client.post(url, {"purpose": "Överlämning till ny samordnare", "code": "000000"})
    assert refused.status_code == 200
    assert refused["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(action="cases.case.exported").exists()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.get(user=alice).throttle_reset()
    response = client.post(url, {"purpose": "Överlämning till ny samordnare", "code": totp_code(alice)})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="cases.case.exported")
    assert event.actor == alice
    assert event.object_id == case_a.code
    assert event.purpose
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    pdf = tmp_path / "case.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert alice.email in text
    assert case_a.code in text


def test_statistics_hide_small_numbers(cases_setup: Any, alice: Any, sten: Any, login: Any) -> None:
    from varna.cases import services

    for _ in range(7):
        services.case_open(actor=alice, municipality=cases_setup, age_band="15_17", gender="male")
    services.case_open(actor=alice, municipality=cases_setup, age_band="18_24", gender="female")
    page = login(sten).get(reverse("cases:statistics", args=["sollentuna"]))
    by_age_table = {table.key: table for table in page.context["export_tables"]}["age_band"]
    # One column, this year's: the cases are counted by the year they were opened, never over years.
    assert len(by_age_table.headers) == 2
    by_age = {row[0].text: row[1].text for row in by_age_table.rows}
    assert by_age.pop("Alla öppnade ärenden") == "10"
    assert "–" in by_age.values()
    assert "1" not in by_age.values()
    # One hidden cell alone could be worked out from the total: the next smallest is hidden too.
    assert list(by_age.values()).count("–") >= 2


def test_suppression_rules() -> None:
    from varna.disclosure.suppression import PUBLISHED, suppress_labelled

    shown = dict(suppress_labelled([("a", 10), ("b", 3), ("c", 8)], PUBLISHED))
    assert shown["b"] == "–"
    # One hidden cell next to a known total would give it away: a second cell is hidden too.
    assert list(shown.values()).count("–") >= 2
    assert all(v == "–" or int(v) % 5 == 0 for v in shown.values())
    assert dict(suppress_labelled([("a", 10), ("b", 0)], PUBLISHED))["b"] == "0"
    assert suppress_labelled([("a", 2), ("b", 3)], PUBLISHED) == [("a", "–"), ("b", "–")]


def test_the_watermark_cannot_break_out_of_the_pdf_stylesheet() -> None:
    from varna.cases.services import _css_string

    escaped = _css_string('Eve "</style><script>" \\ x')
    assert "<" not in escaped
    assert '"' not in escaped
    assert "\\\\" not in escaped
    assert escaped.startswith("Eve \\22 \\3c /style")


def test_the_steering_group_without_a_second_step_is_told_why_before_any_qr_code(client: Any, sten: Any) -> None:
    client.force_login(sten)
    response = client.get("/sollentuna/cases/statistics/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Ärendeuppgifter kräver inloggning i två steg" in page
    assert 'href="/account/two-factor/"' in page
    assert "data:image/svg" not in page
    assert "otpauth" not in page
