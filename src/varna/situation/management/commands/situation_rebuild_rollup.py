from typing import Any

from django.core.management.base import BaseCommand

from varna.core.models import Municipality
from varna.situation import services


class Command(BaseCommand):
    help = "Recompute the situation picture's rollup from the observations (every municipality)."

    def handle(self, *args: Any, **options: Any) -> None:
        for municipality in Municipality.objects.all():
            rows = services.rollup_rebuild(municipality=municipality)
            self.stdout.write(f"{municipality.slug}: {rows} rollup rows")
