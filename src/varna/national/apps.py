from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.http import HttpRequest

    from varna.core.navigation import NavLink


class NationalConfig(AppConfig):
    name = "varna.national"
    label = "national"
    verbose_name = gettext_lazy("National view")

    def account_links(self, request: HttpRequest) -> list[NavLink]:
        """The national analyst has no municipality: this is their way in."""
        from varna.core.navigation import NavLink
        from varna.core.permissions import is_national_analyst

        if not is_national_analyst(request.user):
            return []
        return [NavLink(_("National view"), reverse("national:overview"),
                        _("Suppressed figures and a map across the municipalities that share them."), order=10)]
