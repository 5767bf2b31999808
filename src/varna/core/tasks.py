"""Tasks of the core app."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task


@task()
def worker_heartbeat() -> str:
    """Returns the worker's clock: `varna check_worker` enqueues it to prove that a worker picks up jobs."""
    return timezone.now().isoformat()
