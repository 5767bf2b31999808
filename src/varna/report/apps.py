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


class ReportConfig(AppConfig):
    """The annual follow-up report. It reads from follow-up, meetings, training and implementation, so it is
    an app of its own: none of those may depend on it."""

    name = "varna.report"
    label = "report"
    verbose_name = gettext_lazy("Annual report")

    def navigation(self, request: HttpRequest, municipality: Municipality) -> list[NavLink]:
        from varna.core.navigation import NavLink
        from varna.report import permissions

        if not permissions.can_read_report(request.user, municipality):
            return []
        return [NavLink(_("Annual report"), reverse("report:annual_report", args=[municipality.slug]),
                        _("The year's follow-up for the steering group, with the self-assessment."), order=80)]

    def load_demo(self, municipality: Municipality, *, actor: object = SYSTEM) -> str:
        from varna.report import demo

        return demo.load(municipality)
