from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.utils.functional import Promise

    from varna.core.models import Municipality
    from varna.core.navigation import Attention, NavLink
    from varna.core.plugins import AgendaSource
    from varna.plans.fulfilment import FulfilmentSource


class MeetingsConfig(AppConfig):
    name = "varna.meetings"
    label = "meetings"
    verbose_name = gettext_lazy("Meetings")

    def fulfilment_sources(self) -> list[FulfilmentSource]:
        """A held meeting of a group fulfils the activities that name the group's kind (ADR 0012)."""
        from varna.core.models import Group
        from varna.plans.fulfilment import FulfilmentSource

        return [FulfilmentSource("meeting", gettext_lazy("Held meeting"), dict(Group.Kind.choices))]

    def agenda_sources(self) -> list[AgendaSource]:
        from varna.meetings import agenda

        return [agenda.open_actions, agenda.overdue_activities]

    def agenda_kinds(self) -> dict[str, str | Promise]:
        from varna.meetings.models import AgendaItem

        return dict(AgendaItem.Kind.choices)

    def navigation(self, request: HttpRequest, municipality: Municipality) -> list[NavLink]:
        from varna.core.navigation import NavLink
        from varna.core.selectors import partner_group_ids
        from varna.meetings import permissions

        if not (permissions.can_view_meetings(request.user, municipality)
                or partner_group_ids(request.user, municipality)):
            return []
        return [NavLink(_("Meetings"), reverse("meetings:meeting_list", args=[municipality.slug]),
                        _("The working group's meetings: agenda, minutes, decisions and actions."), order=50)]

    def attention(self, request: HttpRequest, municipality: Municipality) -> list[Attention]:
        from varna.core.navigation import Attention
        from varna.meetings import permissions, selectors

        if not permissions.can_view_meetings(request.user, municipality):
            return []
        count = selectors.open_actions_of(municipality).count()
        items = [Attention(ngettext("%(n)s action from the meetings is open",
                                    "%(n)s actions from the meetings are open", count) % {"n": count},
                           reverse("meetings:action_list", args=[municipality.slug]), count, order=30)]
        if permissions.can_manage_meetings(request.user, municipality):
            # The agenda is built from the plan: two weeks ahead is when there is still time to change it.
            now = timezone.now()
            soon = selectors.meetings_upcoming(municipality, now=now).filter(
                status="planned", starts_at__lte=now + dt.timedelta(days=14))
            for meeting in soon[:3]:
                items.append(Attention(
                    _("Prepare the meeting on %(day)s: the agenda") % {
                        "day": formats.date_format(timezone.localtime(meeting.starts_at), "SHORT_DATE_FORMAT")},
                    reverse("meetings:meeting_detail", args=[municipality.slug, meeting.pk]), 1, order=25))
        return items

    def load_demo(self, municipality: Municipality, *, actor: object = None) -> str:
        from varna.meetings import demo

        return demo.load(municipality)
