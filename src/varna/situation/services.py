"""Writes for the situation picture. Every free text passes the personal-data guard before anything is saved."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from varna.core import audit
from varna.core.models import Municipality
from varna.situation import pii
from varna.situation.choices import COUNT_FIELDS, term_of
from varna.situation.models import DESCRIPTION_MAX, District, Observation

# Fields a caller may set; the term is derived from the date and the tenant from the caller.
EDITABLE = ["date", "district", "category", "milieu", "signs", "source_organisation", "description"] + [
    name for name, _g, _a in COUNT_FIELDS]


class SituationError(Exception):
    pass


class PersonalDataError(SituationError):
    """Free text held personal data. ``messages`` say what kind was found and how to rephrase; the data
    itself is never part of the exception, so it can't reach a log."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class RowProblem:
    row: int
    message: str


class ImportRejected(SituationError):
    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(_("%(n)s rows have problems.") % {"n": len(problems)})
        self.problems = problems


def pii_messages(text: str) -> list[str]:
    """Translated messages for the personal data found in ``text``: empty when the text is clean."""
    messages = {
        "pii.personal_identity_number": _(
            "A personal identity number was found. Remove it: the situation picture records what happened, "
            "never who it happened to."),
        "pii.coordination_number": _(
            "A coordination number was found. Remove it: the situation picture records what happened, "
            "never who it happened to."),
        "pii.phone_number": _("A phone number was found. Remove it; name the organisation to contact instead."),
        "pii.email": _("An e-mail address was found. Remove it; name the organisation to contact instead."),
        "pii.street_address": _(
            "A street address was found. Give the district only, or a kind of place (a school yard, a square)."),
        "pii.person_name": _(
            "A name was found. Describe the person's role instead (a pupil in year 8, a parent, a group of "
            "young men)."),
    }
    return [str(messages[message_id]) for message_id in pii.explain(pii.find_personal_data(text))]


def guard(text: str) -> None:
    """Raise :class:`PersonalDataError` if ``text`` holds personal data."""
    messages = pii_messages(text)
    if messages:
        raise PersonalDataError(messages)


def _check_tenancy(municipality: Municipality, values: dict[str, Any]) -> None:
    district = values.get("district")
    if district is not None and district.municipality_id != municipality.pk:
        raise SituationError(_("The district must belong to the same municipality."))
    organisation = values.get("source_organisation")
    if organisation is not None and organisation.municipality_id != municipality.pk:
        raise SituationError(_("The organisation must belong to the same municipality."))


def _build(municipality: Municipality, values: dict[str, Any], **extra: Any) -> Observation:
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    description = values.get("description", "")
    if len(description) > DESCRIPTION_MAX:
        raise SituationError(_("The description is longer than %(n)s characters.") % {"n": DESCRIPTION_MAX})
    guard(description)
    _check_tenancy(municipality, values)
    return Observation(municipality=municipality, **values, **extra)


# --- the rollup every aggregate reads ---------------------------------------------------------------

_COUNT_NAMES = [name for name, _g, _a in COUNT_FIELDS]


def _rollup_key(observation: Observation) -> tuple[Any, ...]:
    return (observation.municipality_id, observation.term, observation.district_id, observation.milieu,
            observation.category)


def _rollup_apply(deltas: dict[tuple[Any, ...], list[int]]) -> None:
    """Add ``[observations, *counts]`` to the rollup row of each key, creating missing rows.

    One locking read of the rows concerned, then a bulk update and a bulk insert: an import of thousands
    of observations touches each rollup row once. Two imports creating the same new row at the same moment
    make one of them fail on the unique constraint and roll back whole, as an import should.
    """
    from varna.situation.models import ObservationRollup

    if not deltas:
        return
    fields = ["observations", *_COUNT_NAMES]
    by_municipality: dict[Any, set[str]] = {}
    for municipality_id, term, *_rest in deltas:
        by_municipality.setdefault(municipality_id, set()).add(term)
    existing = {}
    for municipality_id, terms in by_municipality.items():
        for row in ObservationRollup.objects.select_for_update().filter(municipality_id=municipality_id,
                                                                         term__in=terms):
            existing[(row.municipality_id, row.term, row.district_id, row.milieu, row.category)] = row
    changed, new = [], []
    for key, delta in deltas.items():
        row = existing.get(key)
        if row is None:
            municipality_id, term, district_id, milieu, category = key
            row = ObservationRollup(municipality_id=municipality_id, term=term, district_id=district_id,
                                    milieu=milieu, category=category)
            new.append(row)
        else:
            changed.append(row)
        for name, value in zip(fields, delta, strict=True):
            setattr(row, name, getattr(row, name) + value)
    ObservationRollup.objects.bulk_update(changed, fields, batch_size=500)
    ObservationRollup.objects.bulk_create(new, batch_size=500)


def _rollup_delta(observations: Iterable[Observation], sign: int) -> dict[tuple[Any, ...], list[int]]:
    deltas: dict[tuple[Any, ...], list[int]] = {}
    for observation in observations:
        delta = deltas.setdefault(_rollup_key(observation), [0] * (1 + len(_COUNT_NAMES)))
        delta[0] += sign
        for index, name in enumerate(_COUNT_NAMES, start=1):
            delta[index] += sign * getattr(observation, name)
    return deltas


@transaction.atomic
def rollup_rebuild(*, municipality: Municipality) -> int:
    """Recompute the rollup of one municipality from its observations (after a restore, say)."""
    from django.db.models import Count, Sum

    from varna.situation.models import ObservationRollup

    ObservationRollup.objects.filter(municipality=municipality).delete()
    groups = (Observation.objects.filter(municipality=municipality).order_by()
              .values("term", "district_id", "milieu", "category")
              .annotate(n=Count("id"), **{f"s_{name}": Sum(name) for name in _COUNT_NAMES}))
    rows = [ObservationRollup(municipality=municipality, term=g["term"], district_id=g["district_id"],
                              milieu=g["milieu"], category=g["category"], observations=g["n"],
                              **{name: g[f"s_{name}"] for name in _COUNT_NAMES}) for g in groups]
    ObservationRollup.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


@transaction.atomic
def observation_create(*, actor: Any, municipality: Municipality, values: dict[str, Any],
                       synthetic: bool = False) -> Observation:
    """Record one observation. Refused, with nothing saved, when the description holds personal data."""
    observation = _build(municipality, values, reported_by=actor if getattr(actor, "pk", None) else None,
                         synthetic=synthetic)
    observation.full_clean()
    observation.save()
    _rollup_apply(_rollup_delta([observation], +1))
    audit.record(actor=actor, action="situation.observation.created", municipality=municipality, obj=observation,
                 data={"term": observation.term, "synthetic": synthetic})
    return observation


@transaction.atomic
def observation_change(*, actor: Any, observation: Observation, values: dict[str, Any]) -> Observation:
    """Change an observation. The audit event names the changed fields, never their content."""
    _build(observation.municipality, values)
    changed = sorted(name for name, value in values.items() if getattr(observation, name) != value)
    # Take out what the stored row contributed, then add the changed one.
    _rollup_apply(_rollup_delta([Observation.objects.get(pk=observation.pk)], -1))
    for name, value in values.items():
        setattr(observation, name, value)
    observation.full_clean()
    observation.save()
    _rollup_apply(_rollup_delta([observation], +1))
    audit.record(actor=actor, action="situation.observation.changed", municipality=observation.municipality,
                 obj=observation, data={"fields": changed})
    return observation


@transaction.atomic
def observation_delete(*, actor: Any, observation: Observation) -> None:
    audit.record(actor=actor, action="situation.observation.deleted", municipality=observation.municipality,
                 obj=observation, data={"term": observation.term})
    _rollup_apply(_rollup_delta([Observation.objects.get(pk=observation.pk)], -1))
    observation.delete()


@transaction.atomic
def observations_import(*, actor: Any, municipality: Municipality, rows: Iterable[dict[str, Any]],
                        source: str = "", synthetic: bool = False) -> int:
    """Save already validated rows, all or nothing, with one audit event for the batch."""
    observations = []
    for values in rows:
        observation = _build(municipality, values, reported_by=actor if getattr(actor, "pk", None) else None,
                             synthetic=synthetic)
        observation.term = term_of(observation.date)  # bulk_create skips save(), which derives it
        observations.append(observation)
    Observation.objects.bulk_create(observations, batch_size=1000)
    _rollup_apply(_rollup_delta(observations, +1))
    audit.record(actor=actor, action="situation.observation.imported", municipality=municipality,
                 object_type="situation.observation",
                 data={"rows": len(observations), "format": source, "synthetic": synthetic})
    return len(observations)


@transaction.atomic
def district_upsert(*, municipality: Municipality, key: str, name: str, order: int = 0) -> District:
    district, _created = District.objects.update_or_create(
        municipality=municipality, key=key, defaults={"name": name, "order": order})
    return district


def export_recorded(*, actor: Any, municipality: Municipality, fmt: str, filters: dict[str, Any],
                    policy: str, what: str = "dashboard", rows: int | None = None) -> None:
    """Exports leave the system, so each one is audited with the filters and the disclosure profile used
    (and, for a list, how many rows left; never the rows)."""
    data = {"format": fmt, "filters": filters, "policy": policy, "what": what}
    if rows is not None:
        data["rows"] = rows
    audit.record(actor=actor, action="situation.export", municipality=municipality,
                 object_type="situation.observation", data=data)


# --- the situation survey --------------------------------------------------------------------------


@transaction.atomic
def survey_create(*, actor: Any, municipality: Municipality, title: str, questions: list[str],
                  audiences: list[str], opens_on: Any, closes_on: Any) -> Any:
    """A survey with one answering link per audience."""
    import secrets

    from varna.situation.models import Survey, SurveyLink
    from varna.situation.survey_bank import BY_KEY, Audience

    if not questions or any(key not in BY_KEY for key in questions):
        raise SituationError(_("Choose questions from the question bank."))
    if not audiences or any(a not in Audience.values for a in audiences):
        raise SituationError(_("Choose at least one audience."))
    if closes_on < opens_on:
        raise SituationError(_("The survey must close after it opens."))
    survey = Survey.objects.create(municipality=municipality, title=title, questions=questions,
                                   opens_on=opens_on, closes_on=closes_on)
    for audience in audiences:
        SurveyLink.objects.create(survey=survey, audience=audience, token=secrets.token_urlsafe(24))
    audit.record(actor=actor, action="situation.survey.created", municipality=municipality, obj=survey,
                 data={"questions": questions, "audiences": audiences})
    return survey


@transaction.atomic
def survey_answer(*, link: Any, answers: dict[str, str], today: Any) -> int:
    """Store one respondent's answers anonymously: no user, no address, no audit entry (it would hold the
    address), the day only, and each answer on its own row with a random key.

    Free text passes the personal-data guard; nothing is saved if it finds anything.
    """
    import random

    from varna.situation.models import SurveyAnswer
    from varna.situation.survey_bank import BY_KEY, Kind

    survey = link.survey
    if not survey.is_open(today):
        raise SituationError(_("This survey is not open."))
    rows = []
    for key, value in answers.items():
        if key not in survey.questions or value in ("", None):
            continue
        if BY_KEY[key].kind == Kind.TEXT:
            guard(value)
        rows.append(SurveyAnswer(survey=survey, audience=link.audience, question=key, value=str(value)[:500],
                                 submitted_on=today))
    random.shuffle(rows)
    SurveyAnswer.objects.bulk_create(rows)
    return len(rows)


def _geojson_problems(data: Any, district_keys: set[str]) -> list[str]:
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
            data.get("features"), list):
        return [_("The file is not a GeoJSON FeatureCollection.")]
    problems = []
    for number, feature in enumerate(data["features"], start=1):
        geometry = (feature or {}).get("geometry") or {}
        key = ((feature or {}).get("properties") or {}).get("key")
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            problems.append(_("Feature %(n)s is not a polygon.") % {"n": number})
        if key not in district_keys:
            problems.append(_("Feature %(n)s: properties.key must be one of the district keys (%(keys)s).")
                            % {"n": number, "keys": ", ".join(sorted(district_keys))})
    return problems


@transaction.atomic
def district_map_upload(*, actor: Any, municipality: Municipality, text: str) -> Any:
    """Replace the municipality's district boundaries. A bad file changes nothing."""
    import json

    from varna.situation.models import DistrictMap

    try:
        data = json.loads(text)
    except ValueError as exc:
        raise SituationError(_("The file is not valid JSON.")) from exc
    keys = set(District.objects.filter(municipality=municipality).values_list("key", flat=True))
    problems = _geojson_problems(data, keys)
    if problems:
        raise SituationError(" ".join(problems[:10]))
    district_map, _created = DistrictMap.objects.update_or_create(municipality=municipality,
                                                                  defaults={"geojson": data})
    audit.record(actor=actor, action="situation.district_map.uploaded", municipality=municipality,
                 obj=district_map, data={"features": len(data["features"])})
    return district_map
