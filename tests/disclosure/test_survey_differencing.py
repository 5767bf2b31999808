"""Survey results across surveys (issue 15): nothing to subtract.

Every answer belongs to one survey, and every survey figure that leaves Värna (the results page and its
comparison with the survey before, its CSV and XLSX, the term report's section, the analysis app's
evidence and indicators) is one survey's own table: there is no range of surveys and no total over
surveys, so the tables of two surveys share no answer. The test pins that down: one survey's published
figures don't move, whatever another survey's answers are.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from varna.disclosure.suppression import PUBLISHED
from varna.situation import selectors, services
from varna.situation.models import SurveyAnswer

AUDIENCES = ["school", "civil_society"]


def _shown(survey: Any) -> list[list[str]]:
    figures = []
    for result in selectors.survey_results(survey=survey, policy=PUBLISHED):
        figures.append([result.key, *result.too_few])
        if result.table is not None:
            figures.append([cell.display for row in result.table.rows for cell in [*row.cells, row.total]]
                           + [cell.display for cell in [*result.table.column_totals, result.table.grand_total]])
    return figures


def _answer(survey: Any, answers: list[tuple[int, int]]) -> None:
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(survey=survey, audience=AUDIENCES[audience], question="seen-propaganda",
                     value=["yes", "no", "unsure"][value % 3], submitted_on=survey.opens_on)
        for audience, value in answers)


answers = st.lists(st.tuples(st.integers(0, 1), st.integers(0, 2)), max_size=30)


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(first=answers, second=answers)
def test_a_surveys_published_results_depend_on_its_own_answers_only(
        first: list[tuple[int, int]], second: list[tuple[int, int]], taby: Any, make_person: Any) -> None:
    from django.db import transaction

    with transaction.atomic():
        coordinator = make_person("kim@taby.example", "coordinator", taby)
        surveys = [services.survey_create(actor=coordinator, municipality=taby, title=f"Enkät {year}",
                                          questions=["seen-propaganda"], audiences=AUDIENCES,
                                          opens_on=dt.date(year, 3, 1), closes_on=dt.date(year, 3, 31))
                   for year in (2025, 2026)]
        _answer(surveys[0], first)
        alone = _shown(surveys[0])
        _answer(surveys[1], second)
        assert selectors.previous_survey(surveys[1]) == surveys[0]
        assert _shown(surveys[0]) == alone, "a survey's figures moved with another survey's answers"
        transaction.set_rollback(True)
