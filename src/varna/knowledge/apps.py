from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varna.core.actors import SYSTEM

if TYPE_CHECKING:
    from django.http import HttpRequest

    from varna.core.models import Municipality
    from varna.core.navigation import NavLink


class KnowledgeConfig(AppConfig):
    name = "varna.knowledge"
    label = "knowledge"
    verbose_name = gettext_lazy("Knowledge")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from varna.core.models import Municipality

        post_save.connect(_install_vocabulary, sender=Municipality, dispatch_uid="knowledge.vocabulary.install")

    def navigation(self, request: HttpRequest, municipality: Municipality) -> list[NavLink]:
        from varna.core.navigation import NavLink

        return [NavLink(_("Knowledge"), reverse("knowledge:index", args=[municipality.slug]),
                        _("Warning signs, milieus, paths in, push and pull factors, and a lexicon of symbols."),
                        public=True, order=30)]

    def load_demo(self, municipality: Municipality, *, actor: object = SYSTEM) -> str:
        from varna.knowledge import demo

        return demo.load(municipality, actor=actor)


def _install_vocabulary(sender: object, instance: Municipality, created: bool, raw: bool = False,
                        **kwargs: object) -> None:
    """A new municipality starts with the national template's vocabulary, so it can record observations at
    once; its coordinator then edits the lists (ADR 0018). Not for fixtures being loaded (`raw`)."""
    if created and not raw:
        from django.conf import settings

        from varna.knowledge import services

        services.vocabulary_install(actor=SYSTEM, municipality=instance, edition=settings.VARNA_VOCABULARY_EDITION)
