from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.utils.functional import Promise

    from varna.core.models import Municipality
    from varna.core.navigation import Attention, NavLink
    from varna.core.plugins import AgendaSource


class MonitoringConfig(AppConfig):
    name = "varna.monitoring"
    label = "monitoring"
    verbose_name = gettext_lazy("Media monitoring")

    def agenda_sources(self) -> list[AgendaSource]:
        from varna.monitoring import agenda

        return [agenda.new_relevant_items]

    def agenda_kinds(self) -> dict[str, str | Promise]:
        from varna.monitoring import agenda

        return {agenda.KIND: gettext_lazy("Media monitoring")}

    def navigation(self, request: HttpRequest, municipality: Municipality) -> list[NavLink]:
        from varna.core.navigation import NavLink
        from varna.monitoring import permissions

        if not permissions.can_view_monitoring(request.user, municipality):
            return []
        return [NavLink(_("Media monitoring"), reverse("monitoring:item_list", args=[municipality.slug]),
                        _("News from the feeds the municipality follows, matched against keywords per milieu."),
                        order=55)]

    def attention(self, request: HttpRequest, municipality: Municipality) -> list[Attention]:
        from varna.core.navigation import Attention
        from varna.monitoring import permissions, selectors

        # The coordinator sees to it that new relevant items are handled; the others see them in the list.
        if not permissions.can_manage_sources(request.user, municipality):
            return []
        count = selectors.new_relevant_items(municipality).count()
        url = reverse("monitoring:item_list", args=[municipality.slug]) + "?relevance=relevant&status=new"
        return [Attention(ngettext("%(n)s new relevant news item", "%(n)s new relevant news items", count)
                          % {"n": count}, url, count, order=35)]

    def load_demo(self, municipality: Municipality, *, actor: object = None) -> str:
        from varna.monitoring import demo

        return demo.load(municipality)
