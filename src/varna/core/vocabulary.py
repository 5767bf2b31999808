"""Genders and age bands: the one fixed national list every module records people in (ADR 0018).

Cases describe one person in them, the situation picture counts people in their grid (a column
``n_<gender>_<age band>`` per pair), and the national view adds municipalities' grids up; that only works if
every municipality and every module uses the same keys and the same bands, so these are code in core, not
per-municipality data like categories, milieus and signs.

A key keeps its meaning for good. A band that can no longer be chosen is *retired*: rows that hold it keep
it and still show its label, nothing new may choose it, and no count column exists for it.
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    FEMALE = "female", _("Girls/women")
    MALE = "male", _("Boys/men")
    # One entry for both: an observer often can't tell, and a separate column of ones and twos would only
    # be suppressed and drag the other columns into secondary suppression.
    OTHER = "other", _("Other or unknown")


class AgeBand(models.TextChoices):
    UNDER_15 = "under_15", _("Under 15")
    AGE_15_17 = "15_17", _("15–17")
    AGE_18_24 = "18_24", _("18–24")
    AGE_25_PLUS = "25_plus", _("25 or older")
    UNKNOWN = "unknown", _("Age unknown")
    # Retired: cases opened before the bands were unified (December 2026) with an age of 21–29, which lies
    # across 18–24 and 25+ and so can't be converted without changing what the case says.
    AGE_21_29 = "21_29", _("21–29 (recorded before December 2026)")


RETIRED_AGE_BANDS = frozenset({AgeBand.AGE_21_29})
# The bands anything new is recorded in, in order; also the situation picture's count columns.
AGE_BANDS: tuple[AgeBand, ...] = tuple(band for band in AgeBand if band not in RETIRED_AGE_BANDS)
GENDERS: tuple[Gender, ...] = tuple(Gender)

MINOR_AGE_BANDS = frozenset({AgeBand.UNDER_15, AgeBand.AGE_15_17})
ADULT_AGE_BANDS = frozenset({AgeBand.AGE_18_24, AgeBand.AGE_25_PLUS, AgeBand.AGE_21_29})

# Keys the situation picture used before December 2026, which its import files' and API clients' column
# names may still carry: an old name is refused with the new one named (``former_count_name``).
FORMER_AGE_BAND_KEYS = {"u15": AgeBand.UNDER_15, "25plus": AgeBand.AGE_25_PLUS}


def age_band_choices(keep: str = "") -> list[tuple[str, str | Promise]]:
    """The bands to choose from: the current ones, and ``keep`` if it is a retired band a record holds."""
    return [(band.value, band.label) for band in AgeBand if band not in RETIRED_AGE_BANDS or band == keep]


def count_field(gender: str, age: str) -> str:
    """The name of the count of people of one gender in one age band (a column, a CSV header, an API key)."""
    return f"n_{gender}_{age}"


def gender_count_field(gender: str) -> str:
    """The name of the count of people of one gender over all ages (training attendance): ``n_female``."""
    return f"n_{gender}"


# A count per gender, all ages, in the list's order: (field name, gender). Training attendance is counted in
# these, so a report or the national view can put it beside anything else counted by the same genders.
GENDER_COUNT_FIELDS: tuple[tuple[str, Gender], ...] = tuple((gender_count_field(g.value), g) for g in GENDERS)


def former_count_name(name: str) -> str | None:
    """The current name of a count written with a former age band key (``n_female_u15``), else None."""
    for gender in GENDERS:
        prefix = f"n_{gender.value}_"
        if name.startswith(prefix) and name[len(prefix):] in FORMER_AGE_BAND_KEYS:
            return count_field(gender.value, FORMER_AGE_BAND_KEYS[name[len(prefix):]].value)
    return None
