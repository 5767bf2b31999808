"""The daily reminder commands share one base (`varna.core.management.reminders.ReminderCommand`)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

COMMANDS = ["send_followup_reminders", "send_contact_reminders"]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_date_that_is_no_date_is_refused(db: Any, command: str) -> None:
    with pytest.raises(CommandError, match="--date must be YYYY-MM-DD"):
        call_command(command, date="2026-13-01")


@pytest.mark.parametrize("command", COMMANDS)
def test_an_unknown_municipality_is_refused(taby: Any, command: str) -> None:
    with pytest.raises(CommandError, match="no municipality 'vallentuna'"):
        call_command(command, municipality="vallentuna")


def test_each_municipality_gets_a_line_and_the_national_list_only_on_a_run_for_all(taby: Any,
                                                                                   sollentuna: Any) -> None:
    out = io.StringIO()
    call_command("send_contact_reminders", date="2026-10-01", stdout=out)
    assert out.getvalue().splitlines() == ["sollentuna: 0 e-mails about contacts", "taby: 0 e-mails about contacts",
                                           "national: 0 e-mails about contacts"]
    out = io.StringIO()
    call_command("send_contact_reminders", municipality="taby", date="2026-10-01", stdout=out)
    assert out.getvalue().splitlines() == ["taby: 0 e-mails about contacts"]
    out = io.StringIO()
    call_command("send_followup_reminders", municipality="taby", date="2026-10-01", stdout=out)
    assert out.getvalue().splitlines() == ["taby: 0 reminders sent, 0 about revisions"]
