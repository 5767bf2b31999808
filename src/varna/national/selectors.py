"""The national view: suppressed figures across the municipalities that share them.

Only municipalities with `national_opt_in` take part. Nothing here returns an observation, a case or
a line of free text: every count leaves as a `Cell` of the published catalogue (varna.disclosure), and
plan coverage is dates and version numbers only.

Figures are for **one whole term**, never a range (ADR 0016): the county, municipality, milieu and
category tables of a term are protected together by ``catalogue.publish_term``, so that no combination of
them pins a hidden count; the trend has one row per term, each that term's own margin, and no total over
several terms. Training is one table per term (people reached per municipality by gender).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy

from varna.core.models import Municipality
from varna.core.terms import Term, term_label
from varna.core.vocabulary import GENDER_COUNT_FIELDS
from varna.disclosure.catalogue import PublishedTerm, publish_term
from varna.disclosure.suppression import PUBLISHED, Cell, SuppressedTable, suppress_table, withheld
from varna.knowledge import selectors as knowledge
from varna.knowledge.vocabulary import national_vocabulary
from varna.national.geometry import county_names
from varna.situation.choices import COUNT_FIELDS, Gender

OWN_ENTRIES = ""  # a local entry that names no template entry; no template key is empty
_OWN_LABEL = gettext_lazy("The municipalities' own entries")
DIMENSIONS = ("county", "municipality", "term", "milieu", "category")


def participating() -> list[Municipality]:
    return list(Municipality.objects.filter(national_opt_in=True).order_by("code"))


def participating_keys() -> tuple[tuple[int, str, str], ...]:
    """(id, code, name) of each participating municipality: what the national view's snapshot is keyed by,
    read on every request (without building 290 model instances)."""
    return tuple(Municipality.objects.filter(national_opt_in=True).order_by("code").values_list("pk", "code", "name"))


def terms_available(municipalities: list[Municipality] | None = None) -> list[str]:
    """Every term in which a participating municipality has observations or training, oldest first."""
    from varna.situation.models import ObservationRollup
    from varna.training.models import TrainingEvent

    municipalities = participating() if municipalities is None else municipalities
    terms = set(ObservationRollup.objects.filter(municipality__in=municipalities, observations__gt=0).order_by()
                .values_list("term", flat=True).distinct())
    terms |= set(TrainingEvent.objects.filter(municipality__in=municipalities).order_by()
                 .values_list("term", flat=True).distinct())
    return sorted(terms)


@dataclass
class NationalRow:
    label: str
    cells: list[Cell]
    total: Cell


@dataclass
class NationalTable:
    key: str
    columns: list[str]
    rows: list[NationalRow]
    column_totals: list[Cell]
    grand_total: Cell


def _table(key: str, row_labels: list[str], columns: list[str], table: SuppressedTable) -> NationalTable:
    return NationalTable(key=key, columns=columns,
                         rows=[NationalRow(label, table.cells[i], table.row_totals[i])
                               for i, label in enumerate(row_labels)],
                         column_totals=table.col_totals, grand_total=table.grand_total)


def _suppressed(key: str, row_labels: list[str], columns: list[str], matrix: list[list[int]]) -> NationalTable | None:
    if not matrix or not columns:
        return None
    return _table(key, row_labels, columns, suppress_table(matrix, PUBLISHED))


BREAKDOWNS = ("county", "municipality", "milieu", "category")


def _counts(terms: list[str], municipalities: list[Municipality]) -> dict[str, dict[str, dict[Any, list[int]]]]:
    """True counts by gender per term and breakdown, summed in the database (one small GROUP BY each)."""
    from varna.situation.models import ObservationRollup

    by_pk = {m.pk: m for m in municipalities}
    genders = list(Gender.values)
    sums = {f"s_{name}": Sum(name) for name, _g, _a in COUNT_FIELDS}
    rollups = ObservationRollup.objects.filter(municipality__in=municipalities, term__in=terms)
    counts: dict[str, dict[str, dict[Any, list[int]]]] = {
        t: {d: defaultdict(lambda: [0] * len(genders)) for d in BREAKDOWNS} for t in terms}

    def add(row: list[int], record: Mapping[str, Any]) -> None:
        for name, gender, _age in COUNT_FIELDS:
            row[genders.index(gender)] += record[f"s_{name}"] or 0

    for record in rollups.order_by().values("term", "municipality_id").annotate(**sums):
        add(counts[record["term"]]["municipality"][record["municipality_id"]], record)
    # Each municipality keeps its own milieus and categories; they add up under the national template entry
    # each one names, and under "own entries" when it names none (ADR 0018).
    for dimension in ("milieu", "category"):
        national = knowledge.national_keys_of(municipalities, dimension)
        for record in rollups.order_by().values("term", "municipality_id", dimension).annotate(**sums):
            key = national.get((record["municipality_id"], record[dimension])) or OWN_ENTRIES
            add(counts[record["term"]][dimension][key], record)
    for term_counts in counts.values():
        for pk, row in term_counts["municipality"].items():
            county = term_counts["county"][by_pk[pk].county_code]
            for j, value in enumerate(row):
                county[j] += value
    return counts


def _rows(municipalities: list[Municipality]) -> dict[str, list[tuple[Any, str]]]:
    counties = county_names()
    template = national_vocabulary()
    return {
        "county": sorted({(m.county_code, counties.get(m.county_code, m.county_code)) for m in municipalities}),
        "municipality": [(m.pk, m.name) for m in municipalities],
        **{kind: [(e.key, e.label) for e in template.of(kind)] + [(OWN_ENTRIES, str(_OWN_LABEL))]
           for kind in ("milieu", "category")},
    }


def published_terms(terms: list[str], municipalities: list[Municipality] | None = None) -> dict[str, PublishedTerm]:
    """Each term's national tables, protected as one set (``catalogue.publish_term``)."""
    municipalities = participating() if municipalities is None else municipalities
    counts, rows = _counts(terms, municipalities), _rows(municipalities)
    genders = len(Gender.values)
    return {term: publish_term({d: [list(counts[term][d].get(key, [0] * genders)) for key, _l in rows[d]]
                                for d in BREAKDOWNS}, PUBLISHED) for term in terms}


def default_term(available: list[str]) -> str:
    """The term the page opens on: the latest with figures, else the current one."""
    return available[-1] if available else Term.of(timezone.localdate()).key


def situation_tables(term: str, municipalities: list[Municipality] | None = None) -> dict[str, NationalTable]:
    """People involved in observations in one whole ``term``, by gender, per county, municipality, milieu and
    category, and the trend (one row per term with figures, each that term's own margin). The municipality
    table's row totals are also what the map shows."""
    municipalities = participating() if municipalities is None else municipalities
    terms = sorted({*terms_available(municipalities), term})
    published = published_terms(terms, municipalities)
    rows = _rows(municipalities)
    columns = [str(label) for _k, label in Gender.choices]
    tables = {}
    for dimension in ("county", "municipality"):
        tables[dimension] = _table(dimension, [label for _k, label in rows[dimension]], columns,
                                   published[term].tables[dimension])
    # No total over several terms: it could be subtracted from the terms' own totals.
    tables["term"] = NationalTable(
        key="term", columns=columns,
        rows=[NationalRow(term_label(t), list(published[t].margin), published[t].total) for t in terms],
        column_totals=[withheld() for _c in columns], grand_total=withheld())
    for dimension in ("milieu", "category"):
        tables[dimension] = _table(dimension, [label for _k, label in rows[dimension]], columns,
                                   published[term].tables[dimension])
    return tables


@dataclass
class CoverageRow:
    municipality: Municipality
    approved_version: int | None
    approved_on: dt.date | None
    age_days: int | None


    @property
    def county(self) -> str:
        return county_names().get(self.municipality.county_code, self.municipality.county_code)

    @property
    def age_years(self) -> int | None:
        """Whole years since approval."""
        return None if self.age_days is None else int(self.age_days // 365.25)


def plan_coverage(*, today: dt.date | None = None,
                  municipalities: list[Municipality] | None = None) -> list[CoverageRow]:
    """Which participating municipalities have an approved plan, and how long ago the latest was approved."""
    from varna.plans.models import PlanVersion

    today = today or timezone.localdate()
    municipalities = participating() if municipalities is None else municipalities
    latest: dict[int, PlanVersion] = {}
    # The plan's age is the decision's (adopted_on: the decision date), never the day it was entered in Värna.
    for version in (PlanVersion.objects.filter(plan__municipality__in=municipalities, status="approved")
                    .select_related("plan")):
        seen = latest.get(version.plan.municipality_id)
        if seen is None or (version.adopted_on or dt.date.min) > (seen.adopted_on or dt.date.min):
            latest[version.plan.municipality_id] = version
    rows = []
    for municipality in municipalities:
        newest = latest.get(municipality.pk)
        approved_on = newest.adopted_on if newest else None
        rows.append(CoverageRow(municipality, newest.number if newest else None, approved_on,
                                (today - approved_on).days if approved_on else None))
    return rows


def training_table(term: str, municipalities: list[Municipality] | None = None) -> NationalTable | None:
    """People reached by training in one whole ``term`` per participating municipality (a column per gender),
    suppressed as one table: the only published table of these counts, so no other can be subtracted."""
    from varna.training.models import Attendance

    municipalities = participating() if municipalities is None else municipalities
    attendance = Attendance.objects.filter(event__municipality__in=municipalities, event__term=term)
    sums: dict[int, dict[str, Any]] = {
        m["event__municipality_id"]: dict(m)
        for m in attendance.order_by().values("event__municipality_id").annotate(
            **{f"s_{name}": Sum(name) for name, _gender in GENDER_COUNT_FIELDS})}
    matrix = [[(sums.get(m.pk) or {}).get(f"s_{name}") or 0 for name, _gender in GENDER_COUNT_FIELDS]
              for m in municipalities]
    return _suppressed("training", [m.name for m in municipalities],
                       [str(gender.label) for _name, gender in GENDER_COUNT_FIELDS], matrix)
