import datetime as dt

from varna.core.management.reminders import ReminderCommand
from varna.core.models import Municipality
from varna.followup import services
from varna.plans import services as plan_services


class Command(ReminderCommand):
    help = ("E-mail the managers of responsible units about plan activities due or overdue, and the coordinators "
            "about plan revisions due. Run daily.")

    def remind(self, municipality: Municipality, *, today: dt.date | None) -> str:
        sent = services.reminders_send(municipality=municipality, today=today)
        revisions = plan_services.revision_reminders_send(municipality=municipality, today=today)
        return f"{sent} reminders sent, {revisions} about revisions"
