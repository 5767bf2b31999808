"""Every read of case data writes exactly one audit event, with a purpose."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from varna.core.models import AuditEvent

READ_PAGES = ["case_detail", "case_edit", "case_concern", "participants", "identity_reveal", "identity_edit",
              "referral_create", "access_log", "case_export"]


def _reads() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action__in=["cases.case.viewed", "cases.case.listed"]))


@pytest.mark.parametrize("name", READ_PAGES)
def test_each_case_page_view_writes_exactly_one_event(name: str, case_a: Any, alice: Any, login: Any) -> None:
    client = login(alice)
    before = AuditEvent.objects.count()
    response = client.get(reverse(f"cases:{name}", args=["sollentuna", case_a.code]))
    assert response.status_code == 200
    new = list(AuditEvent.objects.order_by("id")[before:])
    assert [(e.action, e.object_id, e.actor_id) for e in new] == [("cases.case.viewed", case_a.code, alice.pk)]
    assert new[0].purpose


def test_a_participant_view_is_logged_with_its_purpose(case_a: Any, pia: Any, login: Any) -> None:
    login(pia).get(reverse("cases:case_detail", args=["sollentuna", case_a.code]))
    event = AuditEvent.objects.get(action="cases.case.viewed")
    assert event.actor == pia
    assert "participant" in event.purpose


def test_the_case_list_writes_one_listed_event_naming_the_codes_shown(case_a: Any, case_b: Any, alice: Any,
                                                                      pia: Any, login: Any) -> None:
    login(alice).get(reverse("cases:case_list", args=["sollentuna"]))
    (event,) = _reads()
    assert event.action == "cases.case.listed"
    assert sorted(event.data["codes"]) == sorted([case_a.code, case_b.code])
    login(pia).get(reverse("cases:case_list", args=["sollentuna"]))
    assert AuditEvent.objects.filter(action="cases.case.listed", actor=pia).get().data["codes"] == [case_a.code]


def test_a_refused_view_writes_no_read_event(case_a: Any, otto: Any, login: Any) -> None:
    assert login(otto).get(reverse("cases:case_detail", args=["sollentuna", case_a.code])).status_code == 404
    assert _reads() == []


def test_participants_see_the_access_log_of_their_case(case_a: Any, alice: Any, pia: Any, login: Any) -> None:
    login(alice).get(reverse("cases:case_detail", args=["sollentuna", case_a.code]))
    page = login(pia).get(reverse("cases:access_log", args=["sollentuna", case_a.code]))
    assert alice.email in page.content.decode()


def test_the_general_audit_log_leaves_case_events_out(case_a: Any, alice: Any, ada: Any, login: Any) -> None:
    page = login(ada).get(reverse("core:audit_log", args=["sollentuna"]))
    assert page.status_code == 200
    assert case_a.code not in page.content.decode()


def test_a_review_round_samples_users_and_records_verdicts(case_a: Any, case_b: Any, alice_reviewer: Any,
                                                           pia: Any, otto: Any, login: Any) -> None:
    from varna.cases import services
    from varna.cases.models import AccessReviewItem

    for user, case in [(pia, case_a), (otto, case_b), (pia, case_a)]:
        services.case_viewed(actor=user, case=case, purpose="test")
    today = timezone.localdate()
    review = services.access_review_start(actor=alice_reviewer, municipality=case_a.municipality,
                                          period_start=today, period_end=today, sample_percent=10,
                                          rng=random.Random(1))
    users = {item.event.actor_id for item in review.items.all()}
    assert len(users) == 1  # 10 % of three readers, at least one
    client = login(alice_reviewer)
    url = reverse("cases:review_detail", args=["sollentuna", review.pk])
    assert client.get(url).status_code == 200
    for item in review.items.all():
        client.post(url, {"item": item.pk, "verdict": "justified", "comment": "meeting"})
    assert not review.items.filter(verdict=AccessReviewItem.Verdict.PENDING).exists()
    review.refresh_from_db()
    assert review.completed_at is not None
    assert AuditEvent.objects.filter(action="cases.access_review.completed").exists()


def test_not_justified_needs_a_comment(case_a: Any, alice_reviewer: Any, pia: Any) -> None:
    from varna.cases import services

    services.case_viewed(actor=pia, case=case_a, purpose="test")
    today = timezone.localdate()
    review = services.access_review_start(actor=alice_reviewer, municipality=case_a.municipality,
                                          period_start=today, period_end=today, sample_percent=100)
    with pytest.raises(services.CaseError):
        services.access_review_mark(actor=alice_reviewer, item=review.items.first(), verdict="not_justified",
                                    comment="")
