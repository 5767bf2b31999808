from typing import Any

from django.core.management.base import BaseCommand

from varna.core.models import Municipality
from varna.implementation import services


class Command(BaseCommand):
    help = "Remind managers and employees who have not yet confirmed or acknowledged the current plan version."

    def handle(self, *args: Any, **options: Any) -> None:
        for municipality in Municipality.objects.all():
            sent = services.reminders_send(municipality=municipality)
            self.stdout.write(f"{municipality.slug}: {sent} reminders sent")
