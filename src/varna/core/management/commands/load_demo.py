from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand

from varna.core import demo


class Command(BaseCommand):
    help = "Load the Sollentuna demo: municipality, plan, content of every module and one user per role. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = demo.load_municipality()
        # Each module contributes its own demo content through its AppConfig.load_demo hook.
        for config in apps.get_app_configs():
            loader = getattr(config, "load_demo", None)
            if loader is not None:
                self.stdout.write(f"{config.label}: {loader(municipality)}")
        people = demo.load_people(municipality)
        self.stdout.write(self.style.SUCCESS(f"\nDemo loaded: {municipality.name} at /{municipality.slug}/"))
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for person in people:
            self.stdout.write(f"  {person.role:<17} {person.email}")
        self.stdout.write("Coordinators and administrators set up an authenticator app at first login.")
