"""Background jobs of the guide's contact directory, run by django-tasks like follow-up's reminders."""

from __future__ import annotations

from django_tasks import task

from varna.core.models import Municipality
from varna.guidance import services


@task()
def send_contact_reminders() -> int:
    """The daily run: each municipality's coordinators hear about contacts that need checking, and the platform
    administrators about the national list's, each at most weekly."""
    return (sum(services.stale_contacts_remind(municipality=m) for m in Municipality.objects.all())
            + services.stale_national_contacts_remind())
