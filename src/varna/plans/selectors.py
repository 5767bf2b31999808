"""Reads for plans. Every function takes the municipality and never crosses it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from varna.core.models import Municipality, Organisation
from varna.core.selectors import scoped
from varna.plans.models import Activity, Level, Plan, PlanVersion


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


def current_version(plan: Plan) -> PlanVersion | None:
    return plan.versions.filter(status=PlanVersion.Status.APPROVED).first()


def draft_version(plan: Plan) -> PlanVersion | None:
    return plan.versions.filter(status=PlanVersion.Status.DRAFT).first()


def version_get(plan: Plan, number: int, *, include_drafts: bool) -> PlanVersion:
    version = versions_of(plan, include_drafts=include_drafts).filter(number=number).first()
    if version is None:
        raise Http404
    return version


def approved_version_get(municipality: Municipality, slug: str) -> PlanVersion | None:
    """The approved version of the plan at `slug`, with its plan: the public pages' hot path, in one query.

    Written out in SQL (from the models' own columns, so a new field is read too): the same query through
    the ORM cost 0.5-1 ms of compiling, more than the rest of a cached page.
    """
    version_fields, plan_fields = PlanVersion._meta.concrete_fields, Plan._meta.concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join([f"v.{quote(f.column)}" for f in version_fields]
                        + [f"p.{quote(f.column)}" for f in plan_fields])
    sql = (f"SELECT {columns} FROM {quote(PlanVersion._meta.db_table)} v "  # noqa: S608 - names from the models
           f"JOIN {quote(Plan._meta.db_table)} p ON p.{quote('id')} = v.{quote('plan_id')} "
           f"WHERE p.{quote('municipality_id')} = %s AND p.{quote('slug')} = %s AND v.{quote('status')} = %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [municipality.pk, slug, PlanVersion.Status.APPROVED])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(version_fields)
    version = _from_row(PlanVersion, version_fields, list(row[:split]))
    version.plan = _from_row(Plan, plan_fields, list(row[split:]))
    version.plan.municipality = municipality
    return version


def _from_row(model: Any, fields: Any, values: list[Any]) -> Any:
    """A model instance from raw column values, converted as the ORM converts them (dates on SQLite)."""
    converted = []
    for model_field, value in zip(fields, values, strict=True):
        column = model_field.get_col(model._meta.db_table)
        for converter in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
            value = converter(value, column, connection)
        converted.append(value)
    return model.from_db(connection.alias, [f.attname for f in fields], converted)


def render_stamp(municipality: Municipality, version: PlanVersion,
                 units: Iterable[Organisation] | None = None) -> tuple[Any, ...] | None:
    """What a version's public pages and PDF show, in a few values that change whenever it does: the key of
    their cached rendering (`varna.core.rendercache`). None for a draft, which is never cached.

    An approved or superseded version's levels, activities, sections and references are never edited (a
    change is a new version); what can still change is the version row itself (status, validity,
    decision; every write through the services moves `updated_at`), the plan's title and scope, the
    municipality's name and the names of the units responsible for its activities. A new thing shown on those
    pages must be added here, or its write must move the version's `updated_at`.

    `units`: the units whose names the piece shows, if the caller has read them already (the activity
    table's filter has); pass `()` for a piece that shows none (the overview). By default they are read.
    """
    if version.is_draft:
        return None
    plan = version.plan
    if plan.municipality_id != municipality.pk:
        raise Http404
    named = hashlib.sha256(repr(sorted(_unit_names(version) if units is None else [(o.pk, o.name) for o in units])
                                    ).encode()).hexdigest()[:16]
    return (version.pk, version.number, version.status, version.updated_at.isoformat(), version.lock_version,
            plan.pk, plan.slug, plan.title, plan.scope, municipality.pk, municipality.slug, municipality.name, named)


def _unit_names(version: PlanVersion) -> list[tuple[int, str]]:
    """(id, name) of the units responsible for an activity of `version`, in SQL for the hot path."""
    quote = connection.ops.quote_name
    through = Activity.responsible.through
    sql = (f"SELECT DISTINCT o.{quote('id')}, o.{quote('name')} FROM {quote(Organisation._meta.db_table)} o "  # noqa: S608
           f"JOIN {quote(through._meta.db_table)} r ON r.{quote('organisation_id')} = o.{quote('id')} "
           f"JOIN {quote(Activity._meta.db_table)} a ON a.{quote('id')} = r.{quote('activity_id')} "
           f"WHERE a.{quote('version_id')} = %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [version.pk])
        return [(pk, name) for pk, name in cursor.fetchall()]


def activities_of(version: PlanVersion) -> QuerySet[Activity]:
    return (version.activities.select_related("level")
            .prefetch_related(Prefetch("responsible", queryset=Organisation.objects.order_by("name")))
            .order_by("level__order", "order", "id"))


def levels_with_activities(version: PlanVersion) -> QuerySet[Level]:
    return version.levels.prefetch_related(
        Prefetch("activities", queryset=activities_of(version)), "references")


def responsible_organisations(version: PlanVersion) -> QuerySet[Organisation]:
    return Organisation.objects.filter(plan_activities__version=version).distinct().order_by("name")


def approved_activities_of(municipality: Municipality) -> QuerySet[Activity]:
    """Activities of every plan's approved version: what follow-up measures against."""
    return (Activity.objects.for_municipality(municipality)
            .filter(version__status=PlanVersion.Status.APPROVED)
            .select_related("level", "version__plan").prefetch_related("responsible"))


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
