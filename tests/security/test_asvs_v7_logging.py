"""ASVS 4.0.3 V7: no secrets or personal data in the application log; user input can't forge log lines."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.security.conftest import PASSWORD, code_for
from varna.core.logformat import SafeFormatter

WRONG_PASSWORD = "Hemligt-fel-lösenord-42"


@pytest.fixture
def log_lines(caplog: pytest.LogCaptureFixture) -> Any:
    """Everything logged at any level by any logger, formatted as the production formatter writes it."""
    caplog.set_level(logging.DEBUG)
    for name in ("axes", "django", "django.request", "django.security", "django_otp", "varna"):
        caplog.set_level(logging.DEBUG, logger=name)
    formatter = SafeFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")

    def lines() -> str:
        return "\n".join(formatter.format(record) for record in caplog.records)

    return lines


def _log_in_and_fail(client: Client, bob: Any, alice: Any) -> list[str]:
    device = TOTPDevice.objects.create(user=alice, name="app", confirmed=True)
    code = code_for(device)
    client.post("/account/login/", {"email": bob.email, "password": PASSWORD})
    client.post("/account/logout/")
    client.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    client.post("/account/two-factor/", {"code": "123456" if code != "123456" else "654321"})
    client.post("/account/logout/")
    for _ in range(6):  # up to and past the lockout
        client.post("/account/login/", {"email": bob.email, "password": WRONG_PASSWORD})
    other = Client()
    other.post("/account/login/", {"email": alice.email, "password": PASSWORD})
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    other.post("/account/two-factor/", {"code": code_for(device)})
    return [code, other.cookies[settings.SESSION_COOKIE_NAME].value]


def test_v7_1_1_no_passwords_codes_or_session_ids_in_the_log(client: Client, bob: Any, alice: Any,
                                                             log_lines: Any) -> None:
    secrets = _log_in_and_fail(client, bob, alice)
    text = log_lines()
    assert "Locking out" in text  # the events were logged: only without the secrets
    for secret in [PASSWORD, WRONG_PASSWORD, settings.SECRET_KEY, *secrets]:
        assert secret not in text


def test_v7_1_2_no_personal_data_in_the_log_during_login(client: Client, bob: Any, alice: Any,
                                                         log_lines: Any) -> None:
    _log_in_and_fail(client, bob, alice)
    text = log_lines()
    for personal in [bob.email, alice.email, "bob@", "alice@", bob.full_name]:
        assert personal not in text


def test_v7_3_1_a_line_break_in_the_email_field_does_not_forge_a_log_line(client: Client, db: Any,
                                                                          log_lines: Any) -> None:
    forged = "2026-01-01 00:00:00,000 INFO varna login succeeded for admin@sollentuna.example"
    client.post("/account/login/", {"email": f"x@example.se\n{forged}", "password": "whatever it is"})
    client.post("/account/login/", {"email": f"x@example.se\r\n{forged}", "password": "whatever it is"})
    client.get("/sollentuna/manage/audit/%0A" + forged.replace(" ", "%20"))
    for line in log_lines().splitlines():
        assert not line.startswith(forged)


def test_v7_3_1_the_log_formatter_keeps_one_event_on_one_line() -> None:
    record = logging.LogRecord("varna", logging.WARNING, __file__, 1, "failed login for %s", ("a@b.se\nINFO forged",),
                               None)
    line = SafeFormatter("%(levelname)s %(message)s").format(record)
    assert line == "WARNING failed login for a@b.se\\nINFO forged"
    assert settings.LOGGING["formatters"]["plain"]["()"] == "varna.core.logformat.SafeFormatter"
