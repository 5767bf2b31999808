"""The yearly revision: a plan carries a review interval, the coordinator is told when it is due, and a new
version starts from the one in force in one action."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from tests.plans import timeline
from tests.plans.timeline import Row
from varna.core.models import AuditEvent
from varna.plans import selectors, services

LEVELS = [("prevent", "Förebygga"), ("hinder", "Förhindra")]


def _strategy(taby: Any, *, adopted_on: dt.date, months: int | None = 12) -> Any:
    plan = timeline.plan(taby, "strategi", "Strategi mot våldsbejakande extremism")
    plan.review_interval_months = months
    plan.save()
    timeline.version(plan, 1, levels=LEVELS, rows=[Row("prevent-talks", "prevent", "per_term(2)", ["skolor"])],
                     valid_from=adopted_on, adopted_on=adopted_on)
    return plan


def _attention(html: str) -> list[str]:
    match = re.search(r'<ul [^>]*id="attention"[^>]*>(.*?)</ul>', html, re.S)
    return [re.sub(r"\s+", " ", i).strip() for i in re.findall(r"<a [^>]*>(.*?)</a>", match.group(1), re.S)] \
        if match else []


def test_a_revision_is_due_a_year_after_the_adoption_of_the_version_in_force(taby: Any) -> None:
    plan = _strategy(taby, adopted_on=dt.date(2025, 12, 20))
    revision = selectors.revision_of(plan, dt.date(2026, 11, 1))
    assert revision is not None
    assert revision.due_on == dt.date(2026, 12, 20)
    assert revision.soon
    assert not revision.overdue
    assert not selectors.revision_of(plan, dt.date(2026, 9, 1)).soon  # more than two months ahead
    assert selectors.revision_of(plan, dt.date(2027, 1, 5)).overdue
    plan.review_interval_months = None
    plan.save()
    assert selectors.revision_of(plan, dt.date(2027, 1, 5)) is None


def test_an_adopted_future_version_is_the_revision(taby: Any) -> None:
    plan = _strategy(taby, adopted_on=dt.date(2025, 1, 10))
    timeline.version(plan, 2, levels=LEVELS, rows=[Row("prevent-talks", "prevent", "per_term(3)", ["skolor"])],
                     valid_from=dt.date(2026, 7, 1), adopted_on=dt.date(2026, 5, 1))
    assert selectors.revision_of(plan, dt.date(2026, 6, 1)) is None
    assert selectors.revision_of(plan, dt.date(2026, 7, 1)).due_on == dt.date(2027, 5, 1)


def test_the_coordinator_sees_the_due_revision_and_starts_it_in_one_action(verified_client: Any, taby: Any,
                                                                           tove: Any) -> None:
    today = timezone.localdate()
    plan = _strategy(taby, adopted_on=today - dt.timedelta(days=350))
    client = verified_client(tove)
    items = _attention(client.get("/taby/").content.decode())
    due = selectors.revision_of(plan).due_on.isoformat()
    assert f"Revision av ”Strategi mot våldsbejakande extremism” senast {due}" in items, items

    page = client.get("/taby/plans/strategi/versions/").content.decode()
    assert f"Version 1 ska revideras senast {due}." in page
    assert "Starta en ny version från den som gäller (version 1)" in page
    response = client.post("/taby/plans/strategi/versions/new/")
    draft = plan.versions.get(status="draft")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/versions/{draft.number}/edit/")
    assert list(draft.activities.values_list("key", "cadence_count")) == [("prevent-talks", 2)]
    assert "(utkast 2 pågår)" in " ".join(_attention(client.get("/taby/").content.decode()))


def test_a_new_version_starts_from_the_one_in_force_not_from_one_adopted_for_later(taby: Any, tove: Any) -> None:
    today = timezone.localdate()
    plan = _strategy(taby, adopted_on=today - dt.timedelta(days=100))
    timeline.version(plan, 2, levels=LEVELS, rows=[Row("hinder-later", "hinder", "per_term(1)", ["polisen"])],
                     valid_from=today + dt.timedelta(days=30), adopted_on=today)
    draft = services.version_create_draft(actor=tove, plan=plan)
    assert list(draft.activities.values_list("key", flat=True)) == ["prevent-talks"]


def test_the_coordinator_sets_the_interval_and_others_may_not(verified_client: Any, taby: Any, tove: Any,
                                                              make_person: Any) -> None:
    plan = _strategy(taby, adopted_on=dt.date(2025, 1, 1), months=None)
    client = verified_client(tove)
    assert client.post("/taby/plans/strategi/review-interval/", {"months": "12"}).status_code == 302
    plan.refresh_from_db()
    assert plan.review_interval_months == 12
    assert AuditEvent.objects.filter(action="plans.plan.review_interval_changed", actor=tove).exists()
    client.post("/taby/plans/strategi/review-interval/", {"months": "0"})
    plan.refresh_from_db()
    assert plan.review_interval_months == 12
    staff = make_person("stina@taby.example", "staff", taby)
    other = verified_client(staff)
    assert other.post("/taby/plans/strategi/review-interval/", {"months": "6"}).status_code == 403
    with pytest.raises(services.PlanError):
        services.plan_review_interval_set(actor=staff, plan=plan, months=6)


def test_the_reminder_tells_the_coordinators_once_per_due_date(taby: Any, tove: Any,
                                                                django_capture_on_commit_callbacks: Any) -> None:
    plan = _strategy(taby, adopted_on=dt.date(2025, 12, 20))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.revision_reminders_send(municipality=taby, today=dt.date(2026, 9, 1)) == 0
        assert services.revision_reminders_send(municipality=taby, today=dt.date(2026, 11, 1)) == 1
        assert services.revision_reminders_send(municipality=taby, today=dt.date(2026, 11, 2)) == 0
    assert [m.to for m in mail.outbox] == [["tove@taby.example"]]
    assert "2026-12-20" in mail.outbox[0].subject
    assert "/taby/plans/strategi/versions/" in mail.outbox[0].body
    services.version_create_draft(actor=tove, plan=plan)
    plan.versions.filter(status="draft").delete()
    assert services.revision_reminders_send(municipality=taby, today=dt.date(2027, 1, 3)) == 0  # same due date
