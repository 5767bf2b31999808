"""The plan's lists (its versions, a version's activities) as cells: one definition for the page and both files."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varna.core.exports import Column, Table, table_of
from varna.plans.forms import cadence_label
from varna.plans.models import Activity, PlanVersion


def _version_link(version: PlanVersion) -> str:
    plan = version.plan
    name = "plans:draft_edit" if version.is_draft else "plans:version_overview"
    return reverse(name, kwargs={"municipality": plan.municipality.slug, "plan": plan.slug, "number": version.number})


def _recorded(version: PlanVersion) -> str:
    if version.approved_at is None:
        return "–"
    day = timezone.localdate(version.approved_at).isoformat()
    return f"{day}, {version.approved_by}" if version.approved_by else day


def _valid(version: PlanVersion) -> str:
    span = version.span
    if span is None:
        return "–"
    start = span.start.isoformat()
    return f"{start} – {span.end.isoformat()}" if span.end else start


VERSION_COLUMNS: list[Column[PlanVersion]] = [
    Column(gettext_lazy("Version"), lambda v: v.number, link=_version_link),
    Column(gettext_lazy("Status"), lambda v: v.get_status_display()),
    Column(gettext_lazy("Decision"), lambda v: (v.decision_text if not v.is_draft else "") or "–", lang="sv"),
    Column(gettext_lazy("Valid"), _valid),
    # Who entered the approval, and when: apart from the decision itself.
    Column(gettext_lazy("Recorded in Värna"), _recorded),
]


def version_table(versions: Iterable[PlanVersion], *, heading: list[str] | None = None) -> Table:
    return table_of(VERSION_COLUMNS, versions, title=_("All versions of the plan, newest first"),
                    heading=heading or [])


# The plan's own words are Swedish whatever the interface language; the cadence is the interface's.
ACTIVITY_COLUMNS: list[Column[Activity]] = [
    Column(gettext_lazy("Level"), lambda a: a.level.name, lang="sv"),
    Column(gettext_lazy("Direction of work"), lambda a: a.direction, lang="sv"),
    Column(gettext_lazy("What is done"), lambda a: a.action, lang="sv"),
    Column(gettext_lazy("Who is responsible"), lambda a: a.responsible_text, lang="sv"),
    Column(gettext_lazy("Responsible units"), lambda a: ", ".join(o.name for o in a.responsible.all()), lang="sv"),
    Column(gettext_lazy("When"), lambda a: a.when_text, lang="sv"),
    Column(gettext_lazy("How often"), lambda a: cadence_label(a.cadence_kind, a.cadence_count)),
]


def activity_table(activities: Iterable[Activity], *, heading: list[str] | None = None) -> Table:
    return table_of(ACTIVITY_COLUMNS, activities, title=_("Activities of the plan"), heading=heading or [])
