from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from varna.core import services
from varna.core.actors import SYSTEM


class Command(BaseCommand):
    help = ("Create a municipality in setup (`varna municipality create --name Täby --code 0160 --admin a@b.se`). "
            "Each --admin gets an e-mailed invitation link; nobody is sent a password.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--name", required=True, help="The municipality's name, e.g. Upplands Väsby.")
        parser.add_argument("--code", required=True, help="The four-digit municipality code (SCB), e.g. 0114.")
        parser.add_argument("--slug", default="", help="Address name; made from the name when left out.")
        parser.add_argument("--admin", action="append", default=[], metavar="EMAIL",
                            help="A first administrator to invite (repeat for two: roles such as coordinator "
                                 "need a second administrator's approval).")

    def handle(self, *args: Any, **options: Any) -> None:
        for email in options["admin"]:
            try:
                validate_email(email)
            except ValidationError as exc:
                raise CommandError(f"--admin {email}: not an e-mail address.") from exc
        try:
            municipality, invitations = services.municipality_create(
                actor=SYSTEM, name=options["name"], code=options["code"], slug=options["slug"],
                administrators=options["admin"])
        except services.CoreError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"{municipality.name} ({municipality.code}) created at /{municipality.slug}/, in setup."))
        for invitation in invitations:
            self.stdout.write(f"  invitation mailed to {invitation.email} (administrator), valid until "
                              f"{invitation.expires_at:%Y-%m-%d %H:%M}")
        if not invitations:
            self.stdout.write("  No administrator invited: a platform administrator can invite one.")
