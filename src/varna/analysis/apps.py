from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.http import HttpRequest

    from varna.core.models import Municipality
    from varna.core.navigation import NavLink
    from varna.core.plugins import SectionSource


class AnalysisConfig(AppConfig):
    """The analysis step of SFS 2023:196's cycle: problem statements with evidence, the measures that answer
    them and indicators per term. It reads the situation picture, plans and follow-up through their
    selectors; none of them depends on it (plans asks for the thread through `plan_thread`)."""

    name = "varna.analysis"
    label = "analysis"
    verbose_name = gettext_lazy("Analysis")

    def navigation(self, request: HttpRequest, municipality: Municipality) -> list[NavLink]:
        from varna.analysis import permissions
        from varna.core.navigation import NavLink

        if not permissions.can_read_analysis(request.user, municipality):
            return []
        return [NavLink(_("Analysis"), reverse("analysis:analysis_list", args=[municipality.slug]),
                        _("The problems the situation picture shows, the measures that answer them, and "
                          "whether it got better."), order=25)]

    def report_sections(self) -> list[SectionSource]:
        from varna.analysis import report

        return [report.indicators_section]

    def plan_thread(self, version: Any, *, approved_only: bool) -> Any:
        """The plans app's hook: which problems each activity of `version` addresses; None while the
        municipality has written no problem statement (then there is no thread to show)."""
        from varna.analysis import selectors

        if not selectors.has_problems(version.plan.municipality, approved_only=approved_only):
            return None
        return selectors.plan_thread(version, approved_only=approved_only)

    def load_demo(self, municipality: Municipality, *, actor: object = None) -> str:
        from varna.analysis import demo

        return demo.load(municipality)
