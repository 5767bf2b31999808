import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from varna.core.models import Municipality
from varna.guidance import services


class Command(BaseCommand):
    help = ("E-mail each municipality's coordinators the contacts in its guide that need checking (stale, or hidden "
            "by a newer national entry), and the platform administrators the stale entries of the national list. "
            "Run daily; each is mailed at most once a week.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--municipality", help="Address name of one municipality (default: all).")
        parser.add_argument("--date", help="Pretend today is this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = dt.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as exc:
            raise CommandError("--date must be YYYY-MM-DD") from exc
        municipalities = Municipality.objects.all()
        if options["municipality"]:
            municipalities = municipalities.filter(slug=options["municipality"])
            if not municipalities.exists():
                raise CommandError(f"no municipality {options['municipality']!r}")
        for municipality in municipalities:
            sent = services.stale_contacts_remind(municipality=municipality, today=today)
            self.stdout.write(f"{municipality.slug}: {sent} e-mails about contacts")
        if not options["municipality"]:
            # The national list belongs to no municipality: a run for one municipality leaves it alone.
            sent = services.stale_national_contacts_remind(today=today)
            self.stdout.write(f"national: {sent} e-mails about contacts")
