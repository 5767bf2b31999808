"""Writes of the setup checklist. Each step's data belongs to its module, so these call that module's services
(which check permissions and audit); what is the checklist's own is publishing the guide."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from varna.core import services as core
from varna.core.models import Municipality
from varna.core.permissions import NotPermitted, can_set_up
from varna.onboarding import checklist


class OnboardingError(Exception):
    pass


class OnboardingPermissionError(OnboardingError, NotPermitted):
    """Refused by a permission predicate (a 403 wherever it is not turned into a message)."""


@transaction.atomic
def guide_publish(*, actor: Any, municipality: Municipality) -> None:
    """Let the public guide give the municipality's own contacts and routes, once the checklist's minimum is
    there (refused before)."""
    if not can_set_up(actor, municipality):
        raise OnboardingPermissionError(_("Only the municipality's administrator or coordinator publishes the guide."))
    steps = checklist.steps_for(municipality)
    if not checklist.minimum_met(steps):
        missing = ", ".join(str(step.title) for step in steps if step.required and not step.done)
        raise OnboardingError(_("The guide can be published once these are done: %(steps)s") % {"steps": missing})
    core.municipality_guide_publish(actor=actor, municipality=municipality)


@transaction.atomic
def knowledge_template_load(*, actor: Any, municipality: Municipality, edition: str) -> dict[str, int]:
    """Install one edition of the national vocabulary (categories, milieus, signs) and the knowledge template
    that ships with Värna into the municipality; what it already has, edited or retired, is kept."""
    from varna.knowledge import selectors as knowledge
    from varna.knowledge import services as knowledge_services

    if not can_set_up(actor, municipality):
        raise OnboardingPermissionError(_("Only the municipality's administrator or coordinator loads the template."))
    try:
        counts = knowledge_services.vocabulary_install(actor=actor, municipality=municipality, edition=edition)
    except knowledge_services.KnowledgeError as exc:
        raise OnboardingError(str(exc)) from exc
    loaded = knowledge_services.content_load(actor=actor, municipality=municipality, data=knowledge.content_template())
    return {name: counts.get(name, 0) + loaded.get(name, 0) for name in {*counts, *loaded}}
