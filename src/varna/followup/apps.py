from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from varna.core.actors import SYSTEM

if TYPE_CHECKING:
    from django.http import HttpRequest

    from varna.core.models import Municipality
    from varna.core.navigation import Attention, NavLink


class FollowupConfig(AppConfig):
    name = "varna.followup"
    label = "followup"
    verbose_name = gettext_lazy("Follow-up")

    def navigation(self, request: HttpRequest, municipality: Municipality) -> list[NavLink]:
        from varna.core.navigation import NavLink
        from varna.followup import permissions

        if not permissions.can_view_followup(request.user, municipality):
            return []
        return [NavLink(_("Follow-up"), reverse("followup:dashboard", args=[municipality.slug]),
                        _("What the plan expects this term, and what has been done."), order=40)]

    def attention(self, request: HttpRequest, municipality: Municipality) -> list[Attention]:
        from varna.core.navigation import Attention
        from varna.followup import permissions, selectors

        if not permissions.can_view_followup(request.user, municipality):
            return []
        count = len(selectors.overdue_activities(municipality))
        return [Attention(ngettext("%(n)s plan activity is behind schedule this term",
                                   "%(n)s plan activities are behind schedule this term", count) % {"n": count},
                          reverse("followup:dashboard", args=[municipality.slug]), count, order=20,
                          status="overdue")]

    def load_demo(self, municipality: Municipality, *, actor: object = SYSTEM) -> str:
        from varna.followup import demo

        return demo.load(municipality)
