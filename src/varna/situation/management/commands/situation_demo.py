from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from varna.core.models import Municipality
from varna.situation import demo


class Command(BaseCommand):
    help = "Load districts and synthetic observations for six terms into a municipality. Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
        parser.add_argument("--municipality", default="sollentuna", help="address name (slug)")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(slug=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality {options['municipality']!r}; run load_demo first.")
        self.stdout.write(demo.load(municipality, seed=options["seed"]))
