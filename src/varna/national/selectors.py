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

from varna.core.models import Municipality
from varna.situation.choices import COUNT_FIELDS, Category, Gender, Milieu, term_label
from varna.situation.suppression import PUBLISHED, Cell, suppress_table

DIMENSIONS = ("county", "municipality", "term", "milieu", "category")


def participating() -> list[Municipality]:
    return list(Municipality.objects.filter(national_opt_in=True).order_by("code"))


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


def situation_tables() -> dict[str, NationalTable]:
    """People involved in observations, by gender, per county, municipality, term, milieu and category."""
    from varna.situation.models import ObservationRollup

    municipalities = participating()
    by_pk = {m.pk: m for m in municipalities}
    genders = list(Gender.choices)
    sums = {f"s_{name}": Sum(name) for name, _g, _a in COUNT_FIELDS}
    records = list(ObservationRollup.objects.filter(municipality__in=municipalities).order_by()
                   .values("municipality_id", "term", "milieu", "category").annotate(**sums))
    counts: dict[str, dict[Any, list[int]]] = {d: defaultdict(lambda: [0] * len(genders)) for d in DIMENSIONS}
    gender_index = {key: j for j, (key, _label) in enumerate(genders)}
    for record in records:
        municipality = by_pk[record["municipality_id"]]
        point = {"county": municipality.county_code, "municipality": municipality.pk, "term": record["term"],
                 "milieu": record["milieu"], "category": record["category"]}
        for name, gender, _age in COUNT_FIELDS:
            value = record[f"s_{name}"] or 0
            if value:
                for dimension in DIMENSIONS:
                    counts[dimension][point[dimension]][gender_index[gender]] += value
    values: dict[str, list[tuple[Any, str]]] = {
        "county": sorted({(m.county_code, m.county_code) for m in municipalities}),
        "municipality": [(m.pk, m.name) for m in municipalities],
        "term": [(t, term_label(t)) for t in sorted(counts["term"])],
        "milieu": [(k, str(v)) for k, v in Milieu.choices],
        "category": [(k, str(v)) for k, v in Category.choices],
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


def plan_coverage(*, today: dt.date | None = None) -> list[CoverageRow]:
    """Which participating municipalities have an approved plan, and how long ago it was approved."""
    from varna.plans.models import PlanVersion

    today = today or timezone.localdate()
    rows = []
    for municipality in participating():
        version = (PlanVersion.objects.filter(plan__municipality=municipality, status="approved")
                   .order_by("-approved_at").first())
        approved_on = timezone.localdate(version.approved_at) if version and version.approved_at else None
        rows.append(CoverageRow(municipality, version.number if version else None, approved_on,
                                (today - approved_on).days if approved_on else None))
    return rows


def training_table() -> NationalTable | None:
    """People reached by training per participating municipality (women, men, other), suppressed."""
    from varna.training.models import Attendance

    municipalities = participating()
    sums = {m["event__municipality_id"]: m for m in Attendance.objects.filter(
        event__municipality__in=municipalities).order_by().values("event__municipality_id").annotate(
        w=Sum("women"), m=Sum("men"), o=Sum("other"))}
    matrix = [[(sums.get(m.pk) or {}).get(k) or 0 for k in ("w", "m", "o")] for m in municipalities]
    from django.utils.translation import gettext as _

    return _suppressed("training", [m.name for m in municipalities], [_("Women"), _("Men"), _("Other")], matrix)
