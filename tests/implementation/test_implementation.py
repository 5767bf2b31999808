"""Implementation rounds: approval starts a round; managers confirm, employees acknowledge; coverage per unit."""

import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from varna.core.models import AuditEvent, Organisation
from varna.followup.models import ActivityLog
from varna.implementation import demo, selectors, services
from varna.implementation.models import Round
from varna.plans import services as plan_services
from varna.plans.models import PlanVersion

URL = "/sollentuna/implementation/"


def _unit(municipality: Any, key: str) -> Organisation:
    return Organisation.objects.get(municipality=municipality, key=key)


def test_importing_an_approved_version_starts_a_round(demo_plan: Any, sollentuna: Any) -> None:
    round_ = selectors.current_round(sollentuna)
    assert round_ is not None
    assert round_.version.status == PlanVersion.Status.APPROVED
    assert AuditEvent.objects.filter(action="implementation.round.started").count() == 1


def test_approving_a_new_version_starts_a_new_round_and_asks_people(
        demo_plan: Any, sollentuna: Any, alice: Any, maria: Any, bob: Any,
        django_capture_on_commit_callbacks: Any) -> None:
    demo_plan.approval_role = "coordinator"
    demo_plan.save()
    first = selectors.current_round(sollentuna)
    services.unit_confirm(actor=maria, municipality=sollentuna, organisation=_unit(sollentuna, "buk"))
    draft = plan_services.version_create_draft(actor=alice, plan=demo_plan)
    with django_capture_on_commit_callbacks(execute=True):
        plan_services.version_approve(actor=alice, version=draft, decision=plan_services.Decision(
            body_kind="council", body="Kommunfullmäktige", date=timezone.localdate(), paragraph="§ 5"))
    second = selectors.current_round(sollentuna)
    assert second != first
    assert second.version == draft
    assert Round.objects.count() == 2
    assert {m.to[0] for m in mail.outbox} == {"maria@sollentuna.example", "bob@sollentuna.example"}
    # The new round starts from nothing: buk's confirmation belonged to the old version.
    assert selectors.confirmation_of(second, _unit(sollentuna, "buk")) is None


def test_manager_confirms_their_unit_and_fulfils_the_plan_activity(client: Any, demo_plan: Any, sollentuna: Any,
                                                                   maria: Any) -> None:
    client.force_login(maria)
    assert client.get(URL).status_code == 200
    response = client.post(URL + "confirm/", {"organisation": _unit(sollentuna, "buk").pk, "how": "På APT"})
    assert response.status_code == 302
    confirmation = selectors.confirmation_of(selectors.current_round(sollentuna), _unit(sollentuna, "buk"))
    assert confirmation.confirmed_by == maria
    assert confirmation.how == "På APT"
    log = ActivityLog.objects.get(source="implementation")
    assert (log.activity_key, log.organisation.key) == ("implement-managers", "buk")


def test_manager_may_not_confirm_another_unit(client: Any, demo_plan: Any, sollentuna: Any, maria: Any,
                                             bob: Any) -> None:
    client.force_login(maria)
    assert client.post(URL + "confirm/", {"organisation": _unit(sollentuna, "kfk").pk}).status_code == 403
    client.force_login(bob)
    assert client.post(URL + "confirm/", {"organisation": _unit(sollentuna, "buk").pk}).status_code == 403
    with pytest.raises(services.ImplementationPermissionError):
        services.unit_confirm(actor=bob, municipality=sollentuna, organisation=_unit(sollentuna, "buk"))


def test_employee_acknowledges_once_and_coverage_counts_it(client: Any, demo_plan: Any, sollentuna: Any, bob: Any,
                                                           maria: Any, make_person: Any) -> None:
    make_person("carl@sollentuna.example", "staff", sollentuna, unit="buk")
    client.force_login(bob)
    assert client.post(URL + "acknowledge/").status_code == 302
    assert client.post(URL + "acknowledge/").status_code == 302
    rows = {r.organisation.key: r for r in selectors.coverage(selectors.current_round(sollentuna))}
    assert (rows["buk"].employees, rows["buk"].acknowledged, rows["buk"].share) == (2, 1, 50)
    assert rows["buk"].confirmation is None
    assert rows["buk"].managers == [maria]
    assert AuditEvent.objects.filter(action="implementation.plan.acknowledged").count() == 1


def test_reminders_go_to_those_who_have_not_answered(demo_plan: Any, sollentuna: Any, bob: Any, maria: Any,
                                                     django_capture_on_commit_callbacks: Any) -> None:
    services.acknowledge(actor=bob, municipality=sollentuna)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_implementation_reminders", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [["maria@sollentuna.example"]]


def test_coverage_is_shown_to_the_coordinator_not_to_staff(client: Any, verified_client: Any, demo_plan: Any,
                                                           alice: Any, bob: Any, tove: Any) -> None:
    assert verified_client(alice).get(URL).context["coverage"] is not None
    client.force_login(bob)
    assert "coverage" not in client.get(URL).context
    assert verified_client(tove).get(URL).status_code == 404


def test_without_an_approved_plan_there_is_nothing_to_do(client: Any, bob: Any, sollentuna: Any) -> None:
    client.force_login(bob)
    assert client.get(URL).status_code == 200
    with pytest.raises(services.ImplementationError):
        services.acknowledge(actor=bob, municipality=sollentuna)


def test_demo_loads_once(demo_plan: Any, sollentuna: Any) -> None:
    from varna.core import demo as core_demo

    core_demo.load_municipality()
    assert demo.load(sollentuna) == "4 confirmations and acknowledgements added"
    assert demo.load(sollentuna) == "0 confirmations and acknowledgements added"
