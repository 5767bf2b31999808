"""Remind the senders of referrals that have waited too long for an answer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Remind the senders of referrals left unanswered past VARNA_REFERRAL_REMINDER_DAYS."

    def handle(self, *args: Any, **options: Any) -> None:
        from varna.cases import services

        reminded = services.referrals_remind()
        self.stdout.write(f"{len(reminded)} reminder(s) sent.")
