"""The setup checklist: what a municipality has in place, read through each module's selectors.

Nothing is stored about the checklist itself: each step is done when the data it asks for exists, so the list is
always true, including for what was entered elsewhere (a plan imported from a file, a unit made by the import).
The required steps are the minimum for the public guide: until they are done, it shows only national contacts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from varna.core import selectors as core
from varna.core.models import Group, Municipality, Role
from varna.guidance import selectors as guidance
from varna.knowledge import selectors as knowledge
from varna.plans import selectors as plans
from varna.situation import selectors as situation


@dataclass(frozen=True)
class Step:
    key: str
    title: Promise
    what: Promise
    done: bool
    required: bool
    url: str
    status: str


def _url(name: str, municipality: Municipality) -> str:
    return reverse(name, kwargs={"municipality": municipality.slug})


def steps_for(municipality: Municipality) -> list[Step]:
    units = core.organisations_of(municipality)
    unit_count, counted = units.count(), units.filter(headcount__isnull=False).count()
    working = Group.objects.filter(municipality=municipality, kind=Group.Kind.WORKING, members__isnull=False)
    group_count = Group.objects.filter(municipality=municipality).count()
    coordinators = core.memberships_of(municipality).filter(role=Role.COORDINATOR).count()
    people = core.memberships_of(municipality).values("user").distinct().count()
    local = guidance.local_contact_count(municipality)
    routing = guidance.routing_of(municipality)
    districts = situation.districts_of(municipality).count()
    signs = knowledge.signs_of(municipality).count()
    has_definition = knowledge.definition_of(municipality) is not None
    plan_count = plans.plans_of(municipality).count()
    return [
        Step("units", _("Units and their staff"), _("The organisations and units that take part, with how many "
             "people work in each: training and implementation coverage are shares of that number."),
             counted > 0, True, _url("onboarding:units", municipality),
             ngettext("%(n)s unit", "%(n)s units", unit_count) % {"n": unit_count}
             + (" · " + ngettext("%(n)s with a headcount", "%(n)s with a headcount", counted) % {"n": counted})),
        Step("groups", _("Working, steering and expert groups"), _("The groups and who sits in them. The working "
             "group needs at least one member."), working.exists(), True, _url("onboarding:groups", municipality),
             ngettext("%(n)s group", "%(n)s groups", group_count) % {"n": group_count}),
        Step("people", _("People and roles"), _("Invite people by e-mail with their role. A coordinator is "
             "needed: the guide names the coordinator as a contact."), coordinators > 0, True,
             _url("onboarding:people", municipality),
             ngettext("%(n)s person with a role", "%(n)s people with a role", people) % {"n": people}),
        Step("contacts", _("Local contacts"), _("The municipality's own numbers for the guide: social services, "
             "the coordinator, and the others the routing names."), local > 0, True,
             _url("guidance:contact_review", municipality),
             ngettext("%(n)s local contact", "%(n)s local contacts", local) % {"n": local}),
        Step("knowledge", _("Signs and knowledge"), _("The signs the guide asks about, and the knowledge pages, "
             "from the template that ships with Värna; edit them afterwards."), signs > 0 and has_definition, True,
             _url("onboarding:knowledge", municipality),
             ngettext("%(n)s sign", "%(n)s signs", signs) % {"n": signs}),
        Step("routing", _("The guide's routing"), _("Which contacts the guide gives for what a worried person "
             "answers, starting from the national template, with a preview."), routing is not None, True,
             _url("onboarding:routing", municipality),
             str(_("Saved")) if routing is not None else str(_("Not saved yet"))),
        Step("districts", _("Districts"), _("The areas the situation picture places observations in, from the "
             "municipality's own list, and optionally a map."), districts > 0, False,
             _url("onboarding:districts", municipality),
             ngettext("%(n)s district", "%(n)s districts", districts) % {"n": districts}),
        Step("plan", _("The first plan"), _("Import the action plan from a file, or start from the example file."),
             plan_count > 0, False, _url("plans:plan_import", municipality),
             ngettext("%(n)s plan", "%(n)s plans", plan_count) % {"n": plan_count}),
    ]


def minimum_met(steps: list[Step]) -> bool:
    return all(step.done for step in steps if step.required)
