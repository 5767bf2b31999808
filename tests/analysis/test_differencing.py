"""An indicator is no new differencing channel: every figure it shows is a figure of the published catalogue.

The attacker of issue 15 (tests/disclosure) is given the catalogue of every term, and then every indicator the
analysis allows (each category, district and milieu, from the first term on): every indicator value must be the
same cell, shown the same, as the catalogue's, and with both sets of figures the linear program pins no hidden
count. Ranges, totals over terms and crossed filters are refused when the indicator is made.
"""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from tests.disclosure.attacker import attack
from tests.disclosure.test_differencing import Cube, _seed, figures_of
from varna.analysis import selectors, services
from varna.disclosure.suppression import PUBLISHED
from varna.situation import selectors as situation

pytestmark = pytest.mark.django_db


def _problem(tove: Any, taby: Any) -> Any:
    analysis = services.analysis_create(actor=tove, municipality=taby, title="Analys", period_from="2025-1",
                                        period_to="2026-1")
    return services.problem_save(actor=tove, analysis=analysis, title="Problem", what="Något händer.")


@pytest.mark.parametrize("seed", [3, 11])
def test_indicators_show_only_catalogue_cells_and_pin_nothing(taby: Any, tove: Any, taby_districts: Any,
                                                              seed: int) -> None:
    _seed(taby, taby_districts, seed)
    problem = _problem(tove, taby)
    terms = situation.terms_of(taby)
    cube = Cube(taby, terms)
    published = situation.published_terms(taby, terms, PUBLISHED)
    figures = []
    for term in terms:
        for table in situation.published_tables(municipality=taby, term=term, policy=PUBLISHED):
            figures += figures_of(cube, table, term, f"catalogue {term} {table.key}")
    district_pks = {d.key: d.pk for d in situation.districts_of(taby)}
    shown = 0
    with time_machine.travel("2026-05-15", tick=False):
        for kind in ("category", "milieu", "district"):
            rows = situation.breakdown_values(taby, kind)
            for index, (key, _label) in enumerate(rows):
                value_key = next(k for k, pk in district_pks.items() if pk == key) if kind == "district" else key
                indicator = services.indicator_create(actor=tove, municipality=taby, problem=problem,
                                                      name=f"{kind} {value_key}", kind=kind, key=value_key,
                                                      baseline_term=terms[0])
                view = selectors.indicator_view(indicator)
                assert [p.period for p in view.points] == terms  # whole terms, one by one, nothing else
                for point in view.points:
                    tables, observations = published[point.period]
                    cell = observations.cells[index] if kind == "category" else \
                        tables.tables[kind].row_totals[index]
                    assert point.display == cell.display  # the catalogue's cell, shown the same
                    assert point.value == (None if cell.suppressed else cell.value)
                    if kind == "category":
                        figures.append(cube.obs_figure(f"indicator {kind} {key} {point.period}", cell,
                                                       term=point.period, category=key))
                    else:
                        figures.append(cube.figure(f"indicator {kind} {key} {point.period}", cell,
                                                   term=point.period, **{kind: key}))
                    shown += point.value is not None
    assert shown, "the seed should give some shown values"
    hidden = [f for f in figures if f.display in {"–", ".."} and f.true]
    assert any(1 <= f.true <= 7 for f in hidden), "the seed should give small counts to hide"
    verdict = attack(figures)
    assert not verdict.pinned, verdict.pinned


@pytest.mark.parametrize("changes", [
    {"baseline_term": "2025-1..2026-1"},  # a range
    {"baseline_term": "2025"},  # a year: a total over two terms
    {"target_term": "2025-1,2025-2"},
    {"key": "centrum"},  # a district where a category is asked: no crossed filter through the back door
    {"kind": "district", "key": "propaganda"},
    {"kind": "category", "key": ""},
])
def test_an_indicator_outside_the_catalogue_is_refused(taby: Any, tove: Any, taby_districts: Any,
                                                       changes: dict[str, str]) -> None:
    values = {"name": "x", "kind": "category", "key": "propaganda", "baseline_term": "2025-1", **changes}
    with pytest.raises(services.AnalysisError):
        services.indicator_create(actor=tove, municipality=taby, problem=_problem(tove, taby), **values)


def test_the_verdict_uses_shown_values_only(taby: Any, tove: Any, taby_picture: Any) -> None:
    """Threats in Näsby are hidden every term: the true counts (3, 2, 4) fall and rise, but nothing is said."""
    indicator = services.indicator_create(actor=tove, municipality=taby, problem=_problem(tove, taby),
                                          name="Hot", kind="category", key="threats", baseline_term="2024-2")
    with time_machine.travel("2025-12-01", tick=False):
        view = selectors.indicator_view(indicator)
    assert all(p.value is None for p in view.points)
    assert view.baseline is None
    assert "baseline" in view.verdict or "utgångsläget" in view.verdict
