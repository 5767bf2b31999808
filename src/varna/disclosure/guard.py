"""The personal-data guard as services call it: one refusal, the same on the web, in the API and in imports.

Detection lives in :mod:`varna.disclosure.personal_data` (pure Python, no Django). This module adds
what a service needs around it, and is the only part of ``varna.disclosure`` that imports Django (for
translations and the logger):

* :func:`check` raises :class:`PersonalDataError` when a free text holds personal data;
* :func:`check_fields` does the same for several fields of one write, reporting every field at once;
* :func:`problems` returns the translated messages for one text (empty when clean), for forms that
  collect errors themselves.

A refusal says, in the active language, what kind of thing was found and in which field, and how to
write it instead. It never contains the text, and what the guard logs (one INFO record per refusal on
the ``varna.disclosure`` logger) holds only the field and the kinds found, so nothing of the text
reaches a log, a message queue or an error report.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

from varna.disclosure import personal_data

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

__all__ = ["PersonalDataError", "check", "check_fields", "problems"]

logger = logging.getLogger("varna.disclosure")


class PersonalDataError(Exception):
    """Free text held personal data; nothing was saved.

    ``errors`` maps each refused field to its translated messages; ``field`` and ``messages`` are the first
    of them, for callers that refuse one field at a time. ``kinds`` are the kinds found (see
    :data:`varna.disclosure.personal_data.KINDS`). The text itself is never part of the exception.
    """

    def __init__(self, errors: Mapping[str, list[str]], kinds: Mapping[str, tuple[str, ...]]) -> None:
        self.errors = dict(errors)
        self.kinds = dict(kinds)
        self.field, self.messages = next(iter(self.errors.items()))
        super().__init__(" ".join(message for messages in self.errors.values() for message in messages))


# What each detector of `personal_data` found, and how to write it instead: one row per kind, so a new
# detector is one new row (a test holds the table to `personal_data.KINDS`).
_MESSAGES: dict[str, StrOrPromise] = {
    personal_data.PERSONAL_IDENTITY_NUMBER: gettext_lazy(
        "A personal identity number was found in “%(field)s”. Remove it: write what happened, never who it "
        "concerned."),
    personal_data.COORDINATION_NUMBER: gettext_lazy(
        "A coordination number was found in “%(field)s”. Remove it: write what happened, never who it concerned."),
    personal_data.INTERIM_NUMBER: gettext_lazy(
        "An interim identity number was found in “%(field)s”. Remove it: write what happened, never who it "
        "concerned."),
    personal_data.DATE_OF_BIRTH: gettext_lazy(
        "A date of birth was found in “%(field)s”. Give an age band instead (13–17, 18–24)."),
    personal_data.EMAIL: gettext_lazy(
        "An e-mail address was found in “%(field)s”. Remove it; name the organisation to contact instead."),
    personal_data.PHONE_NUMBER: gettext_lazy(
        "A phone number was found in “%(field)s”. Remove it; name the organisation to contact instead."),
    personal_data.SOCIAL_MEDIA_HANDLE: gettext_lazy(
        "An account name on social media was found in “%(field)s”. Remove it; describe the kind of account "
        "instead (an Instagram account that spreads propaganda)."),
    personal_data.STREET_ADDRESS: gettext_lazy(
        "A street address was found in “%(field)s”. Give the district only, or a kind of place (a school yard, "
        "a square)."),
    personal_data.PERSON_NAME: gettext_lazy(
        "A name was found in “%(field)s”. Describe the person's role instead (a pupil in year 8, a parent, a "
        "group of young men)."),
}


def _message(kind: str, label: str) -> str:
    if kind not in _MESSAGES:
        raise ValueError(f"unknown kind: {kind}")
    return str(_MESSAGES[kind]) % {"field": label}


def _kinds(text: str) -> tuple[str, ...]:
    kinds: list[str] = []
    for finding in personal_data.find_personal_data(text or ""):
        if finding.kind not in kinds:
            kinds.append(finding.kind)
    return tuple(kinds)


def problems(text: str, *, label: StrOrPromise) -> list[str]:
    """Translated messages for the personal data in ``text``, each naming the field ``label``; empty when
    the text is clean."""
    return [_message(kind, str(label)) for kind in _kinds(text)]


def check_fields(values: Mapping[str, str], labels: Mapping[str, str], *, why: str | None = None,
                 error: type[PersonalDataError] = PersonalDataError) -> None:
    """Raise :class:`PersonalDataError` if any of ``values`` (field name → text) holds personal data.

    ``labels`` gives each field's name as the user sees it (a translated verbose name); ``why`` is an
    optional first sentence saying why this text may hold none (who reads it). ``error`` is the class to
    raise, a subclass that is also the calling module's own error (``class MeetingPersonalData(MeetingError,
    PersonalDataError)``), so that its views and API refuse it like any other of its errors.
    """
    errors: dict[str, list[str]] = {}
    kinds: dict[str, tuple[str, ...]] = {}
    for field, text in values.items():
        found = _kinds(text)
        if found:
            kinds[field] = found
            errors[field] = ([str(why)] if why else []) + [_message(kind, str(labels[field])) for kind in found]
    if errors:
        # Field names and kinds only: the text (and so the personal data) must not reach a log.
        logger.info("personal data refused in %s", ", ".join(f"{field} ({'/'.join(found)})"
                                                          for field, found in kinds.items()))
        raise error(errors, kinds)


def check(text: str, *, field: str, label: str, why: str | None = None,
          error: type[PersonalDataError] = PersonalDataError) -> None:
    """Raise :class:`PersonalDataError` if ``text`` (the value of ``field``) holds personal data."""
    check_fields({field: text}, {field: label}, why=why, error=error)
