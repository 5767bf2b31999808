from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from varna.core.models import Municipality
from varna.monitoring import services


class Command(BaseCommand):
    help = "Fetch every active feed (or one municipality's) and store new items; --enqueue starts the schedule."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", help="address name of one municipality")
        parser.add_argument("--enqueue", action="store_true",
                            help="Queue the fetch for the task worker; each run then queues the next "
                                 "(VARNA_MONITORING_FETCH_MINUTES). Does nothing if a run is already queued.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            from varna.monitoring import tasks

            if options["municipality"]:
                raise CommandError("--enqueue fetches every municipality's feeds; leave out --municipality.")
            waiting = tasks.pending_run()
            if waiting is not None:
                self.stdout.write(f"already queued (runs after {waiting.isoformat()})")
                return
            result = tasks.enqueue()
            self.stdout.write(f"queued {result.id}" if result is not None else "not queued")
            return
        municipality = None
        if options["municipality"]:
            municipality = Municipality.objects.filter(slug=options["municipality"]).first()
            if municipality is None:
                raise CommandError(f"no municipality {options['municipality']!r}")
        new = services.fetch_all(municipality=municipality)
        self.stdout.write(f"{new} new items")
