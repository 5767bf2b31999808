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


class SsoConfig(AppConfig):
    name = "varna.sso"
    label = "sso"
    verbose_name = gettext_lazy("Single sign-on")

    def navigation(self, request: HttpRequest, municipality: Municipality) -> list[NavLink]:
        from varna.core.navigation import NavLink
        from varna.sso.permissions import can_manage_identity_providers

        if not can_manage_identity_providers(request.user, municipality):
            return []
        return [NavLink(_("Identity providers"), reverse("sso:provider_list", args=[municipality.slug]),
                        order=905, in_header=False)]

    def login_options(self, request: HttpRequest) -> list[dict[str, str]]:
        """Buttons on the login page: each enabled identity provider, under its municipality's name."""
        from varna.sso.selectors import enabled_providers

        return [{"label": _("%(provider)s (%(municipality)s)") % {"provider": provider.name,
                                                                 "municipality": provider.municipality.name},
                 "url": reverse("sso:begin", args=[provider.municipality.slug, provider.slug])}
                for provider in enabled_providers()]
