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


class PlansConfig(AppConfig):
    name = "varna.plans"
    label = "plans"
    verbose_name = gettext_lazy("Action plans")

    def ready(self) -> None:
        from varna.plans import guards  # noqa: F401  (connects the immutability guards)

    def navigation(self, request: HttpRequest, municipality: Municipality) -> list[NavLink]:
        from varna.core.navigation import NavLink

        return [NavLink(_("Action plan"), reverse("plans:plan_list", args=[municipality.slug]),
                        _("What the municipality has decided to do, who does it and when."), public=True, order=10)]

    def load_demo(self, municipality: Municipality, *, actor: object = None) -> str:
        from varna.plans import demo

        return demo.load(municipality, actor=actor)
