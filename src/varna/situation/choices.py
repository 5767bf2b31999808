"""The situation picture's count grid: genders × age bands, and the rules every observation obeys.

Categories, milieus and signs are the municipality's vocabulary in the knowledge base; terms are
`varna.core.terms.Term` (ADR 0018)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    FEMALE = "female", _("Girls/women")
    MALE = "male", _("Boys/men")
    OTHER = "other", _("Other or unknown")


class AgeBand(models.TextChoices):
    UNDER_15 = "u15", _("Under 15")
    AGE_15_17 = "15_17", _("15–17")
    AGE_18_24 = "18_24", _("18–24")
    AGE_25_PLUS = "25plus", _("25 or older")
    UNKNOWN = "unknown", _("Age unknown")


def count_field(gender: str, age: str) -> str:
    """The Observation field holding the number of people of one gender in one age band."""
    return f"n_{gender}_{age}"


COUNT_FIELDS: list[tuple[str, str, str]] = [
    (count_field(g, a), g, a) for g in Gender.values for a in AgeBand.values
]

# The rules every observation obeys, however it arrives (form, import, API): a day from 2000 to today (the
# situation picture records what happens now; a year such as 1900 or 2028 is a typing error that would put
# empty terms into every term list), and at most 999 people in one cell of the gender × age grid.
EARLIEST_OBSERVATION_DATE = dt.date(2000, 1, 1)
MAX_PEOPLE_PER_CELL = 999
