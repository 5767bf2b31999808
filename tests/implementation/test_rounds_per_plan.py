"""Implementation rounds are listed per plan and version, and every one of them stays reachable."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.plans import timeline
from tests.plans.timeline import Row
from varna.implementation import selectors, services
from varna.implementation.models import Round

LEVELS = [("prevent", "Förebygga"), ("hinder", "Förhindra")]
CRIME = [("situation", "Lägesbild"), ("measures", "Åtgärder")]


def _two_plans(taby: Any) -> tuple[Any, Any, Any]:
    """Täby's strategy (revised once) and its crime-prevention plan, each with its rounds."""
    strategy = timeline.plan(taby, "strategi", "Strategi mot våldsbejakande extremism")
    crime = timeline.plan(taby, "brottsforebyggande", "Brottsförebyggande åtgärdsplan")
    rows = [Row("prevent-talks", "prevent", "per_term(1)", ["skolor"])]
    v1 = timeline.version(strategy, 1, levels=LEVELS, rows=rows, valid_from=dt.date(2025, 1, 1),
                          adopted_on=dt.date(2024, 12, 1))
    v2 = timeline.version(strategy, 2, levels=LEVELS, rows=rows, valid_from=dt.date(2026, 1, 1),
                          adopted_on=dt.date(2025, 12, 1))
    c1 = timeline.version(crime, 1, levels=CRIME, rows=[Row("measures-walks", "measures", "per_term(2)", ["polisen"])],
                          valid_from=dt.date(2025, 3, 1), adopted_on=dt.date(2025, 2, 1))
    for version in (v1, c1, v2):
        services.round_start(version=version)
    return v1, v2, c1


def test_each_plan_has_its_current_round_and_older_rounds_stay_listed(taby: Any) -> None:
    v1, v2, c1 = _two_plans(taby)
    assert [r.version for r in selectors.current_rounds(taby)] == [c1, v2]  # plans by title
    assert {r.version for r in selectors.rounds_of(taby)} == {v1, v2, c1}


def test_the_page_lists_every_round_per_plan_and_opens_an_older_one(verified_client: Any, taby: Any,
                                                                   tove: Any) -> None:
    v1, _v2, c1 = _two_plans(taby)
    client = verified_client(tove)
    page = client.get("/taby/implementation/").content.decode()
    for round_ in Round.objects.filter(municipality=taby):
        assert f'href="?round={round_.pk}"' in page
    assert "Brottsförebyggande åtgärdsplan" in page
    assert "Strategi mot våldsbejakande extremism" in page
    old = Round.objects.get(version=v1)
    page = client.get(f"/taby/implementation/?round={old.pk}").content.decode()
    assert "Gäller inte längre" in page
    assert f"/taby/plans/strategi/versions/{v1.number}/" in page


def test_acknowledging_a_round_of_the_second_plan_counts_there_only(verified_client: Any, taby: Any,
                                                                   tove: Any) -> None:
    _v1, v2, c1 = _two_plans(taby)
    client = verified_client(tove)
    crime_round = Round.objects.get(version=c1)
    response = client.post("/taby/implementation/acknowledge/", {"round": crime_round.pk})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?round={crime_round.pk}")
    assert selectors.acknowledgement_of(crime_round, tove) is not None
    assert selectors.acknowledgement_of(Round.objects.get(version=v2), tove) is None


def test_another_municipalitys_round_is_not_found(verified_client: Any, taby: Any, sollentuna: Any,
                                                  alice: Any) -> None:
    _two_plans(taby)
    client = verified_client(alice)
    for round_ in Round.objects.filter(municipality=taby):
        assert client.get(f"/sollentuna/implementation/?round={round_.pk}").status_code == 404
        assert client.get(f"/sollentuna/implementation/coverage.csv?round={round_.pk}").status_code == 404
        assert client.post("/sollentuna/implementation/acknowledge/", {"round": round_.pk}).status_code == 404
    assert client.get("/sollentuna/implementation/?round=x").status_code == 404
