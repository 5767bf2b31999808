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


class GuidanceConfig(AppConfig):
    name = "varna.guidance"
    label = "guidance"
    verbose_name = gettext_lazy("Where do I turn?")

    def navigation(self, request: HttpRequest, municipality: Municipality) -> list[NavLink]:
        from varna.core.navigation import NavLink
        from varna.core.permissions import has_role

        links = [NavLink(_("Where do I turn?"), reverse("guidance:wizard", args=[municipality.slug]),
                         _("Worried about someone? Answer a few questions and get the right contacts. "
                           "Nothing you answer is saved."), public=True, order=5)]
        if has_role(request.user, municipality, "coordinator"):
            links.append(NavLink(_("Contact directory"), reverse("guidance:contact_review", args=[municipality.slug]),
                                 order=200, in_header=False))
        return links

    def load_demo(self, municipality: Municipality, *, actor: object = None) -> str:
        from varna.guidance import demo

        return demo.load(municipality, actor=actor)
