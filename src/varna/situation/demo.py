"""Sollentuna's districts and synthetic observations for six terms, generated with a fixed seed.

Synthetic observations are marked as such and shown so in the UI; they never mix with real ones without
the mark. Loading twice creates nothing twice.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from varna.core.actors import SYSTEM
from varna.core.models import Municipality, Organisation
from varna.core.terms import Term
from varna.knowledge import selectors as knowledge
from varna.situation import services
from varna.situation.choices import COUNT_FIELDS
from varna.situation.models import District, Observation

DEFAULT_SEED = 2016
TERMS = 6

SOLLENTUNA_DISTRICTS = [
    ("sollentuna-centrum", "Sollentuna centrum"), ("tureberg", "Tureberg"), ("edsberg", "Edsberg"),
    ("haggvik", "Häggvik"), ("rotebro", "Rotebro"), ("helenelund", "Helenelund"), ("vaxmora", "Vaxmora"),
    ("norrviken", "Norrviken"), ("viby", "Viby"), ("sjoberg", "Sjöberg"), ("rosjo", "Rösjö"),
]

# Written for the demo; none of them holds personal data (the guard checks them on the way in anyway).
_DESCRIPTIONS = [
    "Klistermärken med vit makt-symbolik vid busshållplatsen, borttagna samma dag.",
    "Fritidsledare hörde en grupp unga prata positivt om våldsbejakande propaganda.",
    "Elever delade extremistiska filmklipp i en klasschatt; skolan har pratat med vårdnadshavarna.",
    "Graffiti med hakkors på en gångtunnel, anmält till kommunens klotterjour.",
    "Förälder oroad över att tonåring ändrat umgänge och uttrycker hat mot en folkgrupp.",
    "Flygblad från en autonom grupp uppsatta vid pendeltågsstationen.",
    "Hot mot en lärare efter en lektion om demokrati, polisanmält av rektor.",
    "Samling av unga män vid torget sent på kvällen, symboler på kläderna.",
    "Socialtjänsten fick en orosanmälan som nämnde resor till en konfliktzon.",
    "",
]

# How common each template entry is in the demo; the municipality's own entries get weight 1.
_MILIEU_WEIGHTS = {"white-power": 5, "violent-islamist": 3, "autonomous": 2, "unclear": 3}
_CATEGORY_WEIGHTS = {"propaganda": 8, "online": 5, "threats": 4, "violence": 2, "recruitment": 2, "relatives": 3,
                     "gatherings": 2, "travel": 1, "other": 1}


def _weights(known: dict[str, int], keys: list[str]) -> dict[str, int]:
    return {**{key: n for key, n in known.items() if key in keys}, **{key: 1 for key in keys if key not in known}}


def load_districts(municipality: Municipality) -> list[District]:
    return [services.district_upsert(municipality=municipality, key=key, name=name, order=index)
            for index, (key, name) in enumerate(SOLLENTUNA_DISTRICTS)]


def _term_dates(term: str, rng: random.Random) -> dt.date:
    day = Term.parse(term).start + dt.timedelta(days=rng.randrange(0, 181))
    return min(day, timezone.localdate())


def generate(municipality: Municipality, *, seed: int = DEFAULT_SEED, terms: int = TERMS,
             last_term: str | None = None) -> list[dict[str, Any]]:
    """The values of synthetic observations: the same seed and terms always give the same rows."""
    rng = random.Random(seed)  # synthetic demo data, reproducible on purpose # nosec B311
    districts = list(District.objects.filter(municipality=municipality).order_by("order", "key"))
    vocabulary = knowledge.vocabulary_of(municipality)
    categories = _weights(_CATEGORY_WEIGHTS, [e.key for e in vocabulary.active("category")])
    milieus = _weights(_MILIEU_WEIGHTS, [e.key for e in vocabulary.active("milieu")])
    signs = [e.key for e in vocabulary.active("sign")]
    organisations = list(Organisation.objects.filter(municipality=municipality).order_by("key"))
    last = last_term or Term.of(timezone.localdate()).key
    keys = [last]
    while len(keys) < terms:
        keys.insert(0, Term.parse(keys[0]).previous().key)
    # Busier districts, so the map and the tables show both big and suppressed counts.
    district_weights = [rng.choice([1, 2, 3, 6]) for _d in districts]
    rows = []
    for index, term in enumerate(keys):
        for _n in range(30 + 6 * index + rng.randrange(0, 10)):
            values: dict[str, Any] = {name: 0 for name, _g, _a in COUNT_FIELDS}
            for _person in range(rng.choice([0, 1, 1, 2, 2, 3, 4, 6])):
                name = rng.choices(COUNT_FIELDS, weights=[3, 5, 4, 2, 1, 6, 9, 6, 3, 1, 1, 1, 1, 1, 2])[0][0]
                values[name] += 1
            values.update(
                date=_term_dates(term, rng),
                district=rng.choices(districts, weights=district_weights)[0],
                category=rng.choices(list(categories), weights=list(categories.values()))[0],
                milieu=rng.choices(list(milieus), weights=list(milieus.values()))[0],
                signs=sorted(rng.sample(signs, min(len(signs), rng.randrange(0, 4)))),
                source_organisation=rng.choice(organisations) if organisations and rng.random() < 0.7 else None,
                description=rng.choice(_DESCRIPTIONS),
            )
            rows.append(values)
    return rows


DEMO_SURVEY_TITLE = "Lägesbildsenkät (syntetiska demosvar)"


def load_survey(municipality: Municipality, *, seed: int = DEFAULT_SEED, actor: Any = SYSTEM) -> int:
    """One open survey with synthetic answers from every audience (the title says they are synthetic)."""
    from varna.situation.models import Survey
    from varna.situation.survey_bank import BANK, BY_KEY, Audience, Kind

    if Survey.objects.filter(municipality=municipality, title=DEMO_SURVEY_TITLE).exists():
        return 0
    today = timezone.localdate()
    survey = services.survey_create(actor=actor, municipality=municipality, title=DEMO_SURVEY_TITLE,
                                    questions=[q.key for q in BANK], audiences=list(Audience.values),
                                    opens_on=today - dt.timedelta(days=30), closes_on=today + dt.timedelta(days=30))
    rng = random.Random(seed)  # synthetic demo data, reproducible on purpose # nosec B311
    districts = [d.key for d in District.objects.filter(municipality=municipality)]
    count = 0
    for link in survey.links.all():
        # Civil society answers least, so the demo shows "too few answers" too.
        for _n in range(4 if link.audience == Audience.CIVIL_SOCIETY else rng.randrange(12, 40)):
            answers = {}
            for key in survey.questions:
                question = BY_KEY[key]
                if question.kind == Kind.TEXT or rng.random() < 0.1:
                    continue
                options = districts if question.kind == Kind.DISTRICT else [k for k, _l in question.options]
                answers[key] = rng.choice(options)
            count += services.survey_answer(link=link, answers=answers, today=today)
    return count


def load(municipality: Municipality, *, seed: int = DEFAULT_SEED, actor: Any = SYSTEM) -> str:
    """Districts, synthetic observations and a survey with synthetic answers, unless already there."""
    load_districts(municipality)
    answers = load_survey(municipality, seed=seed, actor=actor)
    if Observation.objects.filter(municipality=municipality, synthetic=True).exists():
        return "situation picture already loaded"
    count = services.observations_import(actor=actor, municipality=municipality,
                                         rows=generate(municipality, seed=seed), source="demo", synthetic=True)
    return f"situation picture loaded: {count} synthetic observations in {TERMS} terms, {answers} survey answers"
