"""Evidence and indicators from the municipality's own survey and from media monitoring, in Täby."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from varna.analysis import forms, selectors, services
from varna.analysis.models import Evidence
from varna.situation import services as situation

pytestmark = pytest.mark.django_db


def _survey(taby: Any, tove: Any, yes: int, no: int, *, opens: dt.date) -> Any:
    survey = situation.survey_create(actor=tove, municipality=taby, title=f"Enkät {opens.year}",
                                     questions=["seen-propaganda"], audiences=["school"], opens_on=opens,
                                     closes_on=opens + dt.timedelta(days=20))
    link = survey.links.get()
    for answer in ["yes"] * yes + ["no"] * no:
        situation.survey_answer(link=link, answers={"seen-propaganda": answer}, today=opens)
    return survey


def _problem(tove: Any, taby: Any) -> Any:
    analysis = services.analysis_create(actor=tove, municipality=taby, title="A", period_from="2024-2",
                                        period_to="2025-2")
    return services.problem_save(actor=tove, analysis=analysis, title="Propaganda", what="Syns på skolor.")


def test_a_survey_answers_share_per_term_from_the_published_counts(taby: Any, tove: Any) -> None:
    first = _survey(taby, tove, 24, 16, opens=dt.date(2024, 9, 2))  # 60 % yes, published 25 of 40: 63 %
    _survey(taby, tove, 9, 31, opens=dt.date(2025, 9, 1))  # 22.5 % yes, published 10 of 40: 25 %
    problem = _problem(tove, taby)
    form = forms.IndicatorForm(municipality=taby)
    assert "seen-propaganda:yes" in [value for value, _label in form.fields["survey_answer"].choices]
    indicator = services.indicator_create(actor=tove, municipality=taby, problem=problem, name="Såg propaganda",
                                          kind="survey_share", question="seen-propaganda", answer="yes",
                                          baseline_term="2024-2", target=Decimal(30))
    with time_machine.travel("2025-12-01", tick=False):
        view = selectors.indicator_view(indicator)
    assert [p.display for p in view.points] == ["63 %", "..", "25 %"]  # spring 2025 had no survey
    assert "Better" in view.verdict or "Bättre" in view.verdict
    evidence = services.evidence_add(actor=tove, problem=problem, kind=Evidence.Kind.SURVEY, survey=first,
                                     question="seen-propaganda")
    shown = selectors.evidence_view(taby, evidence)
    assert shown.table is not None
    assert "Enkät 2024" in shown.source


def test_a_small_survey_is_too_small_to_give_a_share(taby: Any, tove: Any) -> None:
    _survey(taby, tove, 3, 2, opens=dt.date(2024, 9, 2))
    indicator = services.indicator_create(actor=tove, municipality=taby, problem=_problem(tove, taby),
                                          name="Såg propaganda", kind="survey_share", question="seen-propaganda",
                                          answer="yes", baseline_term="2024-2")
    with time_machine.travel("2024-12-01", tick=False):
        view = selectors.indicator_view(indicator)
    assert [p.display for p in view.points] == ["–"]
    assert view.caveat


def test_a_monitoring_item_is_cited_with_its_feed_and_another_municipalitys_is_refused(
        taby: Any, tove: Any, sollentuna: Any) -> None:
    from django.utils import timezone

    from varna.monitoring.models import FeedItem, FeedSource

    ours = FeedSource.objects.create(municipality=taby, name="Lokaltidningen", url="https://example.org/feed")
    theirs = FeedSource.objects.create(municipality=sollentuna, name="Annan", url="https://example.org/other")
    item = FeedItem.objects.create(source=ours, uid="1", title="Klistermärken i centrum",
                                   link="https://example.org/a", published_at=timezone.now())
    other = FeedItem.objects.create(source=theirs, uid="2", title="Något annat", link="https://example.org/b")
    problem = _problem(tove, taby)
    evidence = services.evidence_add(actor=tove, problem=problem, kind=Evidence.Kind.MONITORING,
                                     monitoring_item=item)
    view = selectors.evidence_view(taby, evidence)
    assert view.label == "Klistermärken i centrum"
    assert "Lokaltidningen" in view.source
    assert view.link
    with pytest.raises(services.AnalysisError):
        services.evidence_add(actor=tove, problem=problem, kind=Evidence.Kind.MONITORING, monitoring_item=other)
