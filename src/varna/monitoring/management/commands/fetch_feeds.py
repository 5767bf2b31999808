from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from varna.core.models import Municipality
from varna.monitoring import services


class Command(BaseCommand):
    help = "Fetch every active feed (or one municipality's) and store new items."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", help="address name of one municipality")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.get(slug=options["municipality"]) if options["municipality"] else None
        new = services.fetch_all(municipality=municipality)
        self.stdout.write(f"{new} new items")
