"""Where a meeting's agenda comes from.

Each *agenda source* is a function ``(meeting) -> list[AgendaProposal]``, offered by an app's AppConfig
through the ``agenda_sources()`` hook, with the kinds of item it proposes in ``agenda_kinds()``
(`varna.core.plugins`). This app's own sources propose the open actions of earlier meetings and the plan
activities that are behind schedule; the situation picture ("since the last meeting", suppressed) and media
monitoring offer theirs, and this module does not need to change.
"""

from __future__ import annotations

from django.apps import apps
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from varna.core import plugins
from varna.core.plugins import AgendaProposal, AgendaSource
from varna.core.terms import Term
from varna.followup import selectors as followup_selectors
from varna.meetings.models import Action, AgendaItem, Meeting

__all__ = ["AgendaProposal", "AgendaSource", "kind_label", "kinds", "sources"]


def sources() -> list[AgendaSource]:
    """The meeting's own sources first (carried-over actions, then the plan), then other apps' in app order."""
    own = apps.get_app_config("meetings").agenda_sources()  # type: ignore[attr-defined]
    return own + [source for source in plugins.agenda_sources() if source not in own]


def kinds() -> dict[str, str | Promise]:
    """Every kind of agenda item the installed apps propose, key → label."""
    return plugins.agenda_kinds()


def kind_label(kind: str) -> str:
    """The kind's label; the key itself for items of an app no longer installed."""
    return str(kinds().get(kind, kind))


def open_actions(meeting: Meeting) -> list[AgendaProposal]:
    """Actions from earlier meetings that are not done: they carry over until they are."""
    actions = (Action.objects.filter(municipality=meeting.municipality, status__in=Action.OPEN_STATUSES,
                                     meeting__starts_at__lt=meeting.starts_at)
               .exclude(meeting=meeting).select_related("owner", "meeting").order_by("due_date", "id"))
    return [AgendaProposal(
        kind=AgendaItem.Kind.OPEN_ACTION, title=action.title, source_ref=f"action:{action.pk}",
        notes=_("Owner: %(owner)s. Due %(date)s. Status: %(status)s.") % {
            "owner": action.owner, "date": action.due_date.isoformat(), "status": action.get_status_display()})
        for action in actions]


def overdue_activities(meeting: Meeting) -> list[AgendaProposal]:
    """Plan activities behind schedule on the meeting day, one item per plan and activity naming the units.

    With several plans each item's title begins with its plan, so the two are never confused.
    """
    day = timezone.localtime(meeting.starts_at).date()
    term = Term.of(day)
    rows = followup_selectors.compliance(meeting.municipality, term, today=day)
    by_activity: dict[int, list[followup_selectors.ComplianceRow]] = {}
    for row in rows:
        if row.overdue:
            by_activity.setdefault(row.activity.pk, []).append(row)
    several = len({r.plan.pk for r in rows}) > 1
    proposals = []
    for behind in by_activity.values():
        activity, plan = behind[0].activity, behind[0].plan
        units = "; ".join(_("%(unit)s: %(done)s of %(expected)s") % {
            "unit": r.unit.name if r.unit else _("the whole municipality"), "done": r.done, "expected": r.expected}
            for r in behind)
        title = f"{activity.level.name}: {activity.direction}"
        proposals.append(AgendaProposal(
            kind=AgendaItem.Kind.OVERDUE_ACTIVITY, title=(f"{plan.title} – {title}" if several else title)[:300],
            source_ref=f"activity:{plan.pk}/{activity.key}", notes=f"{term.label}. {units}"))
    return proposals
