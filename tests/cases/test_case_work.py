"""Opening, concern level, reveal with step-up, conflicts, referrals and the mandatory-report prompt."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.cases.conftest import totp_code
from varna.core.models import AuditEvent


def test_case_codes_are_random_and_say_nothing(cases_setup: Any, alice: Any) -> None:
    from varna.cases import services

    codes = [services.case_open(actor=alice, municipality=cases_setup, age_band="unknown", gender="other").code
             for _ in range(20)]
    assert all(re.fullmatch(r"VX-[A-Z0-9]{4}", code) for code in codes)
    assert len(set(codes)) == 20
    assert codes != sorted(codes)


def test_only_a_coordinator_opens_a_case(cases_setup: Any, walter: Any) -> None:
    from varna.cases import services

    with pytest.raises(services.CaseError):
        services.case_open(actor=walter, municipality=cases_setup, age_band="unknown", gender="other")


def test_the_coordinator_opens_a_case_through_the_form(cases_setup: Any, alice: Any, login: Any) -> None:
    from varna.cases.models import Case

    response = login(alice).post(reverse("cases:case_open", args=["sollentuna"]),
                                 {"age_band": "15_17", "gender": "female", "milieu_key": "", "path_key": ""})
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.code in response["Location"]
    assert case.status_changes.get().changed_by == alice


def test_concern_level_follows_the_signs_through_the_guidance_engine(case_a: Any, alice: Any, pia: Any) -> None:
    from varna.cases import services

    assert case_a.concern_level == "none"
    services.sign_add(actor=pia, case=case_a, sign_key="early-insecurity", observed_on=timezone.localdate())
    assert case_a.concern_level == "early"
    services.sign_add(actor=pia, case=case_a, sign_key="clear-violent-incidents", observed_on=timezone.localdate())
    case_a.refresh_from_db()
    assert case_a.computed_concern == "clear"


def test_the_coordinator_override_needs_a_reason(case_a: Any, alice: Any) -> None:
    from varna.cases import services

    with pytest.raises(services.CaseError):
        services.concern_override(actor=alice, case=case_a, level="heightened", reason=" ")
    services.concern_override(actor=alice, case=case_a, level="heightened", reason="Uppgifter från polisen")
    case_a.refresh_from_db()
    assert case_a.concern_level == "heightened"
    assert case_a.concern_override_by == alice


# Half past midnight in Sweden, still 11 March in UTC: the purge date counts from the Swedish date.
_CLOSED = dt.datetime(2026, 3, 12, 0, 30, tzinfo=ZoneInfo("Europe/Stockholm"))


@pytest.fixture
def shortly_before_closing(time_machine: Any) -> Any:
    """The clock stands still four minutes before _CLOSED (each status change moves it on a minute)."""
    time_machine.move_to(_CLOSED - dt.timedelta(minutes=4), tick=False)
    return time_machine


def test_status_changes_record_who_and_when_and_closing_sets_the_purge_date(shortly_before_closing: Any,
                                                                            case_a: Any, alice: Any) -> None:
    from varna.cases import services

    for status in ("assessing", "support", "monitoring", "closed"):
        shortly_before_closing.shift(dt.timedelta(minutes=1))
        services.case_set_status(actor=alice, case=case_a, status=status)
    assert [c.to_status for c in case_a.status_changes.all()] == ["opened", "assessing", "support", "monitoring",
                                                                   "closed"]
    assert case_a.closed_at == _CLOSED
    assert case_a.purge_after == dt.date(2028, 3, 11)  # 730 days (VARNA_CASE_RETENTION_DAYS) after 12 March
    with pytest.raises(services.CaseError):
        services.case_set_status(actor=alice, case=case_a, status="support")


# --- identity reveal ------------------------------------------------------------------------------

@pytest.fixture
def with_identity(case_a: Any, alice: Any) -> Any:
    from varna.cases import services

    services.identity_set(actor=alice, case=case_a, name="Kalle Anka", identity_number="20080101-1234", contact="")
    return case_a


def test_the_identity_is_shown_only_with_a_purpose_and_a_fresh_code(with_identity: Any, pia: Any,
                                                                      login: Any) -> None:
    client = login(pia)
    url = reverse("cases:identity_reveal", args=["sollentuna", with_identity.code])
    assert "Kalle" not in client.get(url).content.decode()
    no_purpose = client.post(url, {"purpose": "", "code": totp_code(pia)})
    assert "Kalle" not in no_purpose.content.decode()
    wrong_code = client.post(url, {"purpose": "Möte med socialtjänsten om insats", "code": "000000"})
    assert "Kalle" not in wrong_code.content.decode()
    assert AuditEvent.objects.filter(action="cases.identity.reveal_refused").count() == 1
    # django-otp throttles a device for a moment after a wrong code; a person would simply wait.
    TOTPDevice.objects.get(user=pia).throttle_reset()
    shown = client.post(url, {"purpose": "Möte med socialtjänsten om insats", "code": totp_code(pia)})
    assert "Kalle Anka" in shown.content.decode()
    event = AuditEvent.objects.get(action="cases.identity.revealed")
    assert event.actor == pia
    assert event.purpose == "Möte med socialtjänsten om insats"
    assert "no-store" in shown["Cache-Control"]


def test_a_one_time_code_cannot_be_used_twice_for_a_reveal(with_identity: Any, pia: Any) -> None:
    from varna.cases import services

    code = totp_code(pia)
    services.identity_reveal(actor=pia, case=with_identity, purpose="Samordning inför möte", code=code)
    with pytest.raises(services.StepUpError):
        services.identity_reveal(actor=pia, case=with_identity, purpose="Samordning inför möte", code=code)


def test_editing_the_identity_does_not_show_what_is_stored(with_identity: Any, alice: Any, login: Any) -> None:
    page = login(alice).get(reverse("cases:identity_edit", args=["sollentuna", with_identity.code]))
    assert "Kalle" not in page.content.decode()
    assert "20080101" not in page.content.decode()


# --- conflicts ------------------------------------------------------------------------------------

def test_saving_over_a_newer_version_shows_both_and_loses_nothing(case_a: Any, alice: Any, tove: Any,
                                                                  make_person: Any, login: Any) -> None:
    from varna.cases import services
    from varna.cases.models import Case

    url = reverse("cases:case_edit", args=["sollentuna", case_a.code])
    client = login(alice)
    loaded_lock = case_a.lock_version
    # Someone else saves first.
    services.case_update(actor=alice, case=Case.objects.get(pk=case_a.pk), expected_lock=loaded_lock,
                         age_band="18_24", gender="male", milieu_key="", path_key="")
    response = client.post(url, {"lock_version": loaded_lock, "age_band": "under_15", "gender": "male",
                                 "milieu_key": "autonomous", "path_key": ""})
    assert response.status_code == 409
    body = response.content.decode()
    assert "18–24" in body  # what is saved now
    assert 'value="autonomous" selected' in body  # what this editor typed is still in the form
    assert Case.objects.get(pk=case_a.pk).age_band == "18_24"
    # A second, informed save wins.
    form_lock = response.context["form"]["lock_version"].value()
    again = client.post(url, {"lock_version": form_lock, "age_band": "under_15", "gender": "male",
                              "milieu_key": "autonomous", "path_key": ""})
    assert again.status_code == 302
    assert Case.objects.get(pk=case_a.pk).age_band == "under_15"


def test_a_stale_status_change_is_refused(case_a: Any, alice: Any) -> None:
    from varna.cases import services

    stale = case_a.lock_version
    services.case_set_status(actor=alice, case=case_a, status="assessing")
    with pytest.raises(services.CaseConflictError):
        services.case_set_status(actor=alice, case=case_a, status="closed", expected_lock=stale)


# --- referrals ------------------------------------------------------------------------------------

def test_the_referral_form_says_the_report_is_mandatory_for_municipal_staff_about_a_minor(
        case_a: Any, pia: Any, login: Any) -> None:
    page = login(pia).get(reverse("cases:referral_create", args=["sollentuna", case_a.code]))
    assert page.context["mandatory_report"] is True
    assert 'id="mandatory-report"' in page.content.decode()


def test_no_mandatory_prompt_for_an_adult(case_b: Any, otto: Any, login: Any) -> None:
    page = login(otto).get(reverse("cases:referral_create", args=["sollentuna", case_b.code]))
    assert page.context["mandatory_report"] is False
    assert 'id="mandatory-report"' not in page.content.decode()


def test_no_mandatory_prompt_for_a_reporter_outside_the_municipality(case_a: Any, alice: Any, make_person: Any,
                                                                     sollentuna: Any) -> None:
    from varna.cases import services
    from varna.core.models import Membership, Organisation

    officer = make_person("polis@example.se", None)
    police = Organisation.objects.create(municipality=sollentuna, key="polisen", name="Polisen", kind="police")
    Membership.objects.create(user=officer, municipality=sollentuna, role="working_group", organisation=police)
    assert services.report_is_mandatory(officer, case_a) is False


def test_psychiatry_is_chosen_by_age_band(case_a: Any, case_b: Any) -> None:
    from varna.cases import services

    minor = dict(services.referral_kinds_for(case_a))
    adult = dict(services.referral_kinds_for(case_b))
    assert "child_psychiatry" in minor
    assert "adult_psychiatry" not in minor
    assert "adult_psychiatry" in adult
    assert "child_psychiatry" not in adult


def test_a_referral_on_consent_records_who_when_and_to_what(case_a: Any, pia: Any, sollentuna: Any) -> None:
    from varna.cases import services
    from varna.cases.models import LegalBasis

    consent = LegalBasis.objects.get(municipality=sollentuna, key="consent")
    with pytest.raises(services.CaseError):
        services.referral_create(actor=pia, case=case_a, kind="leaver_support", legal_basis=consent,
                                 sent_on=timezone.localdate())
    referral = services.referral_create(actor=pia, case=case_a, kind="leaver_support", legal_basis=consent,
                                        sent_on=timezone.localdate(), consent_given_by="both",
                                        consent_given_on=timezone.localdate(), consent_scope="Kontakt med Exit")
    with pytest.raises(services.CaseError):
        services.referral_answer(actor=pia, referral=referral, answer="declined", reason="",
                                 answered_on=timezone.localdate())
    services.referral_answer(actor=pia, referral=referral, answer="declined", reason="Ingen plats",
                             answered_on=timezone.localdate())
    referral.refresh_from_db()
    assert referral.answer == "declined"
    assert referral.answer_reason == "Ingen plats"


def test_unanswered_referrals_are_reminded_without_case_data(case_a: Any, pia: Any, sollentuna: Any,
                                                            mailoutbox: Any, django_capture_on_commit_callbacks: Any
                                                            ) -> None:
    from varna.cases import services
    from varna.cases.models import LegalBasis

    basis = LegalBasis.objects.get(municipality=sollentuna, key="osl-10-2")
    referral = services.referral_create(actor=pia, case=case_a, kind="school_health", legal_basis=basis,
                                        sent_on=timezone.localdate() - dt.timedelta(days=30))
    assert referral.is_overdue()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.referrals_remind() == [referral]
    assert len(mailoutbox) == 1
    assert case_a.code not in mailoutbox[0].body
    assert services.referrals_remind() == []  # not again the same week


# --- 2FA ------------------------------------------------------------------------------------------

def test_a_participant_must_use_two_factor(case_a: Any, pia: Any, walter: Any, client: Any) -> None:
    from varna.core.permissions import requires_two_factor

    assert requires_two_factor(pia)
    assert not requires_two_factor(walter)
    client.force_login(pia)
    response = client.get(reverse("cases:case_detail", args=["sollentuna", case_a.code]))
    assert response.status_code == 302
    assert response["Location"] == "/account/two-factor/"
    assert not AuditEvent.objects.filter(action="cases.case.viewed").exists()


def test_a_coordinator_must_use_two_factor(case_a: Any, alice: Any, client: Any) -> None:
    client.force_login(alice)
    response = client.get(reverse("cases:case_list", args=["sollentuna"]))
    assert response.status_code == 302
    assert response["Location"] == "/account/two-factor/"


def test_a_note_by_a_participant_does_not_make_the_coordinators_edit_a_conflict(case_a: Any, alice: Any,
                                                                                pia: Any) -> None:
    from varna.cases import services

    loaded_lock = case_a.lock_version
    services.note_add(actor=pia, case=case_a, text="Samtal med eleven")
    services.case_update(actor=alice, case=case_a, expected_lock=loaded_lock, age_band="18_24", gender="male",
                         milieu_key="", path_key="")
    assert case_a.age_band == "18_24"
