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
    from varna.plans.fulfilment import FulfilmentSource


class TrainingConfig(AppConfig):
    name = "varna.training"
    label = "training"
    verbose_name = gettext_lazy("Training")

    def fulfilment_sources(self) -> list[FulfilmentSource]:
        """A registered training fulfils the activities that name its topic (ADR 0012)."""
        from varna.plans.fulfilment import FulfilmentSource
        from varna.training.models import TrainingEvent

        return [FulfilmentSource("training", gettext_lazy("Training"), dict(TrainingEvent.Topic.choices))]

    def navigation(self, request: HttpRequest, municipality: Municipality) -> list[NavLink]:
        from varna.core.navigation import NavLink
        from varna.training import permissions

        if not permissions.can_view_training(request.user, municipality):
            return []
        return [NavLink(_("Training"), reverse("training:event_list", args=[municipality.slug]),
                        _("Training given, who came, and which units have been reached."), order=60)]

    def load_demo(self, municipality: Municipality, *, actor: object = SYSTEM) -> str:
        from varna.training import demo

        return demo.load(municipality)
