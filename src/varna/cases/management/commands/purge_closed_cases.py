"""Purge closed cases past their retention period (legal hold stops it) and print the purge report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from varna.core.actors import SYSTEM


class Command(BaseCommand):
    help = "Purge closed cases whose retention period has passed, unless on legal hold, and print a report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only list what would be purged.")
        parser.add_argument("--today", type=dt.date.fromisoformat, help="Run as if it were this date (YYYY-MM-DD).")
        parser.add_argument("--enqueue", action="store_true", help="Queue the purge as a background task instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        from varna.cases import services, tasks

        if options["enqueue"]:
            result = tasks.purge_closed_cases.enqueue()
            self.stdout.write(f"queued {result.id}")
            return
        report = services.cases_purge(actor=SYSTEM, today=options["today"], dry_run=options["dry_run"])
        verb = "would purge" if options["dry_run"] else "purged"
        for entry in report:
            closed = entry.closed_at.date().isoformat() if entry.closed_at else "-"
            self.stdout.write(f"{verb} {entry.code} opened {entry.opened_at.date().isoformat()} closed {closed}")
        self.stdout.write(f"{len(report)} case(s) {verb}.")
