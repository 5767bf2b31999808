from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from varna.core.actors import SYSTEM
from varna.core.models import Municipality
from varna.plans import selectors, services


class Command(BaseCommand):
    help = "Export a plan version as YAML (the approved one unless --version is given)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", required=True)
        parser.add_argument("--plan", help="The plan's address name; needed when there are several.")
        parser.add_argument("--number", type=int, help="Version number; default: the approved version.")
        parser.add_argument("-o", "--output", type=Path, help="Write to this file instead of standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(slug=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality {options['municipality']!r}.")
        plans = selectors.plans_of(municipality)
        if options["plan"]:
            plans = plans.filter(slug=options["plan"])
        if plans.count() != 1:
            raise CommandError("Name one plan with --plan: " + ", ".join(p.slug for p in selectors.plans_of(
                municipality)))
        plan = plans.get()
        version = (plan.versions.filter(number=options["number"]).first() if options["number"]
                   else selectors.current_version(plan))
        if version is None:
            raise CommandError("No such version.")
        text = services.plan_export(actor=SYSTEM, version=version)
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
