"""The differencing attacker against the national view, alone and together with what the municipalities
publish themselves.

Two municipalities that share their figures are seeded with small counts. The attacker takes every table
the national view offers for every term (county, municipality, milieu and category by gender, and the
trend), and the tables each municipality's steering group sees for every term that share those breakdowns
(milieu, category, the trend), and bounds every hidden figure with the linear program of
``tests/disclosure/attacker.py`` over the joint cube of both municipalities (municipality × term × milieu ×
category × gender; district and age band summed out). Nothing hidden may be pinned. The national view
offers one whole term at a time: the old free range is what let overlapping tables be subtracted.
"""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

import pytest

from tests.disclosure.attacker import Figure, attack
from tests.disclosure.test_differencing import CATEGORIES, DISTRICTS, MILIEUS, _report_verdict, _seed
from varna.core.models import Municipality
from varna.knowledge import selectors as knowledge
from varna.national import selectors as national
from varna.situation import selectors, services
from varna.situation.choices import COUNT_FIELDS, Gender
from varna.situation.models import Observation


@pytest.fixture
def two_municipalities(db: None) -> list[Municipality]:
    municipalities = [Municipality.objects.create(name=name, code=code, slug=slug, national_opt_in=True)
                      for name, code, slug in [("Täby", "0160", "taby"), ("Boden", "2582", "boden")]]
    for municipality in municipalities:
        for i, (key, name) in enumerate(DISTRICTS):
            services.district_upsert(municipality=municipality, key=key, name=name, order=i)
    return municipalities


class JointCube:
    """Every combination of municipality, term, milieu, category and gender the national view could count, and
    the truth. District and age band are summed out: the national view has neither, and the municipalities'
    tables taken with it are the ones that share its breakdowns (milieu, category and the trend)."""

    def __init__(self, municipalities: list[Municipality], terms: list[str]) -> None:
        self.county = {m.pk: m.county_code for m in municipalities}
        # A municipality's own milieus and categories count nationally under the template entry they name.
        self.national = {kind: knowledge.national_keys_of(municipalities, kind) for kind in ("milieu", "category")}
        observations = Observation.objects.filter(municipality__in=municipalities)
        milieus = sorted({*MILIEUS, *observations.values_list("milieu", flat=True)})
        categories = sorted({*CATEGORIES, *observations.values_list("category", flat=True)})
        self.cells = list(itertools.product([m.pk for m in municipalities], terms, milieus, categories, Gender.values))
        self.truth: Counter = Counter()
        for o in Observation.objects.filter(municipality__in=municipalities):
            for name, gender, _age in COUNT_FIELDS:
                self.truth[(o.municipality_id, o.term, o.milieu, o.category, gender)] += getattr(o, name)

    def _national(self, kind: str, cell: tuple) -> str:
        return self.national[kind].get((cell[0], cell[2 if kind == "milieu" else 3])) or national.OWN_ENTRIES

    def figure(self, where: str, cell: Any, *, municipalities: set[int] | None = None, county: str | None = None,
               term: Any = None, milieu: str | None = None, category: str | None = None,
               gender: str | None = None, national_milieu: str | None = None,
               national_category: str | None = None) -> Figure:
        terms = term if isinstance(term, set) else {term}
        cells = frozenset(c for c in self.cells
                          if (municipalities is None or c[0] in municipalities)
                          and (county is None or self.county[c[0]] == county) and c[1] in terms
                          and milieu in (None, c[2]) and category in (None, c[3]) and gender in (None, c[4])
                          and national_milieu in (None, self._national("milieu", c))
                          and national_category in (None, self._national("category", c)))
        return Figure(where, cells, cell.display, sum(self.truth[c] for c in cells), cell.reason)


def _municipality_figures(joint: JointCube, municipality: Municipality, term: str) -> list[Figure]:
    """The municipality's own published tables of ``term`` that the national view's breakdowns share."""
    figures: list[Figure] = []
    mine = {municipality.pk}
    for table in selectors.published_tables(municipality=municipality, term=term):
        key = table.key.split("-")[0]
        where = f"{municipality.slug} {term} {table.key}"
        if key == "term":
            for row in table.rows:
                for (gender, _label), cell in zip(table.columns, row.cells, strict=True):
                    figures.append(joint.figure(f"{where} {row.key} {gender}", cell, municipalities=mine,
                                                term=row.key, gender=gender))
                figures.append(joint.figure(f"{where} {row.key}", row.total, municipalities=mine, term=row.key))
            continue
        if key not in {"milieu", "category"}:
            continue
        for row in table.rows:
            for (gender, _label), cell in zip(table.columns, row.cells, strict=True):
                figures.append(joint.figure(f"{where} {row.key} {gender}", cell, municipalities=mine, term=term,
                                            gender=gender, **{key: row.key}))
            figures.append(joint.figure(f"{where} {row.key}", row.total, municipalities=mine, term=term,
                                        **{key: row.key}))
        for (gender, _label), cell in zip(table.columns, table.column_totals, strict=True):
            figures.append(joint.figure(f"{where} total {gender}", cell, municipalities=mine, term=term,
                                        gender=gender))
        figures.append(joint.figure(f"{where} total", table.grand_total, municipalities=mine, term=term))
    return figures


def _national_figures(joint: JointCube, term: str, terms: list[str]) -> list[Figure]:
    municipalities = national.participating()
    tables = national.situation_tables(term)
    genders = list(Gender.values)
    rows = {
        "municipality": [{"municipalities": {m.pk}} for m in municipalities],
        "county": [{"county": code} for code, _name in sorted({(m.county_code, "") for m in municipalities})],
        "milieu": [{"national_milieu": key} for key, _label in national._rows(municipalities)["milieu"]],
        "category": [{"national_category": key} for key, _label in national._rows(municipalities)["category"]],
    }
    figures: list[Figure] = []
    for key, points in rows.items():
        table = tables[key]
        where = f"national {term} {key}"
        for row, point in zip(table.rows, points, strict=True):
            for gender, cell in zip(genders, row.cells, strict=True):
                figures.append(joint.figure(f"{where} {row.label} {gender}", cell, term=term, gender=gender, **point))
            figures.append(joint.figure(f"{where} {row.label}", row.total, term=term, **point))
        for gender, cell in zip(genders, table.column_totals, strict=True):
            figures.append(joint.figure(f"{where} total {gender}", cell, term=term, gender=gender))
        figures.append(joint.figure(f"{where} total", table.grand_total, term=term))
    trend = tables["term"]
    for row, one in zip(trend.rows, terms, strict=True):
        for gender, cell in zip(genders, row.cells, strict=True):
            figures.append(joint.figure(f"national trend {one} {gender}", cell, term=one, gender=gender))
        figures.append(joint.figure(f"national trend {one}", row.total, term=one))
    for gender, cell in zip(genders, trend.column_totals, strict=True):
        figures.append(joint.figure(f"national trend total {gender}", cell, term=set(terms), gender=gender))
    figures.append(joint.figure("national trend total", trend.grand_total, term=set(terms)))
    return figures


@pytest.mark.parametrize("seed", [7, 15])
def test_the_national_view_with_the_municipalities_own_figures_pins_no_hidden_count(
        two_municipalities: list[Municipality], seed: int) -> None:
    for offset, municipality in enumerate(two_municipalities):
        _seed(municipality, {d.key: d for d in selectors.districts_of(municipality)}, seed + offset)
    terms = national.terms_available()
    assert len(terms) == 3
    joint = JointCube(two_municipalities, terms)
    figures: list[Figure] = []
    for term in terms:
        figures += _national_figures(joint, term, terms)
        for municipality in two_municipalities:
            figures += _municipality_figures(joint, municipality, term)
    hidden = [f for f in figures if f.display in {"–", ".."} and f.true]
    assert any(1 <= f.true <= 7 for f in hidden), "the seed should give small counts to hide"
    assert not [f for f in figures if f.display not in {"–", ".."} and 1 <= f.true <= 7], "a small count was shown"
    verdict = attack(figures)
    _report_verdict(verdict, f"national view and both municipalities, seed {seed}")
    assert not verdict.pinned, verdict.pinned
    assert verdict.narrowest >= 1


def test_the_national_view_offers_no_range_and_no_total_over_terms(two_municipalities: list[Municipality]) -> None:
    from varna.national.forms import MapForm

    assert "term_from" not in MapForm(terms=[], default_term="2025-1").fields
    _seed(two_municipalities[0], {d.key: d for d in selectors.districts_of(two_municipalities[0])}, 3)
    trend = national.situation_tables(national.default_term(national.terms_available()))["term"]
    assert trend.grand_total.display == ".."
    assert {c.display for c in trend.column_totals} == {".."}
