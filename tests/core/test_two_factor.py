import re
from datetime import timedelta
from typing import Any

from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import given
from hypothesis import strategies as st

from varna.core import services, two_factor
from varna.core.models import AuditEvent

PASSWORD = "correct horse battery"


def _code(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def _mailed_code() -> str:
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def _enrol(client: Client, user: Any) -> tuple[TOTPDevice, Any]:
    """Password, the e-mailed code, the app's first code: what a coordinator does at first login."""
    client.post("/account/login/", {"email": user.email, "password": PASSWORD})
    client.post("/account/two-factor/", {"action": "send"})
    client.post("/account/two-factor/", {"action": "check", "code": _mailed_code()})
    client.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return device, client.post("/account/two-factor/", {"code": _code(device)})


def test_staff_logs_in_with_password_alone(client: Any, bob: Any) -> None:
    response = client.post("/account/login/", {"email": bob.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/sollentuna/").context["user"] == bob


def test_coordinator_is_not_logged_in_before_the_second_factor(client: Any, alice: Any) -> None:
    response = client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    assert response["Location"] == "/account/two-factor/"
    assert "_auth_user_id" not in client.session


def test_the_password_alone_shows_no_authenticator_key(client: Client, alice: Any) -> None:
    """Someone who learnt only the password must not be able to tie their own app to the account."""
    client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    page = client.get("/account/two-factor/")
    assert page.templates[0].name == "core/two_factor_check.html"
    assert "secret" not in page.context
    assert "qr_data_uri" not in page.context
    assert not TOTPDevice.objects.filter(user=alice).exists()
    # Nor does guessing the e-mailed code get there.
    client.post("/account/two-factor/", {"action": "send"})
    wrong = "000000" if _mailed_code() != "000000" else "111111"
    refused = client.post("/account/two-factor/", {"action": "check", "code": wrong})
    assert refused.templates[0].name == "core/two_factor_check.html"
    assert not TOTPDevice.objects.filter(user=alice).exists()


def test_enrolment_is_explained_before_anything_happens(client: Client, alice: Any) -> None:
    client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    page = client.get("/account/two-factor/", HTTP_ACCEPT_LANGUAGE="sv")
    text = page.content.decode()
    steps = re.search(r"<ol[^>]*>(.*?)</ol>", text, re.S)
    assert steps is not None
    assert steps.group(1).count("<li>") == 3  # the code by e-mail, the authenticator app, the backup codes
    assert len(mail.outbox) == 0


def test_coordinator_enrols_an_authenticator_and_gets_backup_codes(client: Client, alice: Any) -> None:
    device, response = _enrol(client, alice)
    assert mail.outbox[0].to == [alice.email]
    assert response.status_code == 200
    assert response.templates[0].name == "core/backup_codes.html"
    codes = response.context["codes"]
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert client.session["_auth_user_id"] == str(alice.pk)
    assert TOTPDevice.objects.get(user=alice).confirmed
    assert AuditEvent.objects.filter(action="core.two_factor.enrolled", object_id=str(alice.pk)).exists()


def test_the_key_is_shown_only_after_the_e_mailed_code(client: Client, alice: Any) -> None:
    client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    client.post("/account/two-factor/", {"action": "send"})
    client.post("/account/two-factor/", {"action": "check", "code": _mailed_code()})
    page = client.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    assert page.context["secret"].replace(" ", "") == __import__("base64").b32encode(device.bin_key).decode()


def test_an_e_mailed_code_works_once(client: Client, alice: Any) -> None:
    client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    client.post("/account/two-factor/", {"action": "send"})
    code = _mailed_code()
    assert services.enrolment_check_verify(user=alice, code=code) == (True, 0)
    assert services.enrolment_check_verify(user=alice, code=code) == (False, 0)


def test_a_wrong_code_does_not_log_in(client: Any, alice: Any) -> None:
    TOTPDevice.objects.create(user=alice, name="app", confirmed=True)
    client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    response = client.post("/account/two-factor/", {"code": "000000"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_right_code_just_after_a_mistyped_one_is_accepted(client: Client, alice: Any) -> None:
    device = TOTPDevice.objects.create(user=alice, name="app", confirmed=True)
    client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    right = _code(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    assert client.post("/account/two-factor/", {"code": wrong}).status_code == 200
    assert client.post("/account/two-factor/", {"code": right}).status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_a_code_typed_with_the_space_the_app_shows_is_accepted(client: Client, alice: Any) -> None:
    device = TOTPDevice.objects.create(user=alice, name="app", confirmed=True)
    client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    code = _code(device)
    assert client.post("/account/two-factor/", {"code": f"{code[:3]} {code[3:]}"}).status_code == 302


@override_settings(VARNA_TWO_FACTOR_FREE_TRIES=3)
def test_after_the_free_tries_even_the_right_code_waits_and_the_page_says_how_long(client: Client,
                                                                                  alice: Any) -> None:
    device = TOTPDevice.objects.create(user=alice, name="app", confirmed=True)
    client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    right = _code(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(3):
        client.post("/account/two-factor/", {"code": wrong})
    # Push the last failure into the future so that the pause cannot have run out on a slow machine.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() + timedelta(minutes=1))
    page = client.post("/account/two-factor/", {"code": right})
    assert page.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Wait" in page.content.decode() or "Vänta" in page.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() - timedelta(minutes=1))
    assert client.post("/account/two-factor/", {"code": right}).status_code == 302


def test_a_one_time_code_works_only_once(client: Any, alice: Any) -> None:
    device = TOTPDevice.objects.create(user=alice, name="app", confirmed=True)
    code = _code(device)
    client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    assert client.post("/account/two-factor/", {"code": code}).status_code == 302
    client.post("/account/logout/")
    client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    assert client.post("/account/two-factor/", {"code": code}).status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_backup_code_logs_in_once(client: Client, alice: Any) -> None:
    _device, response = _enrol(client, alice)
    code = response.context["codes"][3]
    client.post("/account/logout/")
    client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    assert client.post("/account/two-factor/backup-code/", {"code": code.upper()}).status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)
    assert services.backup_codes_left(alice) == 9
    assert AuditEvent.objects.filter(action="core.backup_code.used", data__remaining=9).exists()
    client.post("/account/logout/")
    client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    again = client.post("/account/two-factor/backup-code/", {"code": code})
    assert again.status_code == 200
    assert "_auth_user_id" not in client.session


def test_backup_codes_are_not_stored_as_they_are_shown(client: Client, alice: Any) -> None:
    _device, response = _enrol(client, alice)
    stored = set(StaticToken.objects.filter(device__user=alice).values_list("token", flat=True))
    shown = set(response.context["codes"])
    assert len(stored) == 10
    assert not stored & shown
    assert not stored & {two_factor.normalise_backup_code(code) for code in shown}


def test_new_backup_codes_replace_the_old_ones(client: Client, alice: Any) -> None:
    _device, first = _enrol(client, alice)
    page = client.post("/account/security/")
    assert page.templates[0].name == "core/backup_codes.html"
    new, old = page.context["codes"], first.context["codes"]
    assert not set(new) & set(old)
    client.post("/account/logout/")
    client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    assert client.post("/account/two-factor/backup-code/", {"code": old[0]}).status_code == 200
    assert client.post("/account/two-factor/backup-code/", {"code": new[0]}).status_code == 302
    assert AuditEvent.objects.filter(action="core.backup_codes.created", data__replaced_unused=10).exists()


def test_backup_codes_cannot_be_made_without_the_second_factor(client: Client, alice: Any) -> None:
    TOTPDevice.objects.create(user=alice, name="app", confirmed=True)
    client.force_login(alice)  # a password session that never passed the second step
    assert client.post("/account/security/")["Location"] == "/account/two-factor/"
    assert not StaticDevice.objects.filter(user=alice).exists()


def test_a_backup_code_is_no_way_around_setting_up_the_app(client: Client, alice: Any) -> None:
    """Backup codes are a spare for the app: someone without an app can't log in with them."""
    services.backup_codes_create(actor=alice)
    client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    response = client.post("/account/two-factor/backup-code/", {"code": "abcde-fghjk"})
    assert response["Location"] == "/account/two-factor/"
    assert "_auth_user_id" not in client.session


def test_the_security_page_shows_the_codes_left(verified_client: Any, alice: Any) -> None:
    client = verified_client(alice)
    services.backup_codes_create(actor=alice)
    page = client.get("/account/security/")
    assert page.context["backup_codes_left"] == 10
    assert page.context["has_app"]


def test_coordinator_session_without_second_factor_is_sent_to_verify(client: Any, alice: Any) -> None:
    client.force_login(alice)
    response = client.get("/sollentuna/manage/audit/")
    assert response.status_code == 302
    assert response["Location"] == "/account/two-factor/"


def test_failed_logins_are_throttled(client: Any, bob: Any) -> None:
    for _ in range(5):
        client.post("/account/login/", {"email": bob.email, "password": "wrong password!"})
    response = client.post("/account/login/", {"email": bob.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_page_rejects_an_unsafe_next_address(client: Any, bob: Any) -> None:
    response = client.post("/account/login/", {"email": bob.email, "password": PASSWORD,
                                                "next": "https://evil.example/"})
    assert response["Location"] == "/"


@given(failures=st.integers(0, 60), since=st.floats(0, 10_000), free=st.integers(1, 10),
       max_wait=st.integers(1, 3600))
def test_the_pause_is_free_at_first_then_grows_and_never_exceeds_the_maximum(failures: int, since: float,
                                                                            free: int, max_wait: int) -> None:
    wait = two_factor.wait_seconds(failures, seconds_since_last=since, free_tries=free, max_wait=max_wait)
    assert 0 <= wait <= max_wait
    if failures < free:
        assert wait == 0
    if since >= max_wait:
        assert wait == 0
    more = two_factor.wait_seconds(failures + 1, seconds_since_last=since, free_tries=free, max_wait=max_wait)
    assert more >= wait  # one more wrong code never shortens the pause


@given(st.text(alphabet="abcdefghjkmnpqrstuvwxyz23456789", min_size=10, max_size=10), st.sampled_from(["", "-", " "]))
def test_a_backup_code_is_the_same_whatever_its_case_and_separators(raw: str, separator: str) -> None:
    typed = (raw[:5] + separator + raw[5:]).upper()
    assert two_factor.backup_code_digest(typed) == two_factor.backup_code_digest(raw)
