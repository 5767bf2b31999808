"""The situation picture's count grid: genders × age bands, and the rules every observation obeys.

Genders and age bands are `varna.core.vocabulary`'s; categories, milieus and signs are the municipality's
vocabulary in the knowledge base; terms are `varna.core.terms.Term` (ADR 0018)."""

from __future__ import annotations

import datetime as dt

from varna.core.vocabulary import AGE_BANDS, GENDERS, AgeBand, Gender, count_field

__all__ = ["AGE_BANDS", "COUNT_FIELDS", "EARLIEST_OBSERVATION_DATE", "GENDERS", "MAX_PEOPLE_PER_CELL", "AgeBand",
           "Gender", "count_field"]

# Every (field, gender, age band) of the grid: current bands only, a retired band has no column.
COUNT_FIELDS: list[tuple[str, str, str]] = [
    (count_field(g.value, a.value), g.value, a.value) for g in GENDERS for a in AGE_BANDS
]

# The rules every observation obeys, however it arrives (form, import, API): a day from 2000 to today (the
# situation picture records what happens now; a year such as 1900 or 2028 is a typing error that would put
# empty terms into every term list), and at most 999 people in one cell of the gender × age grid.
EARLIEST_OBSERVATION_DATE = dt.date(2000, 1, 1)
MAX_PEOPLE_PER_CELL = 999
