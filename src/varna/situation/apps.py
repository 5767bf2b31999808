from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.utils.functional import Promise

    from varna.core.models import Municipality
    from varna.core.navigation import NavLink
    from varna.core.plugins import AgendaSource, SectionSource


class SituationConfig(AppConfig):
    name = "varna.situation"
    label = "situation"
    verbose_name = gettext_lazy("Situation picture")

    def agenda_sources(self) -> list[AgendaSource]:
        from varna.situation import agenda

        return [agenda.since_last_meeting]

    def agenda_kinds(self) -> dict[str, str | Promise]:
        from varna.situation import agenda

        return {agenda.KIND: gettext_lazy("Situation picture")}

    def report_sections(self) -> list[SectionSource]:
        from varna.situation import report

        return [report.year_section]

    def navigation(self, request: HttpRequest, municipality: Municipality) -> list[NavLink]:
        from varna.core.navigation import NavLink
        from varna.situation import permissions

        links = []
        if permissions.can_view_dashboard(request.user, municipality):
            links.append(NavLink(_("Situation picture"), reverse("situation:dashboard", args=[municipality.slug]),
                                 _("What is happening where, in which milieu and among whom."), order=20))
        elif permissions.can_report(request.user, municipality):
            links.append(NavLink(_("Report an observation"),
                                 reverse("situation:observation_create", args=[municipality.slug]),
                                 _("Tell the working group what you have seen, without names."), order=20))
        return links

    def load_demo(self, municipality: Municipality, *, actor: object = None) -> str:
        from varna.situation import demo

        return demo.load(municipality)
