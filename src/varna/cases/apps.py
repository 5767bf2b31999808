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
        from varna.cases.permissions import can_list_cases
        from varna.core.navigation import NavLink

        if not can_list_cases(request.user, municipality):
            return []
        return [NavLink(_("Cases"), reverse("cases:case_list", args=[municipality.slug]),
                        _("Coordination of individual cases in the expert group."), order=60)]

    def load_demo(self, municipality: Municipality, *, actor: object = None) -> str:
        from varna.cases import demo

        return demo.load(municipality, actor=actor)
