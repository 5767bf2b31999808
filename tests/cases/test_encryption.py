"""Notes, identities and free-text reasons are encrypted at rest: the raw table holds no plaintext."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import override_settings

SECRET_NAME = "Kalle Anka Testsson"
SECRET_PNR = "20080101-1234"
SECRET_NOTE = "Mötte skolkuratorn om familjesituationen"


def _raw_rows(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - table names are ours
        return repr(cursor.fetchall())


def test_identity_and_notes_are_not_stored_in_plain_text(case_a: Any, alice: Any) -> None:
    from varna.cases import services
    from varna.cases.models import Identity, Note

    services.identity_set(actor=alice, case=case_a, name=SECRET_NAME, identity_number=SECRET_PNR,
                          contact="070-123 45 67")
    services.note_add(actor=alice, case=case_a, text=SECRET_NOTE)
    services.concern_override(actor=alice, case=case_a, level="clear", reason="Hot mot lärare i chatten")
    everything = "".join(_raw_rows(model._meta.db_table) for model in (Identity, Note)) + _raw_rows("cases_case")
    for plain in (SECRET_NAME, SECRET_PNR, "070-123", SECRET_NOTE, "Hot mot lärare"):
        assert plain not in everything
    assert Identity.objects.get(case=case_a).name == SECRET_NAME
    assert Note.objects.get(case=case_a).text == SECRET_NOTE


def test_the_audit_log_holds_no_identity_or_note_text(case_a: Any, alice: Any) -> None:
    from varna.cases import services

    services.identity_set(actor=alice, case=case_a, name=SECRET_NAME, identity_number=SECRET_PNR, contact="")
    services.note_add(actor=alice, case=case_a, text=SECRET_NOTE)
    raw = _raw_rows("core_auditevent")
    assert SECRET_NAME not in raw
    assert SECRET_PNR not in raw
    assert SECRET_NOTE not in raw


def test_values_encrypted_with_a_retired_key_still_read_and_rotate(case_a: Any, alice: Any) -> None:
    from django.core.management import call_command

    from varna.cases import fields
    from varna.cases.models import Note

    new, old = "bmV3LWtleS1mb3ItdGhlLXJvdGF0aW9uLXRlc3QtMzI=", "b2xkLWtleS1mb3ItdGhlLXJvdGF0aW9uLXRlc3QtMzI="
    with override_settings(VARNA_FIELD_ENCRYPTION_KEY=old):
        note = Note.objects.create(case=case_a, author=alice, text=SECRET_NOTE)
    with override_settings(VARNA_FIELD_ENCRYPTION_KEY=f"{new},{old}"):
        assert Note.objects.get(pk=note.pk).text == SECRET_NOTE
        call_command("rotate_field_key", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with override_settings(VARNA_FIELD_ENCRYPTION_KEY=new):
        assert Note.objects.get(pk=note.pk).text == SECRET_NOTE
    with override_settings(VARNA_FIELD_ENCRYPTION_KEY=old), pytest.raises(fields.DecryptionError):
        Note.objects.get(pk=note.pk)


def test_a_missing_key_is_a_configuration_error() -> None:
    from django.core.exceptions import ImproperlyConfigured

    from varna.cases import fields

    with override_settings(VARNA_FIELD_ENCRYPTION_KEY=""), pytest.raises(ImproperlyConfigured):
        fields.encrypt("x")
