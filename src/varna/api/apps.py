from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.http import HttpRequest

    from varna.core.navigation import NavLink


class ApiConfig(AppConfig):
    name = "varna.api"
    label = "api"
    verbose_name = gettext_lazy("API")

    def account_links(self, request: HttpRequest) -> list[NavLink]:
        """Every logged-in user may keep API tokens (for the municipalities they have a role in)."""
        from varna.core.navigation import NavLink

        return [NavLink(_("API tokens"), reverse("api_account:tokens"),
                        _("Personal tokens that let a program read and log through Värna's API."), order=90)]
