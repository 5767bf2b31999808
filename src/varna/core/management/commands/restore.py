from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from varna.core import backup


class Command(BaseCommand):
    help = "Restore a backup made by `varna backup` into an empty database (and MEDIA_ROOT)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="The .tar.gz written by `varna backup`.")

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"No such file: {archive}")
        try:
            manifest = backup.restore(archive)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["rows"].values())
        self.stdout.write(self.style.SUCCESS(
            f"Restored the backup of {manifest['created_at']}: {rows} rows (all counts match), "
            f"{manifest['media_files']} uploaded files."))
