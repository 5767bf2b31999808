import shutil
import subprocess
from typing import Any

import pytest
from django.test import Client

from varna.core.models import AuditEvent
from varna.plans.models import Plan

PLAN = "/sollentuna/plans/handlingsplan-vbe/"
PUBLIC_PAGES = ["/", "/sollentuna/", "/sollentuna/plans/", PLAN, PLAN + "levels/prevent/", PLAN + "levels/act/",
                PLAN + "activities/", PLAN + "versions/", PLAN + "compare/", "/account/login/"]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_work_in_both_languages(client: Client, demo_plan: Plan, path: str, language: str) -> None:
    client.cookies["django_language"] = language
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert 'href="#main"' in html


def test_swedish_is_the_default_and_english_is_complete(client: Client, demo_plan: Plan) -> None:
    swedish = client.get("/sollentuna/plans/handlingsplan-vbe/").content.decode()
    assert "Nivåer" in swedish
    assert "Ladda ner som PDF" in swedish
    client.cookies["django_language"] = "en"
    english = client.get("/sollentuna/plans/handlingsplan-vbe/").content.decode()
    assert "Levels" in english
    assert "Download as PDF" in english


def test_activity_table_filters_by_unit_and_cadence(client: Client, demo_plan: Plan) -> None:
    everything = client.get("/sollentuna/plans/handlingsplan-vbe/activities/").context["activities"]
    assert len(everything) == 25
    by_cadence = client.get("/sollentuna/plans/handlingsplan-vbe/activities/?cadence=per_term").context["activities"]
    assert {a.key for a in by_cadence} >= {"prevent-working-group-meetings", "detect-situation-mapping"}
    assert all(a.cadence_kind == "per_term" for a in by_cadence)
    by_unit = client.get("/sollentuna/plans/handlingsplan-vbe/activities/?organisation=soc-mottagning")
    assert by_unit.context["activities"]
    assert all("soc-mottagning" in [o.key for o in a.responsible.all()] for a in by_unit.context["activities"])


def test_unknown_filter_values_show_the_form_error_not_a_crash(client: Client, demo_plan: Plan) -> None:
    response = client.get("/sollentuna/plans/handlingsplan-vbe/activities/?cadence=hourly&organisation=nope")
    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (scripts/system-deps.sh)")
def test_pdf_has_title_page_contents_and_every_level(client: Client, demo_plan: Plan, tmp_path: Any,
                                                     sten: Any) -> None:
    response = client.get("/sollentuna/plans/handlingsplan-vbe/plan.pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for heading in ["Förebygga", "Upptäcka", "Åtgärda", "Implementera", "Följa upp", "Innehåll",
                    "Kommunfullmäktige, 2016-04-07 § 41", "2016/0131 KS-3"]:
        assert heading in text
    # The invented levels and "how the plan meets it" texts are marked as not adopted (2 levels, 12 texts).
    assert text.count("[Ej ur den antagna planen]") == 14
    assert "Version" in text
    assert "1 / " in text.replace("\u00a0", " ")
    # An anonymous reader of the public document leaves no audit row; a signed-in member's download is audited.
    assert not AuditEvent.objects.filter(action="plans.version.exported").exists()
    client.force_login(sten)
    assert client.get("/sollentuna/plans/handlingsplan-vbe/plan.pdf").content == response.content
    assert AuditEvent.objects.filter(action="plans.version.exported", data__format="pdf", actor=sten).count() == 1


def test_yaml_export_needs_a_role_and_is_audited(client: Client, demo_plan: Plan, sten: Any) -> None:
    url = "/sollentuna/plans/handlingsplan-vbe/versions/1/export.yaml"
    assert client.get(url).status_code == 302
    client.force_login(sten)
    response = client.get(url)
    assert response.status_code == 200
    assert b"varna-plan/1" in response.content
    assert AuditEvent.objects.filter(action="plans.version.exported", actor=sten).exists()


def test_coordinator_imports_a_plan_file_in_the_browser(verified_client: Any, alice: Any, sollentuna: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from varna.plans.demo import DEMO_FILE

    client = verified_client(alice)
    bad = SimpleUploadedFile("p.yaml", b"format: varna-plan/1\nplan: {}\n", content_type="application/yaml")
    response = client.post("/sollentuna/plans/import/", {"file": bad})
    assert response.status_code == 200
    assert response.context["problems"]
    good = SimpleUploadedFile("p.yaml", DEMO_FILE.read_bytes(), content_type="application/yaml")
    response = client.post("/sollentuna/plans/import/", {"file": good})
    assert response.status_code == 302
    assert Plan.objects.filter(municipality=sollentuna).count() == 1
