"""Shared helpers for the ASVS tests."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "correct horse battery"  # the named people's password (tests/conftest.py)


def code_for(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


@pytest.fixture
def production_settings(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The security settings production.py sets (read from the real module), to apply with override_settings."""
    monkeypatch.setenv("SECRET_KEY", "p" * 64)
    monkeypatch.setenv("VARNA_FIELD_ENCRYPTION_KEY", "bXFjZ3V0eXd5cmVqcGJ6a3F2c2N4ZHJ0b3FhbnFwdXQ=")
    sys.modules.pop("varna.settings.production", None)
    module = importlib.import_module("varna.settings.production")
    sys.modules.pop("varna.settings.production", None)
    prefixes = ("SECURE_", "SESSION_", "CSRF_", "LANGUAGE_COOKIE_")
    return {name: getattr(module, name) for name in dir(module) if name.startswith(prefixes)}
