"""Fixed vocabularies of the situation picture: categories, milieus, signs, genders, age bands.

Terms are `varna.core.terms.Term`."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    PROPAGANDA = "propaganda", _("Propaganda, stickers, graffiti or symbols")
    RECRUITMENT = "recruitment", _("Recruitment attempts")
    THREATS = "threats", _("Threats or harassment")
    VIOLENCE = "violence", _("Violence or vandalism")
    ONLINE = "online", _("Online activity")
    RELATIVES = "relatives", _("Concern raised by relatives")
    GATHERINGS = "gatherings", _("Gatherings or demonstrations")
    TRAVEL = "travel", _("Travel to conflict zones")
    OTHER = "other", _("Other")


class Milieu(models.TextChoices):
    # The keys are those of the knowledge base so that the two modules can link to each other.
    AUTONOMOUS = "autonomous", _("Autonomous")
    WHITE_POWER = "white-power", _("White power")
    VIOLENT_ISLAMIST = "violent-islamist", _("Violent Islamist")
    UNCLEAR = "unclear", _("Unclear")


# Warning signs in three tiers; the ids are shared with the knowledge base.
SIGNS: dict[str, object] = {
    "early-insecurity": _("Insecurity in the area"),
    "early-low-trust": _("Low trust in society"),
    "early-graffiti-stickers": _("Graffiti or stickers"),
    "early-groups-discriminated": _("Groups being discriminated against"),
    "early-outside-community": _("People standing outside the community"),
    "heightened-symbols": _("Symbols in the area"),
    "heightened-hatred": _("Expressions of hatred"),
    "heightened-gangs-gatherings": _("Gangs or gatherings"),
    "heightened-bullying-harassment": _("Bullying or harassment"),
    "heightened-vandalism": _("Vandalism"),
    "clear-extremist-media": _("Extremist media or propaganda"),
    "clear-violent-incidents": _("Violent incidents"),
    "clear-symbols-worn": _("Symbols worn"),
    "clear-related-crime": _("Crime related to extremism"),
}


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
