import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from varna.core.models import AuditEvent
from varna.plans import selectors, services
from varna.plans.guards import ImmutableVersionError
from varna.plans.models import Plan, PlanVersion


def council_decision() -> services.Decision:
    return services.Decision(body_kind="council", body="Kommunfullmäktige", date=timezone.localdate(),
                             paragraph="§ 7", registry_number="2026/0042")


def _activity_post(version: PlanVersion, **overrides: Any) -> dict[str, Any]:
    level = version.levels.get(key="prevent")
    data = {"lock_version": version.lock_version, "level": level.pk, "key": "prevent-new-thing",
            "direction": "Ny inriktning", "action": "Något nytt görs", "responsible_text": "Rektorer",
            "cadence_kind": "per_term", "cadence_count": 1, "when_text": "En gång per termin"}
    data.update(overrides)
    return data


def test_coordinator_edits_a_draft_and_steering_group_approves(
        verified_client: Any, demo_plan: Plan, alice: Any, sten: Any) -> None:
    client = verified_client(alice)
    assert client.post(f"/sollentuna/plans/{demo_plan.slug}/versions/new/").status_code == 302
    draft = demo_plan.versions.get(status="draft")
    base = f"/sollentuna/plans/{demo_plan.slug}/versions/{draft.number}/"
    response = client.post(base + "activities/new/", _activity_post(draft))
    assert response.status_code == 302, response.content
    draft.refresh_from_db()
    client.post(base + "activities/prevent-media-monitoring/delete/", {"confirm": "yes"})
    # The coordinator cannot approve when the steering group approves.
    assert client.get(base + "approve/").status_code == 403

    client.logout()
    client = verified_client(sten)
    starts = timezone.localdate() + dt.timedelta(days=20)
    response = client.post(base + "approve/", {"body_kind": "council", "body": "Kommunfullmäktige",
                                               "date": timezone.localdate().isoformat(), "paragraph": "§ 7",
                                               "registry_number": "2026/0042",
                                               "valid_from": starts.isoformat()})
    assert response.status_code == 302
    versions = {v.number: v.status for v in demo_plan.versions.all()}
    assert versions == {1: "superseded", 2: "approved"}
    # Version 1 stays in force until version 2 starts; the plan page says when that is.
    assert demo_plan.versions.get(number=1).valid_to == starts - dt.timedelta(days=1)
    assert selectors.version_in_force(demo_plan).number == 1
    page = client.get(f"/sollentuna/plans/{demo_plan.slug}/versions/2/").content.decode()
    assert f"Gäller från {starts.isoformat()}" in page
    assert AuditEvent.objects.filter(action="plans.version.approved", actor=sten).exists()

    compare = client.get(f"/sollentuna/plans/{demo_plan.slug}/compare/?from=1&to=2")
    changes = compare.context["changes"]
    assert [c.key for c in changes["added"]] == ["prevent-new-thing"]
    assert [c.key for c in changes["removed"]] == ["prevent-media-monitoring"]
    assert changes["changed"] == []


def test_a_backdated_approval_leaves_the_days_before_it_to_the_version_then_in_force(
        demo_plan: Plan, alice: Any, sten: Any) -> None:
    today = timezone.localdate()
    draft = services.version_create_draft(actor=alice, plan=demo_plan)
    services.version_approve(actor=sten, version=draft, decision=council_decision(),
                             valid_from=today - dt.timedelta(days=60))
    assert selectors.version_in_force(demo_plan, today - dt.timedelta(days=1)).number == 1
    assert selectors.version_in_force(demo_plan, today).number == 2
    assert demo_plan.versions.get(number=1).valid_to == today - dt.timedelta(days=1)


def test_coordinator_approves_when_the_plan_says_so(verified_client: Any, demo_plan: Plan, alice: Any) -> None:
    demo_plan.approval_role = "coordinator"
    demo_plan.save()
    draft = services.version_create_draft(actor=alice, plan=demo_plan)
    services.version_approve(actor=alice, version=draft, decision=council_decision())
    assert demo_plan.versions.get(status="approved").number == 2


def test_staff_cannot_edit_or_approve(client: Any, demo_plan: Plan, bob: Any, alice: Any) -> None:
    draft = services.version_create_draft(actor=alice, plan=demo_plan)
    client.force_login(bob)
    base = f"/sollentuna/plans/{demo_plan.slug}/versions/{draft.number}/"
    assert client.get(base + "edit/").status_code == 403
    assert client.post(base + "activities/new/", _activity_post(draft)).status_code == 403
    decision = {"body_kind": "council", "body": "x", "date": "2026-01-01"}
    assert client.post(base + "approve/", decision).status_code == 403
    with pytest.raises(services.PlanError):
        services.version_approve(actor=bob, version=draft, decision=council_decision())


def test_other_municipality_gets_404_for_drafts(verified_client: Any, demo_plan: Plan, alice: Any,
                                                 tove: Any) -> None:
    draft = services.version_create_draft(actor=alice, plan=demo_plan)
    client = verified_client(tove)
    assert client.get(f"/sollentuna/plans/{demo_plan.slug}/versions/{draft.number}/edit/").status_code == 404


def test_drafts_are_hidden_from_the_public(client: Any, demo_plan: Plan, alice: Any) -> None:
    draft = services.version_create_draft(actor=alice, plan=demo_plan)
    assert client.get(f"/sollentuna/plans/{demo_plan.slug}/versions/{draft.number}/").status_code == 404
    assert client.get(f"/sollentuna/plans/{demo_plan.slug}/versions/1/").status_code == 200


def test_approved_version_is_immutable(demo_plan: Plan, alice: Any) -> None:
    version = demo_plan.versions.get()
    activity = version.activities.first()
    activity.action = "Ändrat i efterhand"
    with pytest.raises(ImmutableVersionError), transaction.atomic():
        activity.save()
    with pytest.raises(ImmutableVersionError), transaction.atomic():
        activity.delete()
    version.decision_reference = "annat"
    with pytest.raises(ImmutableVersionError), transaction.atomic():
        version.save()
    with pytest.raises(services.PlanError):
        services.activity_delete(actor=alice, activity=activity)


def test_stale_editor_is_told_and_loses_nothing(verified_client: Any, demo_plan: Plan, alice: Any) -> None:
    draft = services.version_create_draft(actor=alice, plan=demo_plan)
    stale_lock = draft.lock_version
    level = draft.levels.get(key="prevent")
    services.level_save(actor=alice, level=level, name="Förebygga", introduction="Ny text",
                        expected_lock=stale_lock)
    client = verified_client(alice)
    base = f"/sollentuna/plans/{demo_plan.slug}/versions/{draft.number}/"
    response = client.post(base + "activities/new/", _activity_post(draft, lock_version=stale_lock,
                                                                      action="Min text som inte får försvinna"))
    assert response.status_code == 200
    assert "Min text som inte får försvinna" in response.content.decode()
    assert not draft.activities.filter(key="prevent-new-thing").exists()


def test_a_plan_without_activities_cannot_be_approved(alice: Any, sollentuna: Any) -> None:
    sollentuna.plan_approval_role = "coordinator"  # the default for a new plan
    sollentuna.save()
    plan = services.plan_create(actor=alice, municipality=sollentuna, title="Brottsförebyggande plan",
                                slug="bfp", level_set="crime-prevention-2023")
    draft = plan.versions.get()
    assert list(draft.levels.values_list("key", flat=True)) == ["situation", "measures", "follow_up"]
    with pytest.raises(services.PlanError):
        services.version_approve(actor=alice, version=draft, decision=council_decision())
