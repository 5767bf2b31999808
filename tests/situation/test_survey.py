"""The situation survey: built by the coordinator, answered anonymously, results with "too few answers"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from varna.core.models import AuditEvent
from varna.disclosure.suppression import INTERNAL, PUBLISHED
from varna.situation import selectors, services
from varna.situation.models import Survey, SurveyAnswer

SURVEYS = "/sollentuna/situation/surveys/"


@pytest.fixture
def survey(alice: Any, sollentuna: Any, districts: Any) -> Survey:
    today = timezone.localdate()
    return services.survey_create(actor=alice, municipality=sollentuna, title="Lägesbildsenkät VT",
                                  questions=["seen-propaganda", "milieu", "district", "comment"],
                                  audiences=["school", "civil_society"], opens_on=today - dt.timedelta(days=1),
                                  closes_on=today + dt.timedelta(days=30))


def _answer_url(survey: Survey, audience: str) -> str:
    return f"/sollentuna/situation/survey/{survey.links.get(audience=audience).token}/"


def test_the_coordinator_builds_a_survey_with_a_link_per_audience(verified_client: Any, alice: Any,
                                                                  districts: Any) -> None:
    client = verified_client(alice)
    today = timezone.localdate()
    response = client.post(SURVEYS + "new/", {
        "title": "Enkät", "opens_on": today.isoformat(), "closes_on": (today + dt.timedelta(days=14)).isoformat(),
        "questions": ["seen-propaganda", "training-need"], "audiences": ["school", "leisure", "civil_society"]})
    assert response.status_code == 302
    survey = Survey.objects.get()
    assert survey.questions == ["seen-propaganda", "training-need"]
    assert survey.links.count() == 3
    assert AuditEvent.objects.filter(action="situation.survey.created").exists()
    page = client.get(response["Location"]).content.decode()
    assert all(link.token in page for link in survey.links.all())


def test_only_the_coordinator_builds_surveys(client: Client, walter: Any, sten: Any, bob: Any, tove: Any,
                                             verified_client: Any, survey: Survey) -> None:
    for user in (walter, sten):
        client.force_login(user)
        assert client.get(SURVEYS + "new/").status_code == 403
        results = client.get(SURVEYS + f"{survey.pk}/")
        assert results.status_code == 200
        assert survey.links.first().token not in results.content.decode()
    client.force_login(bob)
    assert client.get(SURVEYS).status_code == 403
    assert verified_client(tove).get(SURVEYS + f"{survey.pk}/").status_code == 404


def test_answers_are_anonymous_unlinked_and_dated_to_the_day(survey: Survey) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    response = client.post(_answer_url(survey, "school"), {"seen-propaganda": "yes", "milieu": "white-power",
                                                           "district": "tureberg", "comment": "Mer klotter i år."})
    assert response.status_code == 200
    assert "thanks" in response.context
    answers = SurveyAnswer.objects.all()
    assert answers.count() == 4
    field_names = {f.name for f in SurveyAnswer._meta.get_fields()}
    assert field_names == {"id", "survey", "audience", "question", "value", "submitted_on"}
    assert {a.submitted_on for a in answers} == {timezone.localdate()}
    assert not AuditEvent.objects.filter(ip_address="203.0.113.9").exists()
    assert "sessionid" not in response.cookies


def test_free_text_answers_pass_the_personal_data_guard(survey: Survey) -> None:
    response = Client().post(_answer_url(survey, "school"), {"seen-propaganda": "yes",
                                                             "comment": "Prata med Anna Svensson i 8B."})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert SurveyAnswer.objects.count() == 0


def test_a_closed_survey_takes_no_answers_and_a_wrong_token_is_404(survey: Survey, taby: Any) -> None:
    survey.closes_on = timezone.localdate() - dt.timedelta(days=1)
    survey.save()
    assert Client().post(_answer_url(survey, "school"), {"seen-propaganda": "yes"}).status_code == 410
    assert SurveyAnswer.objects.count() == 0
    assert Client().get("/sollentuna/situation/survey/nope/").status_code == 404
    token = survey.links.get(audience="school").token
    assert Client().get(f"/taby/situation/survey/{token}/").status_code == 404


def test_an_audience_with_too_few_answers_is_left_out(survey: Survey) -> None:
    for i in range(9):
        Client().post(_answer_url(survey, "school"), {"seen-propaganda": "yes" if i < 6 else "no",
                                                      "comment": "Inget särskilt."})
    for _i in range(3):
        Client().post(_answer_url(survey, "civil_society"), {"seen-propaganda": "yes"})
    internal = {r.key: r for r in selectors.survey_results(survey=survey, policy=INTERNAL, with_texts=True)}
    seen = internal["seen-propaganda"]
    assert [key for key, _label in seen.table.columns] == ["school"]
    assert seen.too_few == ["Civilsamhällets föreningar"]
    assert seen.table.grand_total.display == "9"  # the three from civil society are in no total
    assert internal["comment"].texts == ["Inget särskilt."] * 9
    assert internal["milieu"].table is None
    assert internal["milieu"].too_few == []
    published = {r.key: r for r in selectors.survey_results(survey=survey, policy=PUBLISHED)}
    assert published["seen-propaganda"].table.grand_total.display == "10"
    assert published["comment"].texts == []


def test_survey_export_is_suppressed_and_audited(verified_client: Any, alice: Any, survey: Survey) -> None:
    for _i in range(4):
        Client().post(_answer_url(survey, "school"), {"seen-propaganda": "yes"})
    client = verified_client(alice)
    client.cookies["django_language"] = "en"
    page = client.get(SURVEYS + f"{survey.pk}/").content.decode()
    assert "Too few answers: School staff" in page
    exported = client.get(SURVEYS + f"{survey.pk}/results.csv").content.decode("utf-8-sig")
    assert "too few answers from School staff" in exported
    assert "\nyes," not in exported.lower()  # no table for a question with too few answers
    assert AuditEvent.objects.filter(action="situation.export", data__what="survey").exists()


def test_the_term_report_has_a_section_on_the_latest_survey(client: Client, walter: Any, survey: Survey) -> None:
    for _i in range(7):
        Client().post(_answer_url(survey, "school"), {"seen-propaganda": "yes", "milieu": "autonomous"})
    client.force_login(walter)
    response = client.get("/sollentuna/situation/report/")
    assert response.context["survey"] == survey
    assert "Lägesbildsenkät VT" in response.content.decode()
    results = {r.key: r for r in response.context["survey_results"]}
    assert results["seen-propaganda"].table.grand_total.display == "7"


def test_the_demo_survey_has_synthetic_answers_and_shows_too_few_answers(demo_situation: Any) -> None:
    from varna.situation import demo

    survey = Survey.objects.get(title=demo.DEMO_SURVEY_TITLE)
    # The audience labels are translated: pin the language rather than inherit another test's.
    with translation.override("sv"):
        results = {r.key: r for r in selectors.survey_results(survey=survey, policy=INTERNAL)}
    assert results["seen-propaganda"].table is not None
    assert "Civilsamhällets föreningar" in results["seen-propaganda"].too_few
    assert demo.load_survey(demo_situation) == 0  # loading again adds nothing


def test_results_are_compared_with_the_previous_survey(verified_client: Any, alice: Any, sollentuna: Any,
                                                       survey: Survey) -> None:
    today = timezone.localdate()
    earlier = services.survey_create(actor=alice, municipality=sollentuna, title="Förra enkäten",
                                     questions=["seen-propaganda"], audiences=["school"],
                                     opens_on=today - dt.timedelta(days=200), closes_on=today)
    for _i in range(8):
        Client().post(_answer_url(earlier, "school"), {"seen-propaganda": "no"})
    response = verified_client(alice).get(SURVEYS + f"{survey.pk}/")
    assert response.context["previous"] == earlier
    pairs = dict((r.key, before) for r, before in response.context["results"])
    assert pairs["seen-propaganda"].table.grand_total.display == "8"
    assert "Förra enkäten" in response.content.decode()


def test_an_empty_answer_is_refused_not_thanked(survey: Survey) -> None:
    response = Client().post(_answer_url(survey, "school"), {"comment": "  "})
    assert response.status_code == 200
    assert "thanks" not in response.context
    assert response.context["form"].non_field_errors()
    assert SurveyAnswer.objects.count() == 0
