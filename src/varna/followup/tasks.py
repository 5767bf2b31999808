"""Background jobs of follow-up, run by django-tasks (database-backed by default)."""

from __future__ import annotations

from django_tasks import task

from varna.core.models import Municipality
from varna.followup import services


@task()
def send_followup_reminders() -> int:
    """The daily reminder run for every municipality: follow-up and plan revisions; returns the e-mails sent."""
    from varna.plans import services as plan_services

    return sum(services.reminders_send(municipality=m) + plan_services.revision_reminders_send(municipality=m)
               for m in Municipality.objects.all())
