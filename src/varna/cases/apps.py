from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.http import HttpRequest

    from varna.core.models import Municipality
    from varna.core.navigation import NavLink


class CasesConfig(AppConfig):
    name = "varna.cases"
    label = "cases"
    verbose_name = gettext_lazy("Cases")

    def navigation(self, request: HttpRequest, municipality: Municipality) -> list[NavLink]:
        from varna.cases.permissions import can_list_cases, can_see_statistics
        from varna.core.navigation import NavLink

        links = []
        if can_list_cases(request.user, municipality):
            links.append(NavLink(_("Cases"), reverse("cases:case_list", args=[municipality.slug]),
                                 _("Coordination of individual cases in the expert group."), order=60))
        if can_see_statistics(request.user, municipality):
            links.append(NavLink(_("Case statistics"), reverse("cases:statistics", args=[municipality.slug]),
                                 _("Numbers of cases for the annual report, small numbers hidden."), order=65,
                                 in_header=False))
        return links

    def load_demo(self, municipality: Municipality, *, actor: object = None) -> str:
        from varna.cases import demo

        return demo.load(municipality, actor=actor)
