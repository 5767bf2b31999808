from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from varna.core import backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one .tar.gz (see README: Backup and restore)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", help="Where to write the archive (default: varna-<time>.tar.gz).")
        parser.add_argument("--format", choices=["json", "pg"], default="json",
                            help="json: Django's natural-key JSON (any database); pg: pg_dump (PostgreSQL only).")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"] or f"varna-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        try:
            manifest = backup.create(output, database_format=options["format"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["rows"].values())
        self.stdout.write(self.style.SUCCESS(
            f"Backup written to {output}: {rows} rows, {manifest['media_files']} uploaded files."))
