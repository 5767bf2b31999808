"""Enqueue a heartbeat and wait for a worker to run it: proves the background jobs are being processed."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks import TaskResultStatus

from varna.core.tasks import worker_heartbeat


class Command(BaseCommand):
    help = "Enqueue a heartbeat job and wait until a worker has run it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--timeout", type=float, default=30.0, help="Seconds to wait (default 30).")

    def handle(self, *args: Any, timeout: float, **options: Any) -> None:
        result = worker_heartbeat.enqueue()
        deadline = time.monotonic() + timeout
        while True:
            if result.status == TaskResultStatus.SUCCESSFUL:
                self.stdout.write(f"A worker ran the heartbeat: {result.return_value}")
                return
            if result.status == TaskResultStatus.FAILED:
                raise CommandError("The heartbeat job failed; see the worker's log.")
            if time.monotonic() > deadline:
                raise CommandError(f"No worker ran the heartbeat within {timeout:g} s: is `varna db_worker` "
                                   "(or `varna rqworker default`) running?")
            time.sleep(0.2)
            result.refresh()
