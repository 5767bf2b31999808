from typing import Any

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "correct horse battery"


def _code(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def test_staff_logs_in_with_password_alone(client: Any, bob: Any) -> None:
    response = client.post("/account/login/", {"email": bob.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/sollentuna/").context["user"] == bob


def test_coordinator_is_not_logged_in_before_the_second_factor(client: Any, alice: Any) -> None:
    response = client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    assert response["Location"] == "/account/two-factor/"
    assert "_auth_user_id" not in client.session


def test_coordinator_enrols_an_authenticator_and_is_logged_in(client: Any, alice: Any) -> None:
    client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    page = client.get("/account/two-factor/")
    assert page.context["enrolling"] is True
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    response = client.post("/account/two-factor/", {"code": _code(device)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)
    assert TOTPDevice.objects.get(user=alice).confirmed


def test_a_wrong_code_does_not_log_in(client: Any, alice: Any) -> None:
    TOTPDevice.objects.create(user=alice, name="app", confirmed=True)
    client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    response = client.post("/account/two-factor/", {"code": "000000"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_one_time_code_works_only_once(client: Any, alice: Any) -> None:
    device = TOTPDevice.objects.create(user=alice, name="app", confirmed=True)
    code = _code(device)
    client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    assert client.post("/account/two-factor/", {"code": code}).status_code == 302
    client.post("/account/logout/")
    client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    assert client.post("/account/two-factor/", {"code": code}).status_code == 200
    assert "_auth_user_id" not in client.session


def test_coordinator_session_without_second_factor_is_sent_to_verify(client: Any, alice: Any) -> None:
    client.force_login(alice)
    response = client.get("/sollentuna/manage/audit/")
    assert response.status_code == 302 and response["Location"] == "/account/two-factor/"


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
