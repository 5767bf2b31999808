"""An encrypted text field: Fernet tokens in the database, plain text in Python.

Used for every free text that may say something about a person: the case's notes and identities
(``varna.cases``) and the purpose people state in the audit log (``AuditEvent.purpose``).

The keys come from ``settings.VARNA_FIELD_ENCRYPTION_KEY`` (comma-separated Fernet keys, the first one
encrypts, all of them decrypt), so a key can be rotated by putting the new key first and re-saving rows.
Fernet tokens carry a random IV: the same text encrypts differently each time, so these fields cannot be
filtered or ordered on, which is intended for free text and identities.
"""

from __future__ import annotations

import functools
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


class DecryptionError(Exception):
    """A stored value could not be decrypted with any configured key."""


@functools.cache
def _fernet_for(keys: str) -> MultiFernet:
    parts = [key.strip() for key in keys.split(",") if key.strip()]
    if not parts:
        raise ImproperlyConfigured("VARNA_FIELD_ENCRYPTION_KEY must hold at least one Fernet key.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in parts])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured("VARNA_FIELD_ENCRYPTION_KEY holds a value that is not a Fernet key.") from exc


def fernet() -> MultiFernet:
    return _fernet_for(getattr(settings, "VARNA_FIELD_ENCRYPTION_KEY", "") or "")


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise DecryptionError("A stored value could not be decrypted; is the right key configured?") from exc


class EncryptedTextField(models.TextField):
    """Text encrypted at rest. Empty text is stored empty so that "nothing written" needs no key."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_internal_type(self) -> str:
        return "TextField"
