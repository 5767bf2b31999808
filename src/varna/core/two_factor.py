"""Rules of the second factor that hold whatever the device: how long to wait after wrong codes, and how
backup codes are written, typed and stored.

django-otp's own throttle (1, 2, 4 … seconds from the first wrong code) refused a right code typed just after a
mistyped one, which people then took for a broken app. Its throttle is off in settings
(``OTP_*_THROTTLE_FACTOR = 0``; the devices still count failures) and this module decides instead: the first
``VARNA_TWO_FACTOR_FREE_TRIES`` wrong codes cost nothing, every one after that doubles a pause, up to
``VARNA_TWO_FACTOR_MAX_WAIT`` seconds, and a right code resets the count (django-otp does that).
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

# Backup codes: ten characters from an alphabet without look-alikes (no 0/o, 1/l/i), shown as two groups of five.
BACKUP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
BACKUP_LENGTH = 10
BACKUP_COUNT = 10
_DIGEST_SALT = "varna.core.two_factor.backup_code"


def wait_seconds(failures: int, *, seconds_since_last: float, free_tries: int, max_wait: int) -> int:
    """Seconds someone must still wait before their next code is checked (0: check it now).

    Pure, so that the rule is proved under hypothesis: `failures` wrong codes in a row, the last one
    `seconds_since_last` ago."""
    if failures < free_tries:
        return 0
    pause = min(2 ** (failures - free_tries), max_wait)
    remaining = pause - seconds_since_last
    return max(0, int(remaining + 0.999))


def device_wait_seconds(device: object, now: datetime | None = None) -> int:
    """`wait_seconds` for a django-otp device with the throttling mixin (its failure count and time)."""
    failures = getattr(device, "throttling_failure_count", 0) or 0
    last = getattr(device, "throttling_failure_timestamp", None)
    if not failures or last is None:
        return 0
    elapsed = ((now or timezone.now()) - last).total_seconds()
    return wait_seconds(failures, seconds_since_last=elapsed, free_tries=settings.VARNA_TWO_FACTOR_FREE_TRIES,
                        max_wait=settings.VARNA_TWO_FACTOR_MAX_WAIT)


def new_backup_code() -> str:
    """A fresh backup code (about 49 bits of randomness), as the person sees it: `abcde-fghjk`."""
    raw = "".join(secrets.choice(BACKUP_ALPHABET) for _ in range(BACKUP_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_backup_code(typed: str) -> str:
    """What someone typed, the way it was generated: case, spaces and dashes don't matter."""
    return "".join(ch for ch in typed.lower() if ch not in " -\t")


def backup_code_digest(code: str) -> str:
    """What is stored for a backup code (django-otp's static token, 16 characters): a keyed hash, so that a copy
    of the database does not hand out codes (ASVS V2.6.2). Rotating SECRET_KEY makes old codes unusable."""
    return salted_hmac(_DIGEST_SALT, normalise_backup_code(code), algorithm="sha256").hexdigest()[:16]


def same_digest(a: str, b: str) -> bool:
    return constant_time_compare(a, b)
