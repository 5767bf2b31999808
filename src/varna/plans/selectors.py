"""Reads for plans. Every function takes the municipality and never crosses it."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from varna.core.models import Municipality, Organisation
from varna.core.selectors import scoped
from varna.plans import text, validity
from varna.plans.models import Activity, Level, Plan, PlanVersion, Recommendation


def plans_of(municipality: Municipality) -> QuerySet[Plan]:
    return scoped(Plan.objects.all(), municipality)


def plan_get(municipality: Municipality, slug: str) -> Plan:
    plan = plans_of(municipality).filter(slug=slug).first()
    if plan is None:
        raise Http404
    plan.municipality = municipality  # the one already read: not read again
    return plan


def versions_of(plan: Plan, *, include_drafts: bool) -> QuerySet[PlanVersion]:
    versions = plan.versions.select_related("approved_by")
    return versions if include_drafts else versions.exclude(status=PlanVersion.Status.DRAFT)


def _today(day: dt.date | None) -> dt.date:
    return day or timezone.localdate()


def spans_of(plan: Plan) -> list[tuple[PlanVersion, validity.Span]]:
    """Every version of the plan that is, was or will be in force, with its span, in order of time."""
    versions = {v.number: v for v in plan.versions.exclude(status=PlanVersion.Status.DRAFT)}
    return [(versions[s.number], s) for s in validity.spans(v.validity() for v in versions.values())]


def version_in_force(plan: Plan, day: dt.date | None = None) -> PlanVersion | None:
    """The version in force on `day` (today by default), or None."""
    day = _today(day)
    return next((v for v, span in spans_of(plan) if span.contains(day)), None)


def versions_in_force_during(plan: Plan, start: dt.date, end: dt.date) -> list[tuple[PlanVersion, validity.Span]]:
    """The versions in force during `start`–`end`, each with its part of the period, in order of time."""
    versions = {v.number: v for v in plan.versions.exclude(status=PlanVersion.Status.DRAFT)}
    return [(versions[p.number], p) for p in validity.parts((v.validity() for v in versions.values()), start, end)]


def upcoming_version(plan: Plan, day: dt.date | None = None) -> tuple[PlanVersion, validity.Span] | None:
    """An adopted version that comes into force after `day`, with its span."""
    day = _today(day)
    return next(((v, s) for v, s in spans_of(plan) if s.start > day), None)


def current_version(plan: Plan, day: dt.date | None = None) -> PlanVersion | None:
    """The version a plan's pages show by default: the one in force, else the next to come into force.

    A plan whose only adopted version starts later shows that version (marked "in force from").
    """
    versions = list(plan.versions.exclude(status=PlanVersion.Status.DRAFT))
    return _current_of(versions, validity.spans(v.validity() for v in versions), _today(day))


def versions_in_force_today(municipality: Municipality, day: dt.date | None = None) -> list[PlanVersion]:
    """Per plan of the municipality, the version in force on `day`."""
    found = (version_in_force(plan, day) for plan in plans_of(municipality))
    return [v for v in found if v is not None]


def draft_version(plan: Plan) -> PlanVersion | None:
    return plan.versions.filter(status=PlanVersion.Status.DRAFT).first()


def version_get(plan: Plan, number: int, *, include_drafts: bool) -> PlanVersion:
    version = versions_of(plan, include_drafts=include_drafts).filter(number=number).first()
    if version is None:
        raise Http404
    return version


def public_version_get(municipality: Municipality, slug: str, day: dt.date | None = None, *,
                       units: bool = False) -> tuple[Plan, PlanVersion, list[PlanVersion]] | None:
    """The plan at `slug`, the version its pages show by default (`current_version`) and every version that
    is not a draft, all in one query: the public pages' hot path. Each version's `span` is filled in, so
    showing its standing reads nothing more.

    Written out in SQL (from the models' own columns, so a new field is read too): the same reads through
    the ORM cost 1-2 ms of compiling, more than the rest of a cached page. With `units`, each version also
    carries its responsible units (`version_units`), so that `render_stamp` reads nothing more.
    """
    version_fields, plan_fields = PlanVersion._meta.concrete_fields, Plan._meta.concrete_fields
    quote = connection.ops.quote_name
    # A concrete field always has a column (the stubs allow None for the others).
    columns = ", ".join([f"p.{quote(str(f.column))}" for f in plan_fields]
                        + [f"v.{quote(str(f.column))}" for f in version_fields])
    # Only the models' own table and column names go into the text; the values are parameters.
    params: list[Any] = [PlanVersion.Status.DRAFT, municipality.pk, slug]
    if units:
        # Each version's responsible units in the same round trip (`render_stamp` needs their names).
        columns += f", ({_units_sql('v.' + quote('id'))}) AS units"
        params = [_FIELD, _FIELD, _RECORD, *params]
    sql = (f"SELECT {columns} FROM {quote(Plan._meta.db_table)} p "  # noqa: S608 # nosec B608
           f"LEFT JOIN {quote(PlanVersion._meta.db_table)} v "
           f"ON v.{quote('plan_id')} = p.{quote('id')} AND v.{quote('status')} <> %s "
           f"WHERE p.{quote('municipality_id')} = %s AND p.{quote('slug')} = %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return None
    split, end = len(plan_fields), len(plan_fields) + len(version_fields)
    plan = _from_row(Plan, list(rows[0][:split]))
    plan.municipality = municipality
    versions = []
    for row in rows:
        if row[split] is None:
            continue
        version = _from_row(PlanVersion, list(row[split:end]))
        version.plan = plan
        if units:
            version._units = _parse_units(row[end])
        versions.append(version)
    spans = validity.spans(v.validity() for v in versions)
    for version in versions:
        version.__dict__["span"] = next((s for s in spans if s.number == version.number), None)
    current = _current_of(versions, spans, _today(day))
    return (plan, current, versions) if current is not None else None


def _current_of(versions: list[PlanVersion], spans: list[validity.Span], day: dt.date) -> PlanVersion | None:
    """`current_version`'s rule on versions already read: the one in force on `day`, else the next to be."""
    by_number = {v.number: v for v in versions}
    in_force = next((by_number[s.number] for s in spans if s.contains(day)), None)
    return in_force or next((by_number[s.number] for s in spans if s.start > day), None)


def _from_row(model: Any, values: list[Any]) -> Any:
    """A model instance from raw column values, converted as the ORM converts them (dates on SQLite)."""
    attnames, converters = _converters(model, connection.alias)
    for index, column, column_converters in converters:
        value = values[index]
        for converter in column_converters:
            value = converter(value, column, connection)
        values[index] = value
    return model.from_db(connection.alias, attnames, values)


@functools.cache
def _converters(model: Any, alias: str) -> tuple[list[str], list[tuple[int, Any, list[Any]]]]:
    """A model's column names and, for the columns that have any, the ORM's converters: the same for every
    row, so looked up once per process (on the public pages' path they cost more than the query)."""
    fields = model._meta.concrete_fields
    converters = []
    for index, model_field in enumerate(fields):
        column = model_field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if found:
            converters.append((index, column, found))
    return [f.attname for f in fields], converters


def render_stamp(municipality: Municipality, version: PlanVersion, units: Iterable[Organisation] | None = None,
                 siblings: list[PlanVersion] | None = None) -> tuple[Any, ...] | None:
    """What a version's public pages and PDF show, in a few values that change whenever it does: the key of
    their cached rendering (`varna.core.rendercache`). None for a draft, which is never cached.

    An approved or superseded version's levels, activities, sections and references are never edited (a
    change is a new version); what can still change is the version row itself (status, validity,
    decision; every write through the services moves `updated_at`), the plan's title and scope, the
    municipality's name and the names of the units responsible for its activities. A new thing shown on those
    pages must be added here, or its write must move the version's `updated_at`.

    Whether a version is in force, and from when to when, depends on the plan's other versions and on
    the day (`plans.validity`): the stamp holds today's date and every non-draft version's dates, so the
    banner turns from "in force from" to "in force" at midnight and when a later version is adopted.

    `units`: the units whose names the piece shows, if the caller has read them already; pass `()` for a
    piece that shows none (the overview). `siblings`: the plan's non-draft versions, if read already.
    By default both are read.
    """
    if version.is_draft:
        return None
    plan = version.plan
    if plan.municipality_id != municipality.pk:
        raise Http404
    shown = [(o.pk, o.key, o.name) for o in units] if units is not None else version_units(version)
    named = hashlib.sha256(repr(sorted(shown)).encode()).hexdigest()[:16]
    if siblings is None:
        siblings = list(plan.versions.exclude(status=PlanVersion.Status.DRAFT))
    validities = sorted((v.pk, v.status, v.updated_at.isoformat(), repr(v.validity())) for v in siblings)
    return (version.pk, version.number, version.status, version.updated_at.isoformat(), version.lock_version,
            plan.pk, plan.slug, plan.title, plan.scope, plan.review_interval_months, municipality.pk,
            municipality.slug, municipality.name, named, timezone.localdate().isoformat(), tuple(validities))


# The units responsible for a version's activities as one text value: (id, key, name) of each, the fields
# joined by _FIELD and the units by _RECORD (control characters, which no key and no name holds).
_FIELD, _RECORD = "\x1e", "\x1f"
_UNITS_SQL = ("SELECT {agg}(CAST(u.{q_id} AS TEXT) || %s || u.{q_key} || %s || u.{q_name}, %s) FROM "
              "(SELECT DISTINCT o.{q_id}, o.{q_key}, o.{q_name} FROM {organisations} o "
              "JOIN {through} r ON r.{q_org} = o.{q_id} JOIN {activities} a ON a.{q_id} = r.{q_activity} "
              "WHERE a.{q_version} = {version} ORDER BY o.{q_id}) u")


def _units_sql(version: str) -> str:
    """The subquery of a version's units (`version` is the SQL of its id); takes _FIELD, _FIELD, _RECORD."""
    quote = connection.ops.quote_name
    through = Activity.responsible.through
    return _UNITS_SQL.format(
        agg="string_agg" if connection.vendor == "postgresql" else "group_concat",
        q_id=quote("id"), q_key=quote("key"), q_name=quote("name"), q_org=quote("organisation_id"),
        q_activity=quote("activity_id"), q_version=quote("version_id"), version=version,
        organisations=quote(Organisation._meta.db_table), through=quote(through._meta.db_table),
        activities=quote(Activity._meta.db_table))


def _parse_units(value: str | None) -> list[tuple[int, str, str]]:
    units = []
    for record in (value or "").split(_RECORD) if value else []:
        pk, key, name = record.split(_FIELD, 2)
        units.append((int(pk), key, name))
    return units


def version_units(version: PlanVersion) -> list[tuple[int, str, str]]:
    """(id, key, name) of the units responsible for an activity of `version`: read along with the version on
    the public pages' path (`public_version_get(units=True)`), else in one query of raw SQL."""
    units = getattr(version, "_units", None)
    if units is None:
        with connection.cursor() as cursor:
            cursor.execute(_units_sql("%s"), [_FIELD, _FIELD, _RECORD, version.pk])  # noqa: S608 # nosec B608
            row = cursor.fetchone()
        units = version._units = _parse_units(row[0] if row else None)  # type: ignore[attr-defined]
    return units


def activities_of(version: PlanVersion) -> QuerySet[Activity]:
    return (version.activities.select_related("level")
            .prefetch_related(Prefetch("responsible", queryset=Organisation.objects.order_by("name")), "fulfilled_by")
            .order_by("level__order", "order", "id"))


def activity_names(version: PlanVersion) -> dict[str, str]:
    """Each activity's key and its direction of work, read once per version object."""
    cached = getattr(version, "_activity_names", None)
    if cached is None:
        cached = dict(Activity.objects.filter(version=version).values_list("key", "direction"))
        version._activity_names = cached  # type: ignore[attr-defined]
    return cached


def how_met_for_readers(recommendation: Recommendation) -> str:
    """How the plan meets a recommendation, with its activities named rather than given by key."""
    return text.without_keys(recommendation.how_met, activity_names(recommendation.version))


def level_names(version: PlanVersion) -> dict[str, str]:
    """Each level's key and name."""
    return dict(version.levels.values_list("key", "name"))


def levels_with_activities(version: PlanVersion) -> QuerySet[Level]:
    return version.levels.prefetch_related(
        Prefetch("activities", queryset=activities_of(version)), "references")


def responsible_organisations(version: PlanVersion) -> QuerySet[Organisation]:
    return Organisation.objects.filter(plan_activities__version=version).distinct().order_by("name")


def approved_activities_of(municipality: Municipality, day: dt.date | None = None) -> QuerySet[Activity]:
    """Activities of the version of every plan in force on `day` (today): what is logged and fulfilled now."""
    return (Activity.objects.for_municipality(municipality)
            .filter(version__in=[v.pk for v in versions_in_force_today(municipality, day)])
            .select_related("level", "version__plan").prefetch_related("responsible"))


def activities_fulfilled_by(municipality: Municipality, source: str, detail: str, *,
                            version: PlanVersion | None = None, day: dt.date | None = None) -> QuerySet[Activity]:
    """The activities (of every plan's version in force on `day`, today by default, or of `version` only) that
    name (source, detail) in their `fulfilled_by`: what a held meeting, a training or a confirmation counts for.
    Empty when no plan links anything to it, which the modules tell their users."""
    activities = approved_activities_of(municipality, day) if version is None else (
        Activity.objects.for_municipality(municipality).filter(version=version)
        .select_related("level", "version__plan").prefetch_related("responsible"))
    return (activities.filter(fulfilled_by__source=source, fulfilled_by__detail=detail)
            .order_by("version__plan__title", "level__order", "order", "id"))


# A revision is announced this many days before it is due.
REVISION_NOTICE_DAYS = 60


@dataclass(frozen=True)
class Revision:
    """When the plan's version in force is to be revised, and whether a draft is under way."""

    plan: Plan
    version: PlanVersion
    due_on: dt.date
    draft: PlanVersion | None
    today: dt.date

    @property
    def overdue(self) -> bool:
        return self.today > self.due_on

    @property
    def soon(self) -> bool:
        """Due within the notice period (or overdue): the coordinator is told."""
        return (self.due_on - self.today).days <= REVISION_NOTICE_DAYS


def revision_of(plan: Plan, day: dt.date | None = None) -> Revision | None:
    """The plan's next revision, counted from the adoption of the version in force; None without an interval.

    A version already adopted for a later day counts as the revision (nothing is due until it is in force).
    """
    day = _today(day)
    if not plan.review_interval_months:
        return None
    version = version_in_force(plan, day)
    if version is None or version.adopted_on is None or upcoming_version(plan, day) is not None:
        return None
    return Revision(plan, version, validity.review_due(version.adopted_on, plan.review_interval_months),
                    draft_version(plan), day)


def revisions_due(municipality: Municipality, day: dt.date | None = None) -> list[Revision]:
    """The plans whose revision is due within the notice period or overdue, soonest first."""
    found = (revision_of(plan, day) for plan in plans_of(municipality))
    return sorted((r for r in found if r is not None and r.soon), key=lambda r: (r.due_on, r.plan.title))


@dataclass
class ActivityChange:
    key: str
    before: Activity | None
    after: Activity | None
    fields: list[str] = field(default_factory=list)


_COMPARED = ["direction", "action", "responsible_text", "cadence_kind", "cadence_count", "when_text"]


def _fingerprint(activity: Activity) -> dict[str, Any]:
    data = {name: getattr(activity, name) for name in _COMPARED}
    data["level"] = activity.level.key
    data["responsible"] = sorted(o.key for o in activity.responsible.all())
    data["fulfilled_by"] = sorted(f"{f.source}:{f.detail}" for f in activity.fulfilled_by.all())
    return data


def compare_versions(old: PlanVersion, new: PlanVersion) -> dict[str, list[ActivityChange]]:
    """Activities added, removed and changed between two versions, matched by their stable key."""
    before = {a.key: a for a in activities_of(old)}
    after = {a.key: a for a in activities_of(new)}
    result: dict[str, list[ActivityChange]] = {"added": [], "removed": [], "changed": []}
    for key, activity in after.items():
        if key not in before:
            result["added"].append(ActivityChange(key, None, activity))
    for key, activity in before.items():
        if key not in after:
            result["removed"].append(ActivityChange(key, activity, None))
        else:
            a, b = _fingerprint(activity), _fingerprint(after[key])
            changed = [name for name in a if a[name] != b[name]]
            if changed:
                result["changed"].append(ActivityChange(key, activity, after[key], changed))
    return result
