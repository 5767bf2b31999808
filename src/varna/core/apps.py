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


class CoreConfig(AppConfig):
    name = "varna.core"
    label = "core"
    verbose_name = gettext_lazy("Core")

    def ready(self) -> None:
        from varna.core import plugins, signals  # noqa: F401  (the plug-in check; the login audit receivers)

    def navigation(self, request: HttpRequest, municipality: Municipality) -> list[NavLink]:
        from varna.core.navigation import NavLink
        from varna.core.permissions import has_role

        links = []
        if has_role(request.user, municipality, "administrator"):
            links.append(NavLink(_("People and roles"), reverse("core:people", args=[municipality.slug]),
                                 order=900, in_header=False))
        if has_role(request.user, municipality, "administrator", "coordinator"):
            links.append(NavLink(_("Audit log"), reverse("core:audit_log", args=[municipality.slug]),
                                 order=910, in_header=False))
        if request.user.is_authenticated:
            links.append(NavLink(_("Your sessions"), reverse("core:sessions"), order=920, in_header=False))
            links.append(NavLink(_("Login and security"), reverse("core:account_security"), order=925,
                                 in_header=False))
        return links

    def account_links(self, request: HttpRequest) -> list[NavLink]:
        from varna.core.navigation import NavLink

        return [NavLink(_("Login and security"), reverse("core:account_security"),
                        _("Your authenticator app and backup codes."), order=80)]
