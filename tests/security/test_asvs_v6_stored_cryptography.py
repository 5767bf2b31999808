"""ASVS 4.0.3 V6.1.1: regulated private data is encrypted at rest. The case's notes and identities always were;
the purpose people state in the audit log when they reveal an identity or export a case is too (issue #16)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.cases.conftest import alice_reviewer, case_a, cases_setup, login, pia, totp_code  # noqa: F401
from varna.core.models import AuditEvent

PURPOSE = "Möte med socialtjänsten om Kalle Anka i Tureberg"


def _stored(event: AuditEvent) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT purpose FROM core_auditevent WHERE id = %s", [event.pk])
        return cursor.fetchone()[0]


def test_v6_1_1_the_purpose_of_an_identity_reveal_is_encrypted_in_the_audit_log(
        case_a: Any, alice: Any, pia: Any, login: Any) -> None:  # noqa: F811
    from varna.cases import services

    services.identity_set(actor=alice, case=case_a, name="Kalle Anka", identity_number="", contact="")
    client = login(pia)
    TOTPDevice.objects.get(user=pia).throttle_reset()
    url = reverse("cases:identity_reveal", args=["sollentuna", case_a.code])
    assert "Kalle Anka" in client.post(url, {"purpose": PURPOSE, "code": totp_code(pia)}).content.decode()
    event = AuditEvent.objects.get(action="cases.identity.revealed")
    stored = _stored(event)
    assert "Kalle" not in stored
    assert "socialtjänsten" not in stored
    assert stored.startswith("gAAAA")
    assert event.purpose == PURPOSE  # read back decrypted for the access log


def test_v6_1_1_the_purpose_is_encrypted_for_every_audit_event_and_shown_decrypted(
        verified_client: Any, alice: Any, sollentuna: Any) -> None:
    from varna.core import audit

    event = audit.record(actor=alice, action="core.example.exported", municipality=sollentuna, purpose=PURPOSE)
    assert PURPOSE not in _stored(event)
    assert _stored(audit.record(actor=alice, action="core.example.viewed", municipality=sollentuna)) == ""
    page = verified_client(alice).get("/sollentuna/manage/audit/").content.decode()
    assert PURPOSE in page
