"""Reads for plans. Every function takes the municipality and never crosses it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from varna.core.models import Municipality, Organisation
from varna.core.selectors import scoped
from varna.plans import validity
from varna.plans.models import Activity, Level, Plan, PlanVersion


def plans_of(municipality: Municipality) -> QuerySet[Plan]:
    return scoped(Plan.objects.all(), municipality)


def plan_get(municipality: Municipality, slug: str) -> Plan:
    plan = plans_of(municipality).filter(slug=slug).first()
    if plan is None:
        raise Http404
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
    in_force = version_in_force(plan, day)
    if in_force is not None:
        return in_force
    upcoming = upcoming_version(plan, day)
    return upcoming[0] if upcoming else None


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


def activities_of(version: PlanVersion) -> QuerySet[Activity]:
    return (version.activities.select_related("level")
            .prefetch_related(Prefetch("responsible", queryset=Organisation.objects.order_by("name")), "fulfilled_by")
            .order_by("level__order", "order", "id"))


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
