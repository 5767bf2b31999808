"""ASVS V4.1.3/V4.2.1 on the service layer: every public write service refuses an actor without a role.

Views, the API, commands and jobs all call the same services, so the predicate inside the service is the
check that holds on every path (STYLE.md). The services are found by introspection: a new function in any
app's `services.py` is called here the moment it exists, and fails until it refuses a user who holds no
role, or is named below with the reason it needs no check. Every call must raise `PermissionDenied` (each
app's permission error derives from `core.permissions.NotPermitted`) and write nothing: not a row in the
audit log, not a row anywhere the service writes.

Two attackers: someone logged in with no role anywhere, and the coordinator of another municipality (who
may do everything at home, so a service that checks "is a coordinator" but not "of this municipality" fails).
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import override_settings

import varna

# Public functions that take no `actor`, each with why no person's permission is asked.
NO_ACTOR = {
    "api.token_used": "notes when a token was last used; the token itself was checked by the API's authentication",
    "cases.verify_step_up": "checks a code against the user's own device; writes nothing",
    "cases.compute_concern": "pure: the concern level a case's signs give",
    "cases.recompute_concern": "called by the case services after their own check",
    "cases.partner_participant_add": "takes `inviter`, checked by can_manage_case (tested with the partner flow)",
    "cases.referral_kinds_for": "pure: the referrals a case's age allows",
    "cases.is_municipal_staff": "a predicate",
    "cases.report_is_mandatory": "a predicate",
    "cases.referrals_remind": "scheduled job: reminders to the coordinator, no person asks for it",
    "cases.cases_due_for_purge": "a read: which closed cases are past their retention",
    "core.slug_for": "pure: a URL name from a name",
    "core.roles_needing_approval": "reads settings",
    "core.two_factor_verify": "a login step: the person is not logged in yet, the code is the check",
    "core.backup_codes_left": "a read of the user's own codes",
    "core.enrolment_check_send": "a login step: sends a code to the person's own address, rate-limited",
    "core.enrolment_check_verify": "a login step: the code is the check",
    "core.two_factor_enrol": "a login step: the code is the check",
    "core.invitation_path": "pure: the link in the mail",
    "core.invitation_accept": "public on purpose: the secret token in the invitation is the permission",
    "core.sessions_end_all": "the person's own sessions, on logout or a password change",
    "followup.reminders_send": "scheduled job",
    "followup.log_target": "a read: the activity and unit a program names by keys, before log_create checks",
    "guidance.stale_contacts_remind": "scheduled job",
    "guidance.stale_national_contacts_remind": "scheduled job: mails the platform administrators",
    "implementation.reminders_send": "scheduled job",
    "meetings.calendar_token_used": "notes when a calendar link was used; the secret token was the check",
    "monitoring.keywords_of": "a read",
    "monitoring.source_fetch": "scheduled job: fetches a feed the coordinator added",
    "monitoring.fetch_all": "scheduled job",
    "monitoring.address_problem_message": "pure: why an address is refused",
    "monitoring.keywords_problem": "pure: why keywords are refused",
    "monitoring.items_rescore": "called after keywords_save, which checks; and by the scheduled fetch",
    "monitoring.tag_problem": "pure: why a tag is refused",
    "passkeys.registration_options": "the person's own passkey challenge; writes nothing",
    "passkeys.authentication_options": "a login step: a challenge; writes nothing",
    "passkeys.passkey_authenticate": "a login step: the signed challenge is the check",
    "plans.plan_to_dict": "pure: a version as data",
    "plans.decision_check": "pure: validates a decision record",
    "plans.return_comment_check": "pure: validates the approver's comment",
    "plans.version_approve_as_operator": "the operator's command (no person in Värna); audited as such",
    "plans.revision_reminders_send": "scheduled job",
    "situation.date_problem": "pure: why a date is refused",
    "situation.guard": "pure: the personal-data guard",
    "situation.count_problem": "pure: why a count is refused",
    "situation.value_problems": "pure: why an observation's values are refused",
    "situation.observation_values": "a read: the values a program names by keys, before observation_create checks",
    "situation.rollup_rebuild": "the operator's maintenance command: recomputes a sum from stored rows",
    "situation.district_upsert": "the demo loader and the municipality's setup",
    "situation.survey_answer": "public on purpose: anyone with the survey's link answers it, anonymously",
    "sso.strings": "pure",
    "sso.refusal_record": "a login step: records a refused login",
    "sso.login_from_claims": "a login step: the identity provider's signed assertion is the check",
    "sso.mappable_roles": "reads settings",
    "sso.sp_key_ensure": "creates the service's own key for a provider the administrator set up",
    "sso.logout_refused": "a login step: records a refused logout",
    "sso.logout_from_idp": "the identity provider's signed logout request is the check",
}

# Public functions that take an `actor` but are meant for anyone, each with why.
PUBLIC: dict[str, str] = {
    "core.user_get_or_create": "the demo loader and the commands; a view never calls it",
    "core.municipality_get_or_create": "the demo loader; a view never calls it",
    "core.organisation_upsert": "the demo loader; a view never calls it",
    "core.backup_codes_create": "a person's own backup codes: being logged in is the permission",
    "core.session_end": "a person's own session (someone else's is a 404 in the selector first)",
    "passkeys.passkey_register": "a person's own passkey: being logged in is the permission",
    "passkeys.passkey_remove": "a person's own passkey (the selector finds only one's own)",
    "core.role_request_create": "anyone logged in may ask for a role; the administrator decides",
    "plans.list_exported": "records a download of an approved plan's activities, which are public; a draft is "
                           "found only by the selector for those who may see drafts",
    "plans.plan_list_exported": "records a download of the list of a plan's versions, which is public (as above)",
    "plans.plan_pdf_exported": "records a signed-in member's download of the public plan document",
}


def service_functions() -> Iterator[tuple[str, Callable[..., Any]]]:
    for info in pkgutil.iter_modules(varna.__path__):
        try:
            module = importlib.import_module(f"varna.{info.name}.services")
        except ModuleNotFoundError as exc:
            if exc.name != f"varna.{info.name}.services":
                raise
            continue
        for name, function in sorted(vars(module).items()):
            if not name.startswith("_") and inspect.isfunction(function) and function.__module__ == module.__name__:
                yield f"{info.name}.{name}", function


def test_every_public_service_is_checked_or_named_with_a_reason() -> None:
    found = dict(service_functions())
    assert found, "no services found"
    for name in found:
        takes_actor = "actor" in inspect.signature(found[name]).parameters
        assert takes_actor or name in NO_ACTOR, f"{name} takes no actor: give it one, or say in NO_ACTOR why not"
        assert not (takes_actor and name in NO_ACTOR), f"{name} takes an actor: remove it from NO_ACTOR"
    assert set(NO_ACTOR) | set(PUBLIC) <= set(found), sorted((set(NO_ACTOR) | set(PUBLIC)) - set(found))
    assert all(reason.strip() for reason in {**NO_ACTOR, **PUBLIC}.values())


# --- the world: the demo municipality with one of everything ---------------------------------------------

def _world() -> dict[str, Any]:
    from tests.security.test_authorization_matrix import build_people
    from varna.core.models import Municipality

    people = build_people()
    home = Municipality.objects.get(slug="sollentuna")
    first: Callable[..., Any] = lambda label, **lookup: (  # noqa: E731
        apps.get_model(label).objects.filter(**lookup).order_by("pk").first())
    mine = {"municipality": home}
    case = first("cases.Case", **mine)
    meeting = first("meetings.Meeting", **mine)
    version = first("plans.PlanVersion", plan__municipality=home, status="approved")
    world = {
        "municipality": home,
        "case": case,
        "participant": first("cases.Participant", case=case),
        "referral": first("cases.Referral", case=case),
        "item": first("monitoring.FeedItem", source__municipality=home),
        "meeting": meeting,
        "action": first("meetings.Action", meeting__municipality=home),
        "version": version,
        "plan": version.plan,
        "level": first("plans.Level", version=version),
        "activity": first("plans.Activity", version=version),
        "analysis": first("analysis.Analysis", **mine),
        "problem": first("analysis.ProblemStatement", analysis__municipality=home),
        "evidence": first("analysis.Evidence", problem__analysis__municipality=home),
        "indicator": first("analysis.Indicator", **mine),
        "duty": first("analysis.ReportingDuty", **mine),
        "link": first("analysis.ProblemActivity", problem__analysis__municipality=home),
        "contact": first("guidance.Contact", municipality=home) or first("guidance.Contact"),
        "organisation": first("core.Organisation", **mine),
        "group": first("core.Group", **mine),
        "member": first("core.GroupMembership", group__municipality=home),
        "membership": first("core.Membership", **mine),
        "role_request": first("core.RoleRequest", **mine),
        "invitation": first("core.Invitation", **mine),
        "user": people["staff"],
        "owner": people["coordinator"],
        "entry": first("knowledge.LexiconEntry", **mine),
        "sign": first("knowledge.Sign", **mine) or first("knowledge.Sign"),
        "observation": first("situation.Observation", **mine),
        "event": first("training.TrainingEvent", **mine),
        "log": first("followup.ActivityLog", **mine),
        "round_": first("implementation.Round", version__plan__municipality=home),
        "token": first("api.ApiToken", **mine),
        "provider": first("sso.IdentityProvider", **mine),
        "item_review": first("cases.AccessReviewItem", review__municipality=home),
        "agenda_item": first("meetings.AgendaItem", meeting=meeting),
        "legal_basis": first("cases.LegalBasis", **mine),
    }
    world.update(_what_the_demo_lacks(home, people, world))
    missing = sorted(name for name, value in world.items() if value is None)
    assert not missing, f"the world has no {missing}"
    # Kept as (model, pk) and fetched afresh for every call: a service that wrongly went ahead (and was rolled
    # back) may have changed the Python object, e.g. cleared its pk by deleting it.
    stored: dict[str, Any] = {name: (type(value), value.pk) for name, value in world.items()}
    stored["people"] = people
    return stored


def _what_the_demo_lacks(home: Any, people: dict[str, Any], world: dict[str, Any]) -> dict[str, Any]:
    from varna.analysis.models import ProblemActivity, ReportingDuty
    from varna.api import services as api_services
    from varna.core.models import RoleRequest

    coordinator = people["coordinator"]
    token = api_services.token_create(actor=coordinator, municipality=home, name="attacker's target")[0]
    return {
        "duty": ReportingDuty.objects.create(municipality=home, organisation=world["organisation"],
                                             rhythm="monthly", starts_on=dt.date(2026, 1, 1)),
        "link": ProblemActivity.objects.create(problem=world["problem"], plan=world["plan"],
                                               activity_key=world["activity"].key),
        "token": token,
        "role_request": RoleRequest.objects.create(municipality=home, user=people["staff"], role="working_group",
                                                   requested_by=people["administrator"]),
    }


def _source_for(app: str, home: Any) -> Any:
    label = {"monitoring": "monitoring.FeedSource", "analysis": "analysis.ExternalSource"}[app]
    model, pk = home
    found = apps.get_model(label).objects.filter(municipality_id=pk).order_by("pk").first()
    assert found is not None, f"the world has no {label}"
    return found


_DUMMIES: dict[str, Any] = {"str": "x", "int": 1, "bool": False, "dt.date": dt.date(2026, 1, 15),
                            "dt.datetime": dt.datetime(2026, 1, 15, 10, tzinfo=dt.UTC)}


def _argument(app: str, parameter: inspect.Parameter, world: dict[str, Any]) -> Any:
    name = parameter.name
    if name == "source" and app in ("monitoring", "analysis"):
        return _source_for(app, world["municipality"])
    name = {("cases", "item"): "item_review", ("meetings", "item"): "agenda_item"}.get((app, name), name)
    if name in world:
        model, pk = world[name]
        return model.objects.get(pk=pk)
    annotation = str(parameter.annotation)
    for key, value in _DUMMIES.items():
        if annotation.split(" ")[0] == key:
            return value
    if annotation.startswith(("dict", "Mapping")):
        return {}
    if annotation.startswith(("list", "Iterable", "tuple")):
        return []
    return "x"


def _kwargs(app: str, function: Callable[..., Any], actor: Any, world: dict[str, Any]) -> dict[str, Any]:
    kwargs = {}
    for parameter in inspect.signature(function).parameters.values():
        if parameter.name == "actor":
            kwargs["actor"] = actor
        elif parameter.default is inspect.Parameter.empty and parameter.kind is not parameter.VAR_KEYWORD:
            kwargs[parameter.name] = _argument(app, parameter, world)
    return kwargs


def _rows(app: str) -> dict[str, int]:
    """Rows of every model of the service's app and of core (the audit log, roles, groups)."""
    return {model._meta.label: model.objects.count() for model in apps.get_models()
            if model._meta.app_label in (app, "core") and not model._meta.proxy and model._meta.managed}


def _refuses(name: str, function: Callable[..., Any], actor: Any, world: dict[str, Any]) -> str | None:
    """None when the call raises PermissionDenied and changes no row; else what went wrong."""
    app = name.split(".")[0]
    before = _rows(app)
    with transaction.atomic():
        try:
            function(**_kwargs(app, function, actor, world))
            outcome = f"{name}: allowed"
        except PermissionDenied:
            # Counted before this block rolls back: a service that is not atomic and wrote before it checked
            # would show here.
            after = _rows(app)
            changed = {label: (before[label], after[label]) for label in before if before[label] != after[label]}
            outcome = f"{name}: refused but changed rows {changed}" if changed else ""
        except Exception as exc:  # noqa: BLE001 - any other outcome is the failure being reported
            outcome = f"{name}: raised {type(exc).__name__}: {str(exc)[:120]} (not PermissionDenied)"
        transaction.set_rollback(True)
    return outcome or None


@pytest.mark.django_db
@override_settings(VARNA_RATE_LIMITS_ENABLED=False)
def test_every_write_service_refuses_a_user_with_no_role_and_another_municipalitys_coordinator() -> None:
    from varna.core.models import Membership, User

    world = _world()
    nobody = User.objects.create_user(email="nobody@norrtalje.example", password="not-used", full_name="Nobody")
    outsider = world["people"]["other_coordinator"]
    assert not Membership.objects.filter(user=nobody).exists()
    failures = []
    with mock.patch("django.db.transaction.on_commit", return_value=None), \
            mock.patch("weasyprint.HTML.write_pdf", return_value=b"%PDF-1.7"):
        for name, function in service_functions():
            if name in NO_ACTOR or name in PUBLIC:
                continue
            for who, actor in (("no role", nobody), ("other municipality", outsider)):
                problem = _refuses(name, function, User.objects.get(pk=actor.pk), world)
                if problem:
                    failures.append(f"[{who}] {problem}")
    assert not failures, f"{len(failures)} services do not refuse:\n" + "\n".join(failures)
