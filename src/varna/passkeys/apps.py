from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.http import HttpRequest

    from varna.core.navigation import NavLink


class PasskeysConfig(AppConfig):
    name = "varna.passkeys"
    label = "passkeys"
    verbose_name = gettext_lazy("Passkeys")

    def account_links(self, request: HttpRequest) -> list[NavLink]:
        from varna.core.navigation import NavLink

        return [NavLink(_("Passkeys"), reverse("passkeys:list"),
                        _("A security key or your phone's screen lock instead of a code."), order=85)]

    def second_factor_options(self, request: HttpRequest, user: Any) -> list[dict[str, str]]:
        """On the two-factor page: log in with a passkey, for someone who has one."""
        from varna.passkeys.selectors import passkeys_of

        if not passkeys_of(user).exists():
            return []
        return [{"label": _("Use a passkey instead"), "url": reverse("passkeys:authenticate")}]
