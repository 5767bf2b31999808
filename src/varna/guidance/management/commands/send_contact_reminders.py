import datetime as dt

from varna.core.management.reminders import ReminderCommand
from varna.core.models import Municipality
from varna.guidance import services


class Command(ReminderCommand):
    help = ("E-mail each municipality's coordinators the contacts in its guide that need checking (stale, or hidden "
            "by a newer national entry), and the platform administrators the stale entries of the national list. "
            "Run daily; each is mailed at most once a week.")

    def remind(self, municipality: Municipality, *, today: dt.date | None) -> str:
        sent = services.stale_contacts_remind(municipality=municipality, today=today)
        return f"{sent} e-mails about contacts"

    def remind_installation(self, *, today: dt.date | None) -> str:
        # The national list belongs to no municipality: a run for one municipality leaves it alone.
        sent = services.stale_national_contacts_remind(today=today)
        return f"national: {sent} e-mails about contacts"
