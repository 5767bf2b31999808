from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from varna.core.actors import SYSTEM

if TYPE_CHECKING:
    from django.http import HttpRequest

    from varna.core.models import Municipality
    from varna.core.navigation import Attention, NavLink


class GuidanceConfig(AppConfig):
    name = "varna.guidance"
    label = "guidance"
    verbose_name = gettext_lazy("Where do I turn?")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from varna.core.models import Municipality
        from varna.guidance.catalogue import bump_version
        from varna.guidance.models import Contact, DirectorySettings
        from varna.knowledge.models import Sign

        # The stale age changes which contacts the public pages note, so the settings count as published data.
        for model in (Contact, DirectorySettings, Sign, Municipality):
            post_save.connect(bump_version, sender=model, dispatch_uid=f"guidance-catalogue-{model.__name__}-save")
            post_delete.connect(bump_version, sender=model,
                                dispatch_uid=f"guidance-catalogue-{model.__name__}-delete")

    def navigation(self, request: HttpRequest, municipality: Municipality) -> list[NavLink]:
        from varna.core.navigation import NavLink
        from varna.core.permissions import has_role
        from varna.guidance import selectors

        links = [NavLink(_("Where do I turn?"), reverse("guidance:wizard", args=[municipality.slug]),
                         _("Worried about someone? Answer a few questions and get the right contacts. "
                           "Nothing you answer is saved."), public=True, order=5)]
        if has_role(request.user, municipality, "coordinator"):
            # The same count as the start page's task: the municipality's own contacts (national ones are the
            # platform administrator's to check).
            stale = len(selectors.stale_contacts(municipality))
            label = _("Contact directory")
            if stale:
                label = ngettext("Contact directory (%(n)s needs checking)", "Contact directory (%(n)s need checking)",
                                 stale) % {"n": stale}
            links.append(NavLink(label, reverse("guidance:contact_review", args=[municipality.slug]),
                                 order=200, in_header=False))
        return links

    def account_links(self, request: HttpRequest) -> list[NavLink]:
        """The platform administrator's way to the national contact list, which belongs to no municipality."""
        from varna.core.navigation import NavLink
        from varna.guidance.permissions import is_platform_administrator

        if not is_platform_administrator(request.user):
            return []
        return [NavLink(_("National contacts"), reverse("guidance:national_contacts"),
                        _("The contacts every municipality's guide shows, kept once for all."), order=20)]

    def requires_two_factor(self, user: Any) -> bool:
        """Whoever keeps the national contact list changes every municipality's numbers: two factors."""
        from varna.guidance.permissions import needs_two_factor

        return needs_two_factor(user)

    def attention(self, request: HttpRequest, municipality: Municipality) -> list[Attention]:
        from varna.core.navigation import Attention
        from varna.core.permissions import has_role
        from varna.guidance import selectors

        if not has_role(request.user, municipality, "coordinator"):
            return []
        count = len(selectors.stale_contacts(municipality))
        return [Attention(ngettext("%(n)s contact in the directory needs checking",
                                   "%(n)s contacts in the directory need checking", count) % {"n": count},
                          reverse("guidance:contact_review", args=[municipality.slug]), count, order=10)]

    def municipality_created(self, municipality: Municipality, *, actor: object = SYSTEM) -> None:
        """A new installation's first municipality still gets the national contacts (loading is idempotent)."""
        from varna.guidance import demo

        demo.load_national(actor=actor)

    def load_demo(self, municipality: Municipality, *, actor: object = SYSTEM) -> str:
        from varna.guidance import demo

        return demo.load(municipality, actor=actor)
