"""Writes for the situation picture. Every free text passes the personal-data guard before anything is saved."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from varna.core import audit
from varna.core.models import Municipality
from varna.core.permissions import NotPermitted, require
from varna.core.terms import Term
from varna.core.vocabulary import former_count_name
from varna.disclosure import guard as personal_data_guard
from varna.knowledge import selectors as knowledge
from varna.situation import permissions
from varna.situation.choices import COUNT_FIELDS, EARLIEST_OBSERVATION_DATE, MAX_PEOPLE_PER_CELL
from varna.situation.models import DESCRIPTION_MAX, District, Observation

# Fields a caller may set; the term is derived from the date and the tenant from the caller.
EDITABLE = ["date", "district", "category", "milieu", "signs", "source_organisation", "description"] + [
    name for name, _g, _a in COUNT_FIELDS]
_EDITABLE = frozenset(EDITABLE)
_COUNT_NAMES = [name for name, _g, _a in COUNT_FIELDS]
_COUNT_NAMES_SET = frozenset(_COUNT_NAMES)


class SituationError(Exception):
    pass


class SituationPermissionError(SituationError, NotPermitted):
    """Refused by a permission predicate (a 403 wherever it is not turned into a message)."""


class InvalidValue(SituationError):
    """One value breaks a rule of every observation; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def date_problem(day: Any, today: Any) -> str | None:
    """Why `day` can't be an observation's date, or None. The form, the import and the API all ask this."""
    if day > today:
        return _("The date can't be in the future.")
    if day < EARLIEST_OBSERVATION_DATE:
        return _("The date can't be before %(date)s.") % {"date": EARLIEST_OBSERVATION_DATE.isoformat()}
    return None


def count_problem(count: Any) -> str | None:
    """Why `count` can't be the number of people in one cell of an observation, or None."""
    if not isinstance(count, int) or not 0 <= count <= MAX_PEOPLE_PER_CELL:
        return _("A count is a whole number from 0 to %(max)s.") % {"max": MAX_PEOPLE_PER_CELL}
    return None


# The one guard (varna.disclosure.guard) raises it; the name stays here for the callers of this module.
PersonalDataError = personal_data_guard.PersonalDataError


@dataclass(frozen=True)
class RowProblem:
    row: int
    message: str


class ImportRejected(SituationError):
    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(_("%(n)s rows have problems.") % {"n": len(problems)})
        self.problems = problems


def guard(text: str) -> None:
    """Raise :class:`PersonalDataError` if an observation's description holds personal data."""
    personal_data_guard.check(text, field="description", label=_("description"))


def _check_tenancy(municipality: Municipality, values: dict[str, Any]) -> None:
    district = values.get("district")
    if district is not None and district.municipality_id != municipality.pk:
        raise SituationError(_("The district must belong to the same municipality."))
    organisation = values.get("source_organisation")
    if organisation is not None and organisation.municipality_id != municipality.pk:
        raise SituationError(_("The organisation must belong to the same municipality."))


_NOT_IN_VOCABULARY = {
    "category": _lazy("Choose one of the municipality's categories: %(keys)s."),
    "milieu": _lazy("Choose one of the municipality's milieus: %(keys)s."),
    "signs": _lazy("Choose signs from the municipality's list."),
}
# The form's lists refuse an unknown key with these words too, so every path says the same (issue #19).
UNKNOWN_DISTRICT = _lazy("Choose one of the municipality's districts.")
UNKNOWN_ORGANISATION = _lazy("Choose one of the municipality's organisations.")
UNKNOWN_COUNT = _lazy(
    "There is no count by this name (they are named n_<gender>_<age band>, as in n_female_15_17).")
RENAMED_COUNT = _lazy("This count has a new name: %(name)s. The counts mean the same.")


def _not_in_vocabulary(kind: str, vocabulary: Any) -> InvalidValue:
    # With the keys, since a program sends keys, not the labels a person picks from.
    keys = ", ".join(entry.key for entry in vocabulary.active(kind))
    return InvalidValue(kind, str(_NOT_IN_VOCABULARY[kind]) % {"keys": keys})


def value_problems(values: Mapping[str, Any], *, vocabulary: Any, today: dt.date,
                   kept: Mapping[str, Iterable[Any]] | None = None) -> Iterator[InvalidValue]:
    """Each value that breaks a rule of every observation, as :class:`InvalidValue` naming its field: the
    date's range, the counts, the vocabulary (ADR 0018) and the description's length. A write refuses the
    first; the form shows them all at once, so a person (or an imported row) hears every problem together.

    A retired entry can't be chosen again, but an observation being changed keeps the ones in `kept`.
    """
    kept = kept or {}
    if "date" in values:
        problem = date_problem(values["date"], today)
        if problem:
            yield InvalidValue("date", problem)
    for name in _COUNT_NAMES:
        if name in values:
            problem = count_problem(values[name])
            if problem:
                yield InvalidValue(name, problem)
    for kind in ("category", "milieu"):
        if kind in values and values[kind] not in set(kept.get(kind, ())) \
                and not vocabulary.accepts(kind, values[kind]):
            yield _not_in_vocabulary(kind, vocabulary)
    own_signs = set(kept.get("signs", ()))
    if any(not isinstance(key, str) or (key not in own_signs and not vocabulary.accepts("sign", key))
           for key in values.get("signs", [])):
        yield InvalidValue("signs", str(_NOT_IN_VOCABULARY["signs"]))
    if len(values.get("description", "")) > DESCRIPTION_MAX:
        yield InvalidValue("description",
                           _("The description is longer than %(n)s characters.") % {"n": DESCRIPTION_MAX})


def _check_values(values: dict[str, Any], today: Any) -> None:
    """The rules of every observation that don't need the database: the date's range and the counts."""
    problem = next(value_problems({k: v for k, v in values.items() if k == "date" or k in _COUNT_NAMES_SET},
                                  vocabulary=None, today=today), None)
    if problem is not None:
        raise problem


def _check(municipality: Municipality, values: dict[str, Any], *, keep: Observation | None = None) -> None:
    """What every write checks, whoever validated the values before: only editable fields, a description
    of allowed length without personal data, words from the municipality's vocabulary, and a district and
    organisation of the same municipality."""
    if not values.keys() <= _EDITABLE:
        raise TypeError(f"not editable: {sorted(values.keys() - _EDITABLE)}")
    vocabulary = knowledge.vocabulary_of(municipality) if values.keys() & {"category", "milieu", "signs"} else None
    kept = {"category": [keep.category], "milieu": [keep.milieu], "signs": keep.signs} if keep is not None else None
    problem = next(value_problems(values, vocabulary=vocabulary, today=timezone.localdate(), kept=kept), None)
    if problem is not None:
        raise problem
    guard(values.get("description", ""))
    _check_tenancy(municipality, values)


def _build(municipality: Municipality, values: dict[str, Any], *, keep: Observation | None = None,
           **extra: Any) -> Observation:
    _check(municipality, values, keep=keep)
    return Observation(municipality=municipality, **values, **extra)


# --- the rollup every aggregate reads ---------------------------------------------------------------

def _concrete(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """A model's field that has a column (``get_field`` may also answer a reverse relation)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise TypeError(f"{model.__name__}.{name} has no column")
    return field


def _rollup_key(observation: Observation) -> tuple[Any, ...]:
    return (observation.municipality_id, observation.term, observation.district_id, observation.milieu,
            observation.category)


def _rollup_apply(deltas: dict[tuple[Any, ...], list[int]]) -> None:
    """Add ``[observations, *counts]`` to the rollup row of each key, creating missing rows.

    One ``INSERT ... ON CONFLICT DO UPDATE`` adds to the existing rows and creates the missing ones
    (PostgreSQL and SQLite both have it), so an import of thousands of observations writes each rollup row
    once, and two imports touching the same rows at the same moment both count: the database serialises
    the additions. Keys go in sorted, so concurrent writers lock rows in the same order.
    """
    from django.db import connection

    from varna.situation.models import ObservationRollup

    if not deltas:
        return
    meta = ObservationRollup._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    key_fields = [_concrete(ObservationRollup, name)
                  for name in ("municipality", "term", "district", "milieu", "category")]
    keys = [quote(str(field.column)) for field in key_fields]
    sums = [quote(name) for name in ("observations", *_COUNT_NAMES)]
    columns = keys + sums
    # Identifiers come from the model, values are parameters.
    additions = ", ".join(f"{column} = {table}.{column} + excluded.{column}" for column in sums)
    upsert = f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {additions}"  # noqa: S608 # nosec B608
    items = sorted(deltas.items())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array per column, 21 parameters however many rows (psycopg would spell out each parameter
            # of a multi-row VALUES), each written as an array literal at C speed.
            types = [field.db_type(connection) for field in key_fields] + ["integer"] * len(sums)
            arrays = ", ".join(f"%s::{type_}[]" for type_ in types)
            values = zip(*[(*key, *delta) for key, delta in items], strict=True)
            cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM unnest({arrays}) "  # noqa: S608 # nosec B608
                           + upsert, [_array_literal(column) for column in values])
        else:
            row = "(" + ", ".join(["%s"] * len(columns)) + ")"
            for start in range(0, len(items), 500):
                batch = items[start : start + 500]
                cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([row] * len(batch))} "  # noqa: S608 # nosec B608
                               + upsert, [value for key, delta in batch for value in (*key, *delta)])
    if any(delta[0] < 0 for delta in deltas.values()):
        # A row whose last observation went (deleted, or moved to another term or district) holds nothing: drop
        # it, so that its term leaves every term list (a mistyped 1900 once corrected must not stay behind).
        ObservationRollup.objects.filter(municipality_id__in={key[0] for key in deltas}, observations__lte=0).delete()


def _array_literal(values: tuple[Any, ...]) -> str:
    """A PostgreSQL array literal of numbers or strings (each string quoted, backslash and quote escaped)."""
    if all(isinstance(value, int) for value in values):
        return "{" + ",".join(map(str, values)) + "}"
    return "{" + ",".join('"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
                          for value in values) + "}"


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
                              **{name: dict(g)[f"s_{name}"] for name in _COUNT_NAMES}) for g in groups]
    ObservationRollup.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def observation_values(*, municipality: Municipality, district: str, source_organisation: str | None = None,
                       counts: Mapping[str, int] | None = None, **values: Any) -> dict[str, Any]:
    """An observation named by keys, as a program sends it (the API), turned into the values that
    :func:`observation_create` takes: the district and the source organisation found among the municipality's,
    each count in its own field. :class:`InvalidValue` names the key at fault (``counts.<name>`` for a count);
    every other rule is :func:`observation_create`'s."""
    from varna.core.models import Organisation

    found = District.objects.filter(municipality=municipality, key=district).first()
    if found is None:
        raise InvalidValue("district", str(UNKNOWN_DISTRICT))
    source = None
    if source_organisation:
        source = Organisation.objects.for_municipality(municipality).filter(key=source_organisation).first()
        if source is None:
            raise InvalidValue("source_organisation", str(UNKNOWN_ORGANISATION))
    counts = dict(counts or {})
    for name, count in counts.items():
        renamed = former_count_name(name)  # a client of before the age bands were unified (ADR 0018)
        problem = (str(RENAMED_COUNT) % {"name": renamed} if renamed else str(UNKNOWN_COUNT)
                   if name not in _COUNT_NAMES_SET else count_problem(count))
        if problem:
            raise InvalidValue(f"counts.{name}", problem)
    return {**values, "district": found, "source_organisation": source, **counts}


@transaction.atomic
def observation_create(*, actor: Any, municipality: Municipality, values: dict[str, Any],
                       synthetic: bool = False) -> Observation:
    """Record one observation. Refused, with nothing saved, when the description holds personal data."""
    require(permissions.can_report(actor, municipality), _("Your role does not report observations."),
            SituationPermissionError)
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
    require(permissions.can_change_observation(actor, observation), _("You may not change this observation."),
            SituationPermissionError)
    _build(observation.municipality, values, keep=Observation.objects.get(pk=observation.pk))
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
    require(permissions.can_change_observation(actor, observation), _("You may not change this observation."),
            SituationPermissionError)
    audit.record(actor=actor, action="situation.observation.deleted", municipality=observation.municipality,
                 obj=observation, data={"term": observation.term})
    _rollup_apply(_rollup_delta([Observation.objects.get(pk=observation.pk)], -1))
    observation.delete()


@transaction.atomic
def observations_import(*, actor: Any, municipality: Municipality, rows: Iterable[dict[str, Any]],
                        source: str = "", synthetic: bool = False) -> int:
    """Save already validated rows, all or nothing, with one audit event for the batch.

    Every row is checked here too (guard, length, tenancy), whoever validated it before.
    """
    require(permissions.can_import(actor, municipality), _("Your role does not import observations."),
            SituationPermissionError)
    rows = list(rows)
    if not all(values.keys() <= _EDITABLE for values in rows):
        raise TypeError(f"not editable: {sorted({key for values in rows for key in values} - _EDITABLE)}")
    optional = {field.name: field for field in (_concrete(Observation, name) for name in EDITABLE)
                if field.has_default() or field.null or field.blank}
    columns = {name: [values[name] if name in values else optional[name].get_default() for values in rows]
               if name in optional else [values[name] for values in rows] for name in EDITABLE}
    return observations_import_columns(actor=actor, municipality=municipality, batches=[columns], source=source,
                                       synthetic=synthetic)


@transaction.atomic
def observations_import_columns(*, actor: Any, municipality: Municipality, batches: Iterable[dict[str, list[Any]]],
                                source: str = "", synthetic: bool = False) -> int:
    """:func:`observations_import` for rows given column by column, in one or more batches, each
    ``{field: [value of each row]}`` for every editable field: the shape a bulk import is checked in (a
    handful of districts and a few thousand dates stand for 20 000 rows; no row needs an object of its own).

    Each description passes the guard just before its row is written. On PostgreSQL the rows go in with
    ``COPY``, the database's bulk load, and stream to the server as they come: it stores one batch while the
    next is read and checked. ``batches`` may be a generator that raises, and if anything fails, nothing is
    saved. The rollup is updated once, at the end.
    """
    require(permissions.can_import(actor, municipality), _("Your role does not import observations."),
            SituationPermissionError)
    from django.db import connection
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    deltas: dict[tuple[Any, ...], list[int]] = {}
    # Read before any row is written: during COPY the connection can run no other query (it would wait forever).
    vocabulary = knowledge.vocabulary_of(municipality)
    checked = (_checked_batch(municipality, batch, deltas, vocabulary) for batch in batches)
    reported_by = actor.pk if getattr(actor, "pk", None) else None
    passed: set[str] = set()  # descriptions that passed the guard in this import (`_guarded`)
    if connection.vendor == "postgresql" and is_psycopg3:
        count = _copy_observations(municipality, checked, reported_by=reported_by, synthetic=synthetic,
                                   passed=passed)
    else:
        count = 0
        for columns, terms in checked:
            values = (dict(zip(EDITABLE, row, strict=True))
                      for row in zip(*(columns[name] for name in EDITABLE), strict=True))
            Observation.objects.bulk_create([
                # bulk_create skips save(), which derives the term
                Observation(municipality=municipality, term=term, reported_by_id=reported_by, synthetic=synthetic,
                            **row) for term, row in zip(terms, _guarded(values, columns["description"], passed),
                                                        strict=True)
            ], batch_size=1000)
            count += len(terms)
    _rollup_apply(deltas)
    audit.record(actor=actor, action="situation.observation.imported", municipality=municipality,
                 object_type="situation.observation",
                 data={"rows": count, "format": source, "synthetic": synthetic})
    return count


# Complex on purpose: the hot path of a million-row import: one loop, no calls per row (benchmarks/situation.py).
def _checked_batch(municipality: Municipality, columns: dict[str, list[Any]], deltas: dict[tuple[Any, ...], list[int]],  # noqa: C901
                   vocabulary: Any) -> tuple[dict[str, list[Any]], list[str]]:
    """The batch and the term of each row, once the fields, lengths and tenancy are checked (the guard comes
    when each row is written); the batch's counts are added to ``deltas``."""
    if columns.keys() != _EDITABLE:
        raise TypeError(f"columns must be exactly {EDITABLE}")
    count = len(columns["date"])
    if any(len(column) != count for column in columns.values()):
        raise TypeError("columns of different lengths")
    if any(len(text) > DESCRIPTION_MAX for text in columns["description"]):
        raise SituationError(_("The description is longer than %(n)s characters.") % {"n": DESCRIPTION_MAX})
    # The same rules as a single observation, checked once per distinct value (a few thousand dates, a
    # handful of counts stand for 20 000 rows).
    today = timezone.localdate()
    for day in set(columns["date"]):
        _check_values({"date": day}, today)
    for name in _COUNT_NAMES:
        for count in set(columns[name]):
            _check_values({name: count}, today)
    for district in set(columns["district"]):
        _check_tenancy(municipality, {"district": district})
    for organisation in set(columns["source_organisation"]) - {None}:
        _check_tenancy(municipality, {"source_organisation": organisation})
    for kind in ("category", "milieu"):
        if not all(vocabulary.accepts(kind, key) for key in set(columns[kind])):
            raise _not_in_vocabulary(kind, vocabulary)
    if not all(vocabulary.accepts("sign", key) for key in {key for signs in columns["signs"] for key in signs}):
        raise InvalidValue("signs", str(_NOT_IN_VOCABULARY["signs"]))
    term_of_date = {day: Term.of(day).key for day in set(columns["date"])}
    terms = list(map(term_of_date.__getitem__, columns["date"]))
    for key, sums in _rollup_delta_of_columns(municipality, columns, terms).items():
        if key in deltas:
            deltas[key] = [a + b for a, b in zip(deltas[key], sums, strict=True)]
        else:
            deltas[key] = sums
    return columns, terms


def _guarded(rows: Iterable[Any], descriptions: list[str], passed: set[str] | None = None) -> Iterator[Any]:
    """The rows, each let through once its description passed the guard.

    The guard's verdict depends on the text alone, so a text that passed once passes again: `passed` (one set
    for the whole import) holds the texts that passed, and a repeated description (an empty one, a standard
    wording a school system fills in) is looked up instead of scanned again. Every distinct text is scanned;
    a refused one is never added, so it is refused wherever it recurs.
    """
    passed = set() if passed is None else passed
    for row, description in zip(rows, descriptions, strict=True):
        if description not in passed:
            guard(description)
            passed.add(description)
        yield row


def _rollup_delta_of_columns(municipality: Municipality, columns: dict[str, list[Any]],
                             terms: list[str]) -> dict[tuple[Any, ...], list[int]]:
    # Each row's rollup row as a small number: no tuple per row kept alive for the garbage collector to visit.
    slot_of: dict[tuple[Any, ...], int] = {}
    slots = [slot_of.setdefault(key, len(slot_of)) for key in zip(
        repeat(municipality.pk), terms, map(attrgetter("pk"), columns["district"]), columns["milieu"],
        columns["category"], strict=False)]  # repeat() never ends
    sums = [[0] * (1 + len(_COUNT_NAMES)) for _slot in slot_of]
    for slot, observations in Counter(slots).items():
        sums[slot][0] = observations
    for index, name in enumerate(_COUNT_NAMES, start=1):
        for slot, count in zip(slots, columns[name], strict=True):
            if count:  # most are 0
                sums[slot][index] += count
    return {key: sums[slot] for key, slot in slot_of.items()}


def _constant(text: str) -> Callable[[Any], str]:
    return lambda _value: text


def _copy_observations(municipality: Municipality, batches: Iterable[tuple[dict[str, list[Any]], list[str]]], *,
                       reported_by: int | None, synthetic: bool, passed: set[str]) -> int:
    """Write the rows with one binary ``COPY ... FROM STDIN``, each once its description passed the guard.

    Binary, because turning a row into COPY's text format costs more than the guard (in psycopg, three
    times as much as the binary one), and the server then parses every number and date back.
    """
    import json

    from django.db import connection
    from django.utils import timezone
    from psycopg.types.json import Jsonb

    meta = Observation._meta
    quote = connection.ops.quote_name
    names = ["municipality", "term", "reported_by", "synthetic", "created_at", "updated_at", *EDITABLE]
    fields = [str(_concrete(Observation, name).column) for name in names]
    signs_json: dict[tuple[str, ...], Jsonb] = {}
    now = timezone.now()
    count = 0
    with connection.cursor() as cursor:
        # Binary COPY converts nothing: each value must be sent as exactly the column's type.
        cursor.execute("SELECT attname, atttypid::integer FROM pg_attribute WHERE attrelid = %s::regclass",
                       [quote(meta.db_table)])
        types = dict(cursor.fetchall())
        # Identifiers come from the model.
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({', '.join(map(quote, fields))}) "
                                "FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types([types[field] for field in fields])
            for columns, terms in batches:
                for signs in columns["signs"]:
                    if (key := tuple(signs)) not in signs_json:
                        # Written once per distinct list of signs, not once per row.
                        signs_json[key] = Jsonb(key, dumps=_constant(json.dumps(list(key))))
                prepared = {
                    **columns,
                    "district": list(map(attrgetter("pk"), columns["district"])),
                    "source_organisation": [o.pk if o is not None else None for o in columns["source_organisation"]],
                    "signs": [signs_json[tuple(signs)] for signs in columns["signs"]]}
                rows = zip(repeat(municipality.pk), terms, repeat(reported_by), repeat(synthetic), repeat(now),
                           repeat(now), *(prepared[name] for name in EDITABLE), strict=False)  # repeat() never ends
                for row in _guarded(rows, columns["description"], passed):
                    copy.write_row(row)
                count += len(terms)
    return count


DISTRICTS_MAX = 500


@transaction.atomic
def districts_add(*, actor: Any, municipality: Municipality, names: list[str]) -> list[District]:
    """Add the districts named (one per entry, from the municipality's own list); those already there stay as
    they are (observations point at them). The key is made from the name; returns the ones added."""
    from varna.core.permissions import can_set_up
    from varna.core.services import slug_for

    if not can_set_up(actor, municipality):
        raise SituationPermissionError(_("Only the municipality's coordinator or administrator changes its districts."))
    cleaned = [name.strip() for name in names if name.strip()]
    if len(cleaned) > DISTRICTS_MAX:
        raise SituationError(_("At most %(n)s districts at a time.") % {"n": DISTRICTS_MAX})
    too_long = [name for name in cleaned if len(name) > 100]
    if too_long:
        raise SituationError(_("A district's name is at most 100 characters: %(name)s") % {"name": too_long[0][:40]})
    existing = District.objects.filter(municipality=municipality)
    keys, order = set(existing.values_list("key", flat=True)), existing.count()
    added: list[District] = []
    for name in cleaned:
        key = slug_for(name)
        if not key:
            raise SituationError(_("A district's name needs letters or digits: %(name)s") % {"name": name[:40]})
        if key in keys:
            continue
        keys.add(key)
        added.append(District.objects.create(municipality=municipality, key=key, name=name, order=order))
        order += 1
    if added:
        audit.record(actor=actor, action="situation.districts.added", municipality=municipality,
                     data={"added": [district.key for district in added]})
    return added


@transaction.atomic
def district_upsert(*, municipality: Municipality, key: str, name: str, order: int = 0) -> District:
    district, _created = District.objects.update_or_create(
        municipality=municipality, key=key, defaults={"name": name, "order": order})
    return district


def export_recorded(*, actor: Any, municipality: Municipality, fmt: str, filters: dict[str, Any],
                    policy: str, what: str = "dashboard", rows: int | None = None) -> None:
    """Exports leave the system, so each one is audited with the filters and the disclosure profile used
    (and, for a list, how many rows left; never the rows)."""
    require(permissions.can_view_dashboard(actor, municipality), _("Your role does not see the situation picture."),
            SituationPermissionError)
    data: dict[str, Any] = {"format": fmt, "filters": filters, "policy": policy, "what": what}
    if rows is not None:
        data["rows"] = rows
    audit.record(actor=actor, action="situation.export", municipality=municipality,
                 object_type="situation.observation", data=data)


def aggregates_read(*, actor: Any, municipality: Municipality, term: str, via: str) -> None:
    """A read of the published aggregates through the API is audited like a page read of case data is:
    who, when, which term (the figures themselves are not stored)."""
    require(permissions.can_view_dashboard(actor, municipality), _("Your role does not see the situation picture."),
            SituationPermissionError)
    audit.record(actor=actor, action="situation.aggregates.read", municipality=municipality,
                 object_type="situation.observation", data={"term": term, "via": via, "policy": "published"})


# --- the situation survey --------------------------------------------------------------------------


@transaction.atomic
def survey_create(*, actor: Any, municipality: Municipality, title: str, questions: list[str],
                  audiences: list[str], opens_on: Any, closes_on: Any) -> Any:
    """A survey with one answering link per audience."""
    import secrets

    from varna.situation.models import Survey, SurveyLink
    from varna.situation.survey_bank import BY_KEY, Audience

    require(permissions.can_manage_surveys(actor, municipality), _("Only the coordinator builds surveys."),
            SituationPermissionError)
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
            personal_data_guard.check(value, field=key, label=str(BY_KEY[key].text))
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

    require(permissions.can_upload_district_map(actor, municipality),
            _("Only the coordinator uploads the district map."), SituationPermissionError)
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
