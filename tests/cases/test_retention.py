"""Purge of closed cases past their retention period, legal hold, and the purge report."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from varna.core.models import AuditEvent


@pytest.fixture
def closed_case(case_a: Any, alice: Any, pia: Any) -> Any:
    from varna.cases import services

    services.note_add(actor=pia, case=case_a, text="Anteckning")
    services.identity_set(actor=alice, case=case_a, name="Namn", identity_number="", contact="")
    services.sign_add(actor=pia, case=case_a, sign_key="early-insecurity", observed_on=timezone.localdate())
    services.case_set_status(actor=alice, case=case_a, status="closed")
    return case_a


def _after_retention(case: Any) -> str:
    return (case.purge_after + dt.timedelta(days=1)).isoformat()


def test_a_closed_case_is_kept_during_its_retention_period(closed_case: Any) -> None:
    from varna.cases.models import Case

    out = io.StringIO()
    call_command("purge_closed_cases", stdout=out)
    assert Case.objects.filter(pk=closed_case.pk).exists()
    assert "0 case(s) purged" in out.getvalue()


def test_purge_deletes_the_content_and_keeps_a_tombstone(closed_case: Any) -> None:
    from varna.cases.models import Case, CaseSign, Identity, Note, Participant, StatusChange

    out = io.StringIO()
    call_command("purge_closed_cases", "--today", _after_retention(closed_case), stdout=out)
    assert f"purged {closed_case.code}" in out.getvalue()
    assert not Case.objects.exists()
    for model in (Note, Identity, CaseSign, Participant, StatusChange):
        assert not model.objects.exists()
    tombstone = AuditEvent.objects.get(action="cases.case.purged")
    assert tombstone.object_id == closed_case.code
    assert tombstone.data["purged_by"] == "purge_closed_cases"
    assert tombstone.data["opened_at"]
    assert tombstone.data["closed_at"]
    # The log of what happened before the purge stays.
    assert AuditEvent.objects.filter(object_id=closed_case.code, action="cases.case.opened").exists()


def test_legal_hold_stops_the_purge(closed_case: Any, alice: Any) -> None:
    from varna.cases import services
    from varna.cases.models import Case

    with pytest.raises(services.CaseError):
        services.legal_hold_set(actor=alice, case=closed_case, hold=True, reason="")
    services.legal_hold_set(actor=alice, case=closed_case, hold=True, reason="Begäran från åklagare")
    call_command("purge_closed_cases", "--today", _after_retention(closed_case), stdout=io.StringIO())
    assert Case.objects.filter(pk=closed_case.pk).exists()
    services.legal_hold_set(actor=alice, case=closed_case, hold=False)
    call_command("purge_closed_cases", "--today", _after_retention(closed_case), stdout=io.StringIO())
    assert not Case.objects.filter(pk=closed_case.pk).exists()


def test_a_dry_run_purges_nothing(closed_case: Any) -> None:
    from varna.cases.models import Case

    out = io.StringIO()
    call_command("purge_closed_cases", "--dry-run", "--today", _after_retention(closed_case), stdout=out)
    assert f"would purge {closed_case.code}" in out.getvalue()
    assert Case.objects.filter(pk=closed_case.pk).exists()


def test_open_cases_are_never_purged(case_a: Any) -> None:
    from varna.cases import services

    assert services.cases_purge(today=timezone.localdate() + dt.timedelta(days=10000)) == []


def test_the_purge_task_runs_the_same_service(closed_case: Any, settings: Any) -> None:
    from varna.cases import tasks
    from varna.cases.models import Case

    settings.VARNA_CASE_RETENTION_DAYS = -2
    Case.objects.filter(pk=closed_case.pk).update(purge_after=timezone.localdate() - dt.timedelta(days=2))
    result = tasks.purge_closed_cases.enqueue()
    assert result.return_value == [closed_case.code]


def test_a_purged_code_is_never_given_to_a_new_case(closed_case: Any, alice: Any, monkeypatch: Any) -> None:
    from varna.cases import models, services

    code = closed_case.code
    services.cases_purge(today=closed_case.purge_after + dt.timedelta(days=1))
    codes = iter([code, "VX-AAAA"])
    monkeypatch.setattr(services, "new_case_code", lambda: next(codes))
    case = services.case_open(actor=alice, municipality=closed_case.municipality, age_band="unknown",
                              gender="other")
    assert case.code == "VX-AAAA"
    assert models.Case.objects.count() == 1


def test_the_log_review_lists_purged_cases(closed_case: Any, alice_reviewer: Any, login: Any) -> None:
    from django.urls import reverse

    from varna.cases import services

    services.cases_purge(today=closed_case.purge_after + dt.timedelta(days=1))
    page = login(alice_reviewer).get(reverse("cases:log_review", args=["sollentuna"]))
    assert closed_case.code in page.content.decode()
