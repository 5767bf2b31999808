"""Background jobs for cases, run by the task worker (`manage.py db_worker`) on a schedule such as a
nightly cron entry `manage.py purge_closed_cases --enqueue`. They call the same services as the commands."""

from __future__ import annotations

from django_tasks import task

from varna.core.actors import SYSTEM


@task()
def purge_closed_cases() -> list[str]:
    """Purge closed cases past their retention period; returns the purged codes (the purge report)."""
    from varna.cases import services

    return [entry.code for entry in services.cases_purge(actor=SYSTEM)]


@task()
def remind_unanswered_referrals() -> int:
    from varna.cases import services

    return len(services.referrals_remind())
