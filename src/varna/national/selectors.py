"""The national view: suppressed figures across the municipalities that share them.

Only municipalities with `national_opt_in` take part. Nothing here returns an observation, a case or
a line of free text: every count leaves as a `Cell` of a table suppressed with the PUBLISHED policy,
and plan coverage is dates and version numbers only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy

from varna.core.models import Municipality
from varna.core.terms import Term, term_label
from varna.disclosure.suppression import PUBLISHED, Cell, suppress_table
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


@dataclass(frozen=True)
class TermRange:
    """Terms as the situation picture keys them ("2025-1" spring, "2025-2" autumn); empty is open."""

    first: str = ""
    last: str = ""

    @property
    def first_day(self) -> dt.date | None:
        return Term.parse(self.first).start if self.first else None

    @property
    def last_day(self) -> dt.date | None:
        return Term.parse(self.last).end if self.last else None


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


def _suppressed(key: str, row_labels: list[str], columns: list[str], matrix: list[list[int]]) -> NationalTable | None:
    if not matrix or not columns:
        return None
    table = suppress_table(matrix, PUBLISHED)
    return NationalTable(key=key, columns=columns,
                         rows=[NationalRow(label, table.cells[i], table.row_totals[i])
                               for i, label in enumerate(row_labels)],
                         column_totals=table.col_totals, grand_total=table.grand_total)


def situation_tables(terms: TermRange = TermRange(),
                     municipalities: list[Municipality] | None = None) -> dict[str, NationalTable]:
    """People involved in observations in `terms`, by gender, per county, municipality, term, milieu and
    category. The municipality table's row totals are also what the map shows."""
    from varna.situation.models import ObservationRollup

    municipalities = participating() if municipalities is None else municipalities
    template = national_vocabulary()
    by_pk = {m.pk: m for m in municipalities}
    genders = list(Gender.choices)
    sums = {f"s_{name}": Sum(name) for name, _g, _a in COUNT_FIELDS}
    rollups = ObservationRollup.objects.filter(municipality__in=municipalities)
    if terms.first:
        rollups = rollups.filter(term__gte=terms.first)
    if terms.last:
        rollups = rollups.filter(term__lte=terms.last)
    gender_index = {key: j for j, (key, _label) in enumerate(genders)}

    def by_gender(record: dict[str, Any]) -> list[int]:
        row = [0] * len(genders)
        for name, gender, _age in COUNT_FIELDS:
            row[gender_index[gender]] += record[f"s_{name}"] or 0
        return row

    # Summed in the database, one small GROUP BY per dimension (at most 290 rows each), instead of every
    # municipality × term × milieu × category group in Python (tens of thousands at national scale).
    counts: dict[str, dict[Any, list[int]]] = {d: defaultdict(lambda: [0] * len(genders)) for d in DIMENSIONS}
    group_by = {"municipality": "municipality_id", "term": "term"}
    for dimension, column in group_by.items():
        for record in rollups.order_by().values(column).annotate(**sums):
            if any(row := by_gender(record)):  # as before: a term with nothing in it is not a row
                counts[dimension][record[column]] = row
    # Each municipality keeps its own milieus and categories; they add up under the national template entry
    # each one names, and under "own entries" when it names none (ADR 0018).
    for dimension in ("milieu", "category"):
        national = knowledge.national_keys_of(municipalities, dimension)
        for record in rollups.order_by().values("municipality_id", dimension).annotate(**sums):
            key = national.get((record["municipality_id"], record[dimension])) or OWN_ENTRIES
            for j, value in enumerate(by_gender(record)):
                counts[dimension][key][j] += value
    for pk, row in counts["municipality"].items():
        county = counts["county"][by_pk[pk].county_code]
        for j, value in enumerate(row):
            county[j] += value
    counties = county_names()
    values: dict[str, list[tuple[Any, str]]] = {
        "county": sorted({(m.county_code, counties.get(m.county_code, m.county_code)) for m in municipalities}),
        "municipality": [(m.pk, m.name) for m in municipalities],
        "term": [(t, term_label(t)) for t in sorted(counts["term"])],
        **{kind: [(e.key, e.label) for e in template.of(kind)] + [(OWN_ENTRIES, str(_OWN_LABEL))]
           for kind in ("milieu", "category")},
    }
    tables = {}
    for dimension in DIMENSIONS:
        rows = values[dimension]
        matrix = [list(counts[dimension].get(key, [0] * len(genders))) for key, _label in rows]
        table = _suppressed(dimension, [label for _k, label in rows], [str(label) for _k, label in genders], matrix)
        if table is not None:
            tables[dimension] = table
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
        version = latest.get(municipality.pk)
        approved_on = version.adopted_on if version else None
        rows.append(CoverageRow(municipality, version.number if version else None, approved_on,
                                (today - approved_on).days if approved_on else None))
    return rows


def training_table(terms: TermRange = TermRange(),
                   municipalities: list[Municipality] | None = None) -> NationalTable | None:
    """People reached by training in `terms` per participating municipality (women, men, other), suppressed."""
    from varna.training.models import Attendance

    municipalities = participating() if municipalities is None else municipalities
    attendance = Attendance.objects.filter(event__municipality__in=municipalities)
    if terms.first_day:
        attendance = attendance.filter(event__date__gte=terms.first_day)
    if terms.last_day:
        attendance = attendance.filter(event__date__lte=terms.last_day)
    sums = {m["event__municipality_id"]: m for m in attendance.order_by().values("event__municipality_id").annotate(
        w=Sum("women"), m=Sum("men"), o=Sum("other"))}
    matrix = [[(sums.get(m.pk) or {}).get(k) or 0 for k in ("w", "m", "o")] for m in municipalities]
    from django.utils.translation import gettext as _

    return _suppressed("training", [m.name for m in municipalities], [_("Women"), _("Men"), _("Other")], matrix)
