"""Background jobs: the database backend by default, Redis when configured, and a heartbeat that proves a
worker is running."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/15"


def _django(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "varna.settings.dev",
                   "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", **env}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=120)


def _redis_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


def test_the_database_backend_is_the_default(tmp_path: Path) -> None:
    result = _django("from django.conf import settings; print(settings.TASKS['default']['BACKEND'])", tmp_path)
    assert result.stdout.strip() == "django_tasks_db.DatabaseBackend", result.stderr


@pytest.mark.parametrize(("env", "message"), [
    ({"VARNA_TASKS_BACKEND": "redis"}, "needs REDIS_URL"),
    ({"VARNA_TASKS_BACKEND": "celery"}, "must be 'database' or 'redis'"),
])
def test_a_bad_task_backend_setting_refuses_to_start(tmp_path: Path, env: dict[str, str], message: str) -> None:
    result = _django("pass", tmp_path, REDIS_URL="", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_check_worker_reports_a_run_heartbeat(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("check_worker", timeout=5)  # the test settings run jobs at once
    assert "A worker ran the heartbeat" in capsys.readouterr().out


@pytest.mark.skipif(not _redis_is_up(), reason="needs Redis on 127.0.0.1:6379")
def test_with_redis_a_job_waits_in_the_queue_until_an_rq_worker_runs_it(tmp_path: Path) -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {"VARNA_TASKS_BACKEND": "redis", "REDIS_URL": REDIS_URL}
    enqueued = _django("from varna.core.tasks import worker_heartbeat as t; r = t.enqueue(); "
                       "print(r.id, r.status)", tmp_path, **env)
    assert enqueued.returncode == 0, enqueued.stderr
    job_id, status = enqueued.stdout.split()
    assert status == "READY"
    worker = subprocess.run([sys.executable, "manage.py", "rqworker", "default", "--burst"], cwd=ROOT,
                            env={**os.environ, "DJANGO_SETTINGS_MODULE": "varna.settings.dev",
                                 "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", **env},
                            capture_output=True, text=True, timeout=120)
    assert worker.returncode == 0, worker.stderr
    done = _django(f"from varna.core.tasks import worker_heartbeat as t; r = t.get_result('{job_id}'); "
                   "print(r.status, r.return_value)", tmp_path, **env)
    assert done.stdout.split()[0] == "SUCCESSFUL", done.stderr
    redis.Redis.from_url(REDIS_URL).flushdb()


@pytest.mark.django_db
def test_check_worker_fails_loudly_when_no_worker_runs(settings: pytest.FixtureRequest) -> None:
    from django.core.management.base import CommandError

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with pytest.raises(CommandError, match="No worker ran the heartbeat"):
        call_command("check_worker", timeout=0.5)
