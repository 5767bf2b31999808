"""The scheduled fetch of every feed, run by the task worker (`manage.py db_worker`).

`fetch_feeds` queues its own next run `VARNA_MONITORING_FETCH_MINUTES` later, so one
`manage.py fetch_feeds --enqueue` starts a chain that keeps going with no cron and no other server.
There is never more than one run waiting: starting the chain twice, or a run that finds another already
queued, adds nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

_PENDING_KEY = "varna:monitoring:fetch-queued-until"


@task()
def fetch_feeds() -> int:
    """Fetch every active feed; returns how many items are new. Queues the next run even if this one fails."""
    from varna.monitoring import services

    try:
        return services.fetch_all()
    finally:
        schedule_next()


def _db_backend(backend: Any) -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(backend, DatabaseBackend)


def pending_run() -> Any:
    """The queued, not yet started run of `fetch_feeds` (its run_after), or None.

    The database backend is asked directly. Other backends (a Redis queue) cannot be searched, so a cache
    entry that lasts until the queued run is due stands in for it.
    """
    backend = fetch_feeds.get_backend()
    if _db_backend(backend):
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult, get_date_max

        waiting = DBTaskResult.objects.filter(task_path=fetch_feeds.module_path, backend_name=backend.alias,
                                              status=TaskResultStatus.READY).order_by("run_after").first()
        if waiting is None:
            return None
        # The backend stores "as soon as possible" as the largest date.
        return waiting.enqueued_at if waiting.run_after == get_date_max() else waiting.run_after
    return cache.get(_PENDING_KEY)


def enqueue(*, run_after: dt.datetime | None = None) -> Any:
    """Queue a run of `fetch_feeds` unless one is already waiting; returns the task result, or None.

    Backends that run tasks at once (the immediate backend of the tests) cannot wait: they get no next run.
    """
    backend = fetch_feeds.get_backend()
    if run_after is not None and not backend.supports_defer:
        return None
    if pending_run() is not None:
        return None
    result = (fetch_feeds.using(run_after=run_after) if run_after is not None else fetch_feeds).enqueue()
    if not _db_backend(backend):
        due = run_after or timezone.now()
        cache.set(_PENDING_KEY, due, timeout=max(int((due - timezone.now()).total_seconds()), 1))
    return result


def schedule_next(*, now: dt.datetime | None = None) -> Any:
    """Queue the next scheduled run, VARNA_MONITORING_FETCH_MINUTES from now."""
    now = now or timezone.now()
    return enqueue(run_after=now + dt.timedelta(minutes=settings.VARNA_MONITORING_FETCH_MINUTES))
