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
    from varna.core.navigation import Attention, NavLink


class PlansConfig(AppConfig):
    name = "varna.plans"
    label = "plans"
    verbose_name = gettext_lazy("Action plans")

    def ready(self) -> None:
        from varna.plans import guards  # noqa: F401  (connects the immutability guards)

    def navigation(self, request: HttpRequest, municipality: Municipality) -> list[NavLink]:
        from varna.core.navigation import NavLink

        return [NavLink(_("Action plan"), reverse("plans:plan_list", args=[municipality.slug]),
                        _("What the municipality has decided to do, who does it and when."), public=True, order=10)]

    def attention(self, request: HttpRequest, municipality: Municipality) -> list[Attention]:
        """For whoever records a plan's approval: each draft awaiting that decision. For the coordinator:
        each plan whose revision is due within two months, or overdue."""
        from varna.core.navigation import Attention
        from varna.plans import permissions, selectors

        items = []
        may_edit = permissions.can_edit_plan(request.user, municipality)
        for plan in selectors.plans_of(municipality).order_by("title", "pk"):
            draft = selectors.draft_version(plan)
            if draft is None:
                continue
            # The approver is asked once the editor has sent the draft; an approver who is also the editor
            # (a plan its coordinator approves) decides without sending it to themselves.
            if permissions.can_approve_plan(request.user, plan) and (draft.awaiting_approval or may_edit):
                items.append(Attention(
                    _("Decide on draft %(n)s of “%(title)s”") % {"n": draft.number, "title": plan.title},
                    reverse("plans:version_approve", args=[municipality.slug, plan.slug, draft.number]), 1, order=5))
            elif may_edit and draft.was_returned:
                items.append(Attention(
                    _("Draft %(n)s of “%(title)s” was returned: see the comment and send it again") % {
                        "n": draft.number, "title": plan.title},
                    reverse("plans:draft_edit", args=[municipality.slug, plan.slug, draft.number]), 1, order=5))
        if not may_edit:
            return items
        for revision in selectors.revisions_due(municipality):
            text = (_("Revision of “%(title)s” was due %(day)s") if revision.overdue
                    else _("Revision of “%(title)s” due %(day)s"))
            if revision.draft is not None:
                text += " " + _("(draft %(n)s under way)") % {"n": revision.draft.number}
            items.append(Attention(text % {"title": revision.plan.title, "day": revision.due_on.isoformat()},
                                   reverse("plans:version_list", args=[municipality.slug, revision.plan.slug]),
                                   1, order=15, status="overdue" if revision.overdue else "todo"))
        return items

    def load_demo(self, municipality: Municipality, *, actor: object = SYSTEM) -> str:
        from varna.plans import demo

        return demo.load(municipality, actor=actor)
