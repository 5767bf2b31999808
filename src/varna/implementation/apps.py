from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.http import HttpRequest

    from varna.core.models import Municipality
    from varna.core.navigation import Attention, NavLink
    from varna.plans.fulfilment import FulfilmentSource


class ImplementationConfig(AppConfig):
    name = "varna.implementation"
    label = "implementation"
    verbose_name = gettext_lazy("Implementation")

    def fulfilment_sources(self) -> list[FulfilmentSource]:
        """A manager's confirmation in a version's round fulfils that version's activities that name it."""
        from varna.plans.fulfilment import FulfilmentSource

        return [FulfilmentSource("implementation", gettext_lazy("Implementation"), {
            "managers": gettext_lazy("a manager confirms that the unit knows the plan")})]

    def plan_version_approved(self, version: Any) -> None:
        """Approving a plan version starts its implementation round (plans call this hook; they import no app)."""
        from varna.implementation import services

        services.round_start(version=version)

    def navigation(self, request: HttpRequest, municipality: Municipality) -> list[NavLink]:
        from varna.core.navigation import NavLink
        from varna.core.permissions import is_member

        if not is_member(request.user, municipality):
            return []
        return [NavLink(_("Implementation"), reverse("implementation:overview", args=[municipality.slug]),
                        _("Managers confirm that their unit knows the plan; employees acknowledge it."), order=70)]

    def attention(self, request: HttpRequest, municipality: Municipality) -> list[Attention]:
        """An employee who has not acknowledged the plan in force; a manager whose unit is not confirmed."""
        from varna.core.navigation import Attention
        from varna.implementation import selectors

        if not request.user.is_authenticated:
            return []
        url = reverse("implementation:overview", args=[municipality.slug])
        items = []
        employee = selectors.is_employee(municipality, request.user)
        units = selectors.managed_units(municipality, request.user)
        for round_ in selectors.current_rounds(municipality):
            title = round_.version.plan.title
            if employee and selectors.acknowledgement_of(round_, request.user) is None:
                items.append(Attention(_("Read and acknowledge “%(title)s”") % {"title": title},
                                       f"{url}?round={round_.pk}", 1, order=8))
            for unit in units:
                if selectors.confirmation_of(round_, unit) is None:
                    items.append(Attention(_("Confirm that %(unit)s knows “%(title)s”") % {
                        "unit": unit.name, "title": title}, f"{url}?round={round_.pk}", 1, order=9))
        return items

    def load_demo(self, municipality: Municipality, *, actor: object = None) -> str:
        from varna.implementation import demo

        return demo.load(municipality)
