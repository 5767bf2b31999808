from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

if TYPE_CHECKING:
    from django.http import HttpRequest

    from varna.core.models import Municipality
    from varna.core.navigation import Attention, NavLink
    from varna.core.plugins import SectionSource


class CasesConfig(AppConfig):
    name = "varna.cases"
    label = "cases"
    verbose_name = gettext_lazy("Cases")

    def ready(self) -> None:
        from varna.cases import partners  # noqa: F401  (adds a partner who accepts an invitation to a case)

    def report_sections(self) -> list[SectionSource]:
        from varna.cases import report

        return [report.statistics_section]

    def requires_two_factor(self, user: Any) -> bool:
        """Everyone taking part in a case logs in with two factors, whatever their role."""
        from varna.cases.permissions import is_case_participant

        return is_case_participant(user)

    def navigation(self, request: HttpRequest, municipality: Municipality) -> list[NavLink]:
        from varna.cases.permissions import can_list_cases, can_see_statistics
        from varna.core.navigation import NavLink

        links = []
        if can_list_cases(request.user, municipality):
            links.append(NavLink(_("Cases"), reverse("cases:case_list", args=[municipality.slug]),
                                 _("Coordination of individual cases in the expert group."), order=60))
        if can_see_statistics(request.user, municipality):
            links.append(NavLink(_("Case statistics"), reverse("cases:statistics", args=[municipality.slug]),
                                 _("Numbers of cases for the annual report, small numbers hidden."), order=65,
                                 in_header=False))
        return links

    def attention(self, request: HttpRequest, municipality: Municipality) -> list[Attention]:
        from varna.cases import selectors
        from varna.cases.permissions import can_list_cases
        from varna.core.navigation import Attention

        if not can_list_cases(request.user, municipality):
            return []
        count = selectors.referrals_awaiting_answer_count(request.user, municipality)
        return [Attention(ngettext("%(n)s referral is awaiting an answer", "%(n)s referrals are awaiting an answer",
                                   count) % {"n": count},
                          reverse("cases:case_list", args=[municipality.slug]), count, order=40)]

    def load_demo(self, municipality: Municipality, *, actor: object = None) -> str:
        from varna.cases import demo

        return demo.load(municipality, actor=actor)
