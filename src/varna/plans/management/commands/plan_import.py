from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from varna.core import uploads
from varna.core.actors import SYSTEM
from varna.core.models import Municipality
from varna.plans import services, yaml_io


class Command(BaseCommand):
    help = "Import one plan version from a YAML file. Atomic: a bad file changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--municipality", required=True, help="The municipality's address name (slug).")
        parser.add_argument("--language", default="sv", choices=["sv", "en"], help="Language of error messages.")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            municipality = Municipality.objects.filter(slug=options["municipality"]).first()
            if municipality is None:
                raise CommandError(translation.gettext("No municipality has the address name “%(slug)s”.")
                                   % {"slug": options["municipality"]})
            try:
                # The same size limit as an upload on the web (VARNA_UPLOAD_MAX_BYTES).
                text = uploads.read_path(options["file"]).decode("utf-8")
            except (OSError, UnicodeDecodeError, uploads.UploadTooLarge) as exc:
                raise CommandError(str(exc)) from exc
            try:
                version = services.plan_import(actor=SYSTEM, municipality=municipality, text=text)
            except yaml_io.PlanFormatError as exc:
                lines = [translation.gettext("The plan was not imported. Nothing was changed.")]
                lines += [f"  {problem}" for problem in exc.problems]
                raise CommandError("\n".join(lines)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"{version.plan.title} v{version.number} ({version.get_status_display()}): "
            f"{version.activities.count()} activities"))
