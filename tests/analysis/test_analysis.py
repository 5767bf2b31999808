"""Problem statements with evidence, approval, the thread to the plan, indicators and the lägesbild, in Täby."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from varna.analysis import selectors, services
from varna.analysis.models import Analysis, Evidence
from varna.core.models import AuditEvent
from varna.disclosure.suppression import PUBLISHED
from varna.plans import services as plan_services
from varna.situation import selectors as situation

pytestmark = pytest.mark.django_db


def _analysis(actor: Any, municipality: Any) -> Analysis:
    return services.analysis_create(actor=actor, municipality=municipality, title="Lägesbild 2025",
                                    period_from="2024-2", period_to="2025-2", summary="Propaganda minskar.")


def _problem(actor: Any, analysis: Analysis, title: str = "Propaganda i centrum") -> Any:
    return services.problem_save(actor=actor, analysis=analysis, title=title,
                                 what="Klistermärken och symboler på skolvägar.", where="Centrum",
                                 who="Elever i årskurs 7–9", since="2024-2", certainty="high")


def test_working_group_writes_a_problem_statement_with_evidence_from_the_catalogue(
        taby: Any, taby_picture: Any, taby_group: dict[str, Any]) -> None:
    wilma = taby_group["working"]
    analysis = _analysis(wilma, taby)
    problem = _problem(wilma, analysis)
    evidence = services.evidence_add(actor=wilma, problem=problem, kind=Evidence.Kind.OBSERVATIONS,
                                     term="2025-2", breakdown="observations", note="12 observationer")
    view = selectors.evidence_view(taby, evidence)
    catalogue = {t.key: t for t in situation.published_tables(municipality=taby, term="2025-2", policy=PUBLISHED)}
    assert view.table is not None
    assert view.table.display_rows() == catalogue["observations"].display_rows()
    assert "HT 2025" in view.source
    assert AuditEvent.objects.filter(action="analysis.evidence.added", municipality=taby).exists()


@pytest.mark.parametrize(("term", "breakdown"), [("2024-2..2025-2", "category"), ("2025", "category"),
                                             ("2025-2", "district-category"), ("2025-2", "")])
def test_evidence_is_one_whole_term_and_one_catalogue_table(taby: Any, tove: Any, term: str, breakdown: str) -> None:
    problem = _problem(tove, _analysis(tove, taby))
    with pytest.raises(services.AnalysisError):
        services.evidence_add(actor=tove, problem=problem, kind=Evidence.Kind.OBSERVATIONS, term=term,
                              breakdown=breakdown)


def test_personal_data_in_a_problem_statement_is_refused(taby: Any, tove: Any) -> None:
    analysis = _analysis(tove, taby)
    with pytest.raises(services.AnalysisError, match="(?i)identity number|personnummer"):
        services.problem_save(actor=tove, analysis=analysis, title="Oro", what="Eleven 20080314-2387 sprider")
    with pytest.raises(services.AnalysisError):
        services.problem_save(actor=tove, analysis=analysis, title="Oro", what="Ring 070-123 45 67 om detta")
    assert not analysis.problems.exists()


def test_another_municipalitys_objects_cannot_be_cited(taby: Any, tove: Any, sollentuna: Any, alice: Any) -> None:
    theirs = services.source_create(actor=alice, municipality=sollentuna, kind="crime_statistics", title="BRÅ",
                                    publisher="Brå", published_on=dt.date(2025, 3, 1), figures=[
                                        {"series": "Anmälda brott", "period": "2024", "value": Decimal(10),
                                         "unit": "brott"}])
    problem = _problem(tove, _analysis(tove, taby))
    with pytest.raises(services.AnalysisError):
        services.evidence_add(actor=tove, problem=problem, kind=Evidence.Kind.FIGURE, figure=theirs.figures.get())


def test_roles_write_read_and_other_tenants(client: Any, verified_client: Any, taby: Any, tove: Any,
                                            taby_group: dict[str, Any], alice: Any) -> None:
    analysis = _analysis(tove, taby)
    detail = reverse("analysis:analysis_detail", args=[taby.slug, analysis.pk])
    create = reverse("analysis:analysis_create", args=[taby.slug])
    client.force_login(taby_group["working"])
    assert client.get(create).status_code == 200
    response = client.post(reverse("analysis:problem_create", args=[taby.slug, analysis.pk]), {
        "title": "Hot mot lärare", "what": "Hot i skolmiljö.", "certainty": "low"})
    assert response.status_code == 302
    assert analysis.problems.count() == 1
    client.force_login(taby_group["steering"])
    assert client.get(detail).status_code == 200
    assert client.get(create).status_code == 403
    client.force_login(taby_group["staff"])
    assert client.get(detail).status_code == 403
    other = verified_client(alice)
    assert other.get(detail).status_code == 404
    assert other.get(reverse("analysis:analysis_detail", args=["sollentuna", analysis.pk])).status_code == 404


def test_approval_on_its_own_and_with_the_plan(taby: Any, tove: Any, taby_group: dict[str, Any],
                                               taby_plan: Any) -> None:
    steering = taby_group["steering"]
    first, second = _analysis(tove, taby), _analysis(tove, taby)
    with pytest.raises(services.AnalysisError):  # nothing to approve yet
        services.analysis_approve_with_plan(actor=steering, analysis=first, plan=taby_plan)
    _problem(tove, first), _problem(tove, second)
    with pytest.raises(services.AnalysisError):  # the working group does not approve
        services.analysis_approve_with_plan(actor=taby_group["working"], analysis=first, plan=taby_plan)
    services.analysis_approve_with_plan(actor=steering, analysis=first, plan=taby_plan)
    first.refresh_from_db()
    assert first.decision_text == f"Kommunstyrelsen {first.decision_date.isoformat()} § 12, Dnr KS 2025/0088"
    assert first.approved_with_version == 1
    with pytest.raises(services.AnalysisError, match="(?i)future|framtiden"):
        services.analysis_approve(actor=steering, analysis=second, decision=plan_services.Decision(
            body_kind="steering_group", body="Styrgruppen", date=timezone.localdate() + dt.timedelta(days=3)))
    services.analysis_approve(actor=steering, analysis=second, decision=plan_services.Decision(
        body_kind="steering_group", body="Styrgruppen", date=timezone.localdate(), paragraph="§ 3"))
    with pytest.raises(services.AnalysisError):  # approved is kept as approved
        _problem(tove, second, "Något nytt")


def test_a_draft_plan_shows_problems_without_measure_and_measures_without_problem(
        client: Any, verified_client: Any, taby: Any, tove: Any, taby_group: dict[str, Any], taby_plan: Any) -> None:
    analysis = _analysis(tove, taby)
    propaganda, threats = _problem(tove, analysis), _problem(tove, analysis, "Hot mot lärare")
    services.problem_activity_link(actor=tove, problem=propaganda, plan=taby_plan, activity_key="lagesbildsmote")
    with pytest.raises(services.AnalysisError):
        services.problem_activity_link(actor=tove, problem=propaganda, plan=taby_plan, activity_key="no-such")
    draft = plan_services.version_create_draft(actor=tove, plan=taby_plan)
    thread = selectors.plan_thread(draft, approved_only=False)
    assert [p.title for p in thread.problems_without_measure] == ["Hot mot lärare"]
    assert "lagesbildsmote" not in [key for key, _name in thread.measures_without_problem]
    assert "foraldrakvallar" in [key for key, _name in thread.measures_without_problem]
    page = verified_client(tove).get(reverse("plans:draft_edit", args=[taby.slug, taby_plan.slug, draft.number]))
    html = page.content.decode()
    assert threats.title in html
    assert "Föräldrar" in html


def test_the_plan_pdf_carries_the_thread_of_an_approved_analysis(
        verified_client: Any, taby: Any, tove: Any, taby_group: dict[str, Any], taby_plan: Any) -> None:
    from varna.plans import selectors as plans
    from varna.plans.views import _render_pdf  # noqa: F401  (the view renders what we check below)

    analysis = _analysis(tove, taby)
    problem = _problem(tove, analysis)
    services.problem_activity_link(actor=tove, problem=problem, plan=taby_plan, activity_key="lagesbildsmote")
    version = plans.current_version(taby_plan)
    assert selectors.plan_thread(version, approved_only=True).rows == []  # a draft analysis is not printed
    services.analysis_approve_with_plan(actor=taby_group["steering"], analysis=analysis, plan=taby_plan)
    thread = selectors.plan_thread(version, approved_only=True)
    assert thread.rows == [("Gemensam lägesbild", [problem])]
    from django.template.loader import render_to_string

    html = render_to_string("plans/plan_pdf.html", {"plan": taby_plan, "version": version, "municipality": taby,
                                                    "levels": plans.levels_with_activities(version),
                                                    "thread": thread})
    assert "Problem som aktiviteterna svarar på" in html
    assert problem.title in html
    response = verified_client(tove).get(reverse("plans:plan_pdf", args=[taby.slug, taby_plan.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_an_indicator_shows_the_catalogue_cell_of_each_term_with_the_caveat(
        taby: Any, tove: Any, taby_picture: Any) -> None:
    problem = _problem(tove, _analysis(tove, taby))
    falling = services.indicator_create(actor=tove, municipality=taby, problem=problem, name="Propaganda",
                                        kind="category", key="propaganda", baseline_term="2024-2",
                                        target=Decimal(10))
    small = services.indicator_create(actor=tove, municipality=taby, problem=problem, name="Hot i Näsby",
                                      kind="district", key="nasby", baseline_term="2024-2")
    with time_machine.travel("2025-12-01", tick=False):
        view, hidden = selectors.indicator_view(falling), selectors.indicator_view(small)
    assert [p.display for p in view.points] == ["30", "20", "10"]  # 12 rounds to 10
    assert view.baseline == Decimal(30)
    assert "Better" in view.verdict or "Bättre" in view.verdict
    assert [p.display for p in hidden.points] == ["–", "–", "–"]
    assert all(p.value is None for p in hidden.points)
    assert hidden.caveat
    assert "Cannot say" in hidden.verdict or "Kan inte" in hidden.verdict


def test_the_annual_report_shows_each_problems_indicators(taby: Any, tove: Any, taby_picture: Any,
                                                          taby_plan: Any) -> None:
    from varna.analysis.report import indicators_section

    problem = _problem(tove, _analysis(tove, taby))
    services.problem_activity_link(actor=tove, problem=problem, plan=taby_plan, activity_key="lagesbildsmote")
    services.indicator_create(actor=tove, municipality=taby, problem=problem, name="Propaganda per termin",
                              kind="category", key="propaganda", baseline_term="2024-2", target=Decimal(10))
    section = indicators_section(taby, 2025)
    assert section is not None
    row = section.rows[0]
    assert row[1] == "Propaganda per termin"
    assert row[3:5] == ["20", "10"]
    assert "Gemensam lägesbild" in row[7]
    assert "<svg" in section.chart


def test_the_lagesbild_as_html_pdf_and_word(client: Any, taby: Any, tove: Any, taby_picture: Any,
                                           taby_group: dict[str, Any]) -> None:
    from docx import Document

    analysis = _analysis(tove, taby)
    problem = _problem(tove, analysis)
    services.evidence_add(actor=tove, problem=problem, kind=Evidence.Kind.OBSERVATIONS, term="2025-2",
                          breakdown="district")
    client.force_login(taby_group["steering"])
    html = client.get(reverse("analysis:analysis_document", args=[taby.slug, analysis.pk])).content.decode()
    assert problem.title in html
    assert "situation-table" in html
    pdf = client.get(reverse("analysis:analysis_document_pdf", args=[taby.slug, analysis.pk]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    word = client.get(reverse("analysis:analysis_document_docx", args=[taby.slug, analysis.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert problem.title in text
    assert AuditEvent.objects.filter(action="analysis.document.exported", municipality=taby).count() == 2


def test_a_measure_is_unlinked_only_in_its_own_municipality(verified_client: Any, taby: Any, tove: Any,
                                                             sollentuna: Any, alice: Any, taby_plan: Any) -> None:
    from django.http import Http404

    from varna.analysis.models import ProblemActivity

    problem = _problem(tove, _analysis(tove, taby))
    services.problem_activity_link(actor=tove, problem=problem, plan=taby_plan, activity_key="lagesbildsmote")
    link = ProblemActivity.objects.get(problem=problem)
    assert selectors.link_get(taby, link.pk) == link
    with pytest.raises(Http404):
        selectors.link_get(sollentuna, link.pk)
    elsewhere = verified_client(alice).post(reverse("analysis:link_delete", args=[sollentuna.slug, link.pk]))
    assert elsewhere.status_code == 404
    response = verified_client(tove).post(reverse("analysis:link_delete", args=[taby.slug, link.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{problem.analysis_id}/")
    assert not ProblemActivity.objects.filter(pk=link.pk).exists()
