"""Every audit action has a label in words, in both languages; the log shows it instead of the code."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.test import Client
from django.utils import translation

from varna.core import audit, audit_labels
from varna.core.models import AuditEvent

SRC = Path(__file__).resolve().parents[2] / "src" / "varna"
# `action="app.object.verb"` and f-strings like `action=f"plans.{what}.exported"` with their `what="..."`.
LITERAL = re.compile(r'action="([a-z_]+(?:\.[a-z_]+)+)"')
APPS = {path.name for path in SRC.iterdir() if path.is_dir()}


def _recorded_actions() -> set[str]:
    found = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text("utf-8")
        found |= {code for code in LITERAL.findall(text) if code.split(".")[0] in APPS}
        # Codes handed to a helper that records them (cases' _record, tests of services' `action=` keywords).
        found |= {code for code in re.findall(r'"((?:cases|core)\.[a-z_]+\.[a-z_]+)"', text)
                  if path.name == "services.py"}
    return found


def test_every_action_the_code_records_has_a_label() -> None:
    missing = sorted(_recorded_actions() - set(audit_labels.LABELS))
    assert missing == [], "add a label in varna/core/audit_labels.py"


def test_labels_exist_in_swedish_and_english() -> None:
    with translation.override("sv"):
        assert audit_labels.label("followup.log.created") == "Aktivitet loggad"
    with translation.override("en"):
        assert audit_labels.label("followup.log.created") == "Activity logged"
        assert audit_labels.label("plans.somethingnew.exported") == "plans.somethingnew.exported (exported)"
        assert audit_labels.label("odd") == "odd"


def test_the_audit_log_shows_the_action_in_words(verified_client: Any, alice: Any, sollentuna: Any) -> None:
    audit.record(actor=alice, action="followup.log.created", municipality=sollentuna)
    html = verified_client(alice).get("/sollentuna/manage/audit/").content.decode()
    assert "Aktivitet loggad" in html
    assert AuditEvent.objects.filter(action="followup.log.created").exists()


def test_a_label_never_replaces_the_code_in_the_export(verified_client: Any, alice: Any, sollentuna: Any) -> None:
    audit.record(actor=alice, action="followup.log.created", municipality=sollentuna)
    content = verified_client(alice).get("/sollentuna/manage/audit/export.csv").content.decode("utf-8-sig")
    assert '"Aktivitet loggad";"followup.log.created"' in content
    assert Client().get("/sollentuna/manage/audit/").status_code == 302


def test_words_django_s_admin_translates_otherwise_keep_their_meaning_in_meetings() -> None:
    """Django's admin catalogue (installed before Värna's apps) calls an "Action" a "Händelse"."""
    from django.utils.translation import pgettext

    with translation.override("sv"):
        assert pgettext("meeting action", "My actions") == "Mina åtgärder"
        assert pgettext("meeting action", "Action") == "Åtgärd"
