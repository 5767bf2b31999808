"""The fetch runs on a schedule with the database task backend alone: each run queues the next, never two."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from varna.monitoring import services, tasks
from varna.monitoring.models import FeedItem

pytestmark = pytest.mark.django_db
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
NEWS = (Path(__file__).with_name("feeds") / "news.rss").read_bytes()


def _waiting() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=tasks.fetch_feeds.module_path, status=TaskResultStatus.READY))


@override_settings(TASKS=DATABASE_BACKEND, VARNA_MONITORING_FETCH_MINUTES=30)
def test_a_run_fetches_and_queues_the_next_one_interval_later(news: Any) -> None:
    before = timezone.now()
    with mock.patch.object(services, "_download", return_value=NEWS):
        assert tasks.fetch_feeds.call() == 2
    [waiting] = _waiting()
    assert before + dt.timedelta(minutes=30) <= waiting.run_after <= timezone.now() + dt.timedelta(minutes=30)
    assert FeedItem.objects.count() == 2


@override_settings(TASKS=DATABASE_BACKEND)
def test_never_more_than_one_run_waits(news: Any) -> None:
    call_command("fetch_feeds", "--enqueue")
    call_command("fetch_feeds", "--enqueue")
    assert len(_waiting()) == 1
    with mock.patch.object(services, "_download", return_value=NEWS):
        tasks.fetch_feeds.call()  # a run while another waits (e.g. started by hand) adds none
    assert len(_waiting()) == 1


@override_settings(TASKS=DATABASE_BACKEND)
def test_the_worker_runs_the_chain(news: Any) -> None:
    call_command("fetch_feeds", "--enqueue")
    # The worker drops stale database connections between tasks; inside a test's transaction on
    # PostgreSQL that would close the test's own connection.
    with mock.patch.object(services, "_download", return_value=NEWS), \
            mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert FeedItem.objects.count() == 2
    [waiting] = _waiting()  # the run it did queued the next, an hour on by default
    assert waiting.run_after > timezone.now() + dt.timedelta(minutes=59)
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 1


@override_settings(TASKS=DATABASE_BACKEND)
def test_a_failing_run_still_queues_the_next(news: Any) -> None:
    with mock.patch.object(services, "fetch_all", side_effect=RuntimeError("database away")), \
            pytest.raises(RuntimeError):
        tasks.fetch_feeds.call()
    assert len(_waiting()) == 1


def test_a_backend_that_runs_at_once_gets_no_next_run(news: Any) -> None:
    # The tests' immediate backend cannot wait; queuing the next run there would loop forever.
    with mock.patch.object(services, "_download", return_value=NEWS):
        result = tasks.fetch_feeds.enqueue()
    assert result.return_value == 2
    assert tasks.schedule_next() is None
