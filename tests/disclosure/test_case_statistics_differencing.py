"""The differencing attacker against the case statistics (issue 15, the part the catalogue of terms left).

Random cases over three opening years go into a second municipality; the attacker reads every figure the
statistics page (and so its CSV and XLSX files, which equal the page: ``tests/cases/test_exports.py``)
and the annual report's case section give for every year, and bounds every hidden one with the linear
program of ``tests/disclosure/attacker.py`` over the cube year opened × status × age band × gender ×
milieu. Nothing hidden may be pinned. The same attacker does pin counts from the lists published before
(a whole-period list next to "open during the year" lists).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.disclosure.attacker import Figure, attack
from varna.cases import selectors
from varna.cases.models import AgeBand, Case, Gender
from varna.cases.report import statistics_section
from varna.disclosure.catalogue import publish_lists
from varna.disclosure.suppression import PUBLISHED, suppress_series
from varna.knowledge import selectors as knowledge

STATUSES = [value for value, _label in Case.Status.choices]
AGE_BANDS = [value for value, _label in AgeBand.choices]
GENDERS = [value for value, _label in Gender.choices]
THIS_YEAR = timezone.localdate().year
YEARS = [THIS_YEAR - 2, THIS_YEAR - 1, THIS_YEAR]
POSITION = {"status": 1, "age_band": 2, "gender": 3, "milieu": 4}


def _domain(municipality: Any) -> dict[str, list[str]]:
    return {"status": STATUSES, "age_band": AGE_BANDS, "gender": GENDERS,
            "milieu": ["", *(m.key for m in knowledge.milieus_of(municipality))]}


def _cube(domain: dict[str, list[str]]) -> list[tuple]:
    return [(year, *point) for year in YEARS for point in itertools.product(*domain.values())]


def _figure(where: str, cube: list[tuple], truth: Counter, test: Any, display: str, reason: str | None) -> Figure:
    cells = frozenset(c for c in cube if test(c))
    return Figure(where, cells, display, sum(truth.get(c, 0) for c in cells), reason)


def published_figures(municipality: Any, truth: Counter, domain: dict[str, list[str]]) -> list[Figure]:
    """Every figure of the page's table for every year and of each year's report section, read as shown;
    the reason of each "–" from the catalogue (the attacker is told more than the page says)."""
    cube = _cube(domain)
    assert selectors.case_statistics_years(municipality) == YEARS[YEARS.index(min(y for y, *_ in truth)):]
    figures = []
    for year in YEARS:
        total, lists = selectors.case_statistics(municipality, year=year)
        reasons = publish_lists({key: [sum(v for c, v in truth.items() if c[0] == year and c[POSITION[key]] == value)
                                       for value in domain[key]] for key in POSITION}, PUBLISHED)
        assert reasons.total.display == total, "the page shows the catalogue's cells"
        figures.append(_figure(f"{year} total", cube, truth, lambda c, y=year: c[0] == y, total, reasons.total.reason))
        for key, rows in lists:
            for value, (label, shown), cell in zip(domain[key], rows, reasons.lists[key], strict=True):
                assert cell.display == shown
                figures.append(_figure(f"{year} {key}={label}", cube, truth,
                                       lambda c, y=year, p=POSITION[key], v=value: c[0] == y and c[p] == v,
                                       shown, cell.reason))
        section = statistics_section(municipality, year)
        if section is None:
            assert all(not v for c, v in truth.items() if c[0] == year)
            continue
        # The annual report's section is the same cells, nothing more.
        assert [row[2] for row in section.rows] == [shown for _key, rows in lists for _l, shown in rows] + [total]
    return figures


case = st.tuples(st.sampled_from(YEARS), st.sampled_from(STATUSES), st.sampled_from(AGE_BANDS),
                 st.sampled_from(GENDERS), st.integers(0, 3), st.integers(1, 6))
cases_data = st.lists(case, min_size=1, max_size=12)


@pytest.fixture
def opener(make_person: Any, taby: Any) -> Any:
    return make_person("kim@taby.example", "working_group", taby)


def _seed(municipality: Any, opener: Any, rows: list[tuple], domain: dict[str, list[str]]) -> Counter:
    truth: Counter = Counter()
    milieus = domain["milieu"]
    batch = []
    for year, status, age_band, gender, milieu_index, count in rows:
        milieu = milieus[milieu_index % len(milieus)]
        truth[(year, status, age_band, gender, milieu)] += count
        opened = timezone.make_aware(dt.datetime(year, 6, 1, 12))  # noqa: DTZ001 (made aware in Stockholm time)
        batch += [Case(municipality=municipality, opened_by=opener, opened_at=opened, status=status,
                       age_band=age_band, gender=gender, milieu_key=milieu) for _ in range(count)]
    Case.objects.bulk_create(batch)
    return truth


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rows=cases_data)
def test_no_hidden_case_count_can_be_pinned_from_every_year_of_the_page_and_the_report(
        rows: list[tuple], taby: Any, opener: Any) -> None:
    domain = _domain(taby)
    with transaction.atomic():
        truth = _seed(taby, opener, rows, domain)
        figures = published_figures(taby, truth, domain)
        transaction.set_rollback(True)
    shown = [f for f in figures if f.display not in {"–", ".."}]
    assert all(f.true == 0 or f.true > 7 for f in shown), "a small count was shown"
    verdict = attack(figures)
    assert not verdict.pinned, verdict.pinned


def test_the_attacker_pins_a_count_from_the_lists_of_before() -> None:
    """Before: one list over every case ever opened, and one per year of the cases open at some time
    during it, each suppressed on its own against its total. Twenty-five cases opened and closed in the
    first year, seventeen opened in the second, one of them of age band c: combining the three lists pins
    that 1 exactly (and the second year's other two hidden counts).
    The catalogue's lists by year opened give nothing away."""
    domain = {"age_band": ["a", "b", "c"]}
    truth = Counter({("y1", "a"): 12, ("y1", "b"): 5, ("y1", "c"): 8, ("y2", "a"): 8, ("y2", "b"): 8, ("y2", "c"): 1})
    cube = [(year, band) for year in ("y1", "y2") for band in domain["age_band"]]

    def lists(test: Any) -> list[int]:
        return [sum(v for c, v in truth.items() if test(c) and c[1] == band) for band in domain["age_band"]]

    def figures_of(where: str, test: Any, series: Any) -> list[Figure]:
        out = [_figure(f"{where} {band}", cube, truth, lambda c, b=band: test(c) and c[1] == b, cell.display,
                       cell.reason) for band, cell in zip(domain["age_band"], series.cells, strict=True)]
        return out + [_figure(f"{where} total", cube, truth, test, series.total.display, series.total.reason)]

    before = figures_of("all", lambda c: True, suppress_series(lists(lambda c: True), PUBLISHED, exact_total=True))
    for year in ("y1", "y2"):
        before += figures_of(year, lambda c, y=year: c[0] == y,
                             suppress_series(lists(lambda c, y=year: c[0] == y), PUBLISHED, exact_total=True))
    assert ("y2 c", 1) in {(where, true) for where, true, _lo, _hi in attack(before).pinned}

    now = []
    for year in ("y1", "y2"):
        published = publish_lists({"age_band": lists(lambda c, y=year: c[0] == y)}, PUBLISHED)
        now += [_figure(f"{year} {band}", cube, truth, lambda c, y=year, b=band: c == (y, b), cell.display,
                        cell.reason) for band, cell in zip(domain["age_band"], published.lists["age_band"],
                                                           strict=True)]
        now.append(_figure(f"{year} total", cube, truth, lambda c, y=year: c[0] == y, published.total.display,
                           published.total.reason))
    assert not attack(now).pinned
