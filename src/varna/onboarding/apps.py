from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.http import HttpRequest

    from varna.core.models import Municipality
    from varna.core.navigation import Attention, NavLink


class OnboardingConfig(AppConfig):
    name = "varna.onboarding"
    label = "onboarding"
    verbose_name = gettext_lazy("Setting up a municipality")

    def navigation(self, request: HttpRequest, municipality: Municipality) -> list[NavLink]:
        from varna.core.navigation import NavLink
        from varna.core.permissions import can_set_up

        if not can_set_up(request.user, municipality):
            return []
        return [NavLink(_("Setup"), reverse("onboarding:checklist", args=[municipality.slug]),
                        _("Units, groups, people, contacts, the guide's routing, districts and the first plan."),
                        order=190, in_header=municipality.in_setup)]

    def attention(self, request: HttpRequest, municipality: Municipality) -> list[Attention]:
        from varna.core.navigation import Attention
        from varna.core.permissions import can_set_up
        from varna.onboarding import checklist

        if not municipality.in_setup or not can_set_up(request.user, municipality):
            return []
        left = sum(1 for step in checklist.steps_for(municipality) if step.required and not step.done)
        return [Attention(_("Steps left before the guide can be published"),
                          reverse("onboarding:checklist", args=[municipality.slug]), max(left, 1), order=1)]
