"""The shape every daily reminder command shares (`send_followup_reminders`, `send_contact_reminders`).

A subclass says what one municipality's reminders are (:meth:`ReminderCommand.remind`) and, optionally, what
is sent once for the whole installation (:meth:`ReminderCommand.remind_installation`, e.g. the national
contact list, which belongs to no municipality). The options are the same for all: ``--municipality`` for one
municipality (then nothing installation-wide is sent) and ``--date`` to run as if on another day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from varna.core.models import Municipality


class ReminderCommand(BaseCommand):
    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--municipality", help="Address name of one municipality (default: all).")
        parser.add_argument("--date", help="Pretend today is this date (YYYY-MM-DD).")

    def remind(self, municipality: Municipality, *, today: dt.date | None) -> str:
        """Send one municipality's reminders; the line to print after its address name."""
        raise NotImplementedError

    def remind_installation(self, *, today: dt.date | None) -> str | None:
        """Send what belongs to no municipality (on a run for all of them); the line to print, or None."""
        return None

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = dt.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as exc:
            raise CommandError("--date must be YYYY-MM-DD") from exc
        municipalities = Municipality.objects.all()
        if options["municipality"]:
            municipalities = municipalities.filter(slug=options["municipality"])
            if not municipalities.exists():
                raise CommandError(f"no municipality {options['municipality']!r}")
        for municipality in municipalities:
            self.stdout.write(f"{municipality.slug}: {self.remind(municipality, today=today)}")
        if not options["municipality"]:
            line = self.remind_installation(today=today)
            if line is not None:
                self.stdout.write(line)
