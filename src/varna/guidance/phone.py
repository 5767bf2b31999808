"""Swedish phone numbers as people write them in a contact directory. Pure Python, no Django.

Accepted: short national numbers (112, 1177, 114 14, 116 111), numbers with a trunk zero and area code
(08-579 213 22, 020-100 200, 0771-22 00 60, 070-123 45 67) and the same in international form
(+46 8 579 213 22). Spaces and hyphens group digits; anything else (letters, brackets, a second +) is
refused, because the public page turns the number into a ``tel:`` link that must dial what it shows.
"""

from __future__ import annotations

import re

# Digit groups separated by one space or hyphen, with an optional leading +.
_ALLOWED = re.compile(r"^\+?[0-9]+(?:[ -][0-9]+)*$")


class PhoneError(ValueError):
    """The text is not a Swedish phone number; the message says why, in English (the form translates)."""


def digits_of(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def check_swedish_phone(text: str) -> str:
    """The number as written (trimmed) if it is a plausible Swedish number; PhoneError otherwise."""
    text = re.sub(r"\s*-\s*", "-", " ".join(text.split()))
    if not _ALLOWED.match(text):
        raise PhoneError("characters")
    digits = digits_of(text)
    if text.startswith("+"):
        if not digits.startswith("46"):
            raise PhoneError("country")
        national = digits[2:]
        if national.startswith("0") or not 7 <= len(national) <= 9:
            raise PhoneError("length")
        return text
    if digits.startswith("00"):
        raise PhoneError("country")  # an international prefix: write it as +46 instead
    if digits.startswith("0"):
        # Trunk zero, area code and subscriber number: 8 to 10 digits in all.
        if not 8 <= len(digits) <= 10:
            raise PhoneError("length")
        return text
    # Short numbers without a trunk zero are the national service numbers (112, 1177, 114 14, 116 xxx, 90000).
    if digits[0] not in "19" or not 3 <= len(digits) <= 6:
        raise PhoneError("short")
    return text
