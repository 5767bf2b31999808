"""Backup and restore: the database and the uploaded files in one .tar.gz.

    varna backup -o varna-2026-11-25.tar.gz
    varna restore varna-2026-11-25.tar.gz      (into an empty database)

The database goes in as Django's JSON with natural keys (`database.json`), which any database
Värna supports can load, or with `--format pg` as a pg_dump custom-format archive (`database.pgdump`,
restored with pg_restore; faster for large PostgreSQL databases). `media/` holds MEDIA_ROOT and
`manifest.json` says what is inside, including the number of rows per model, which restore checks.

Restore only writes into an empty database: a backup never silently merges into live data. The
audit table is append-only; restoring into a fresh database only inserts, which it allows.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import io
import json
import os
import shutil
import subprocess  # for pg_dump and pg_restore, see _run_tool # nosec B404
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

FORMAT = "varna-backup/1"
# Rebuilt by `migrate` (content types, permissions) or short-lived (sessions): not worth restoring.
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]

_restoring: contextvars.ContextVar[bool] = contextvars.ContextVar("varna_restoring", default=False)


class BackupError(Exception):
    pass


def is_restoring() -> bool:
    """True while a restore loads rows exactly as they were; guards against editing history stand aside."""
    return _restoring.get()


@contextlib.contextmanager
def _restoring_rows() -> Iterator[None]:
    token = _restoring.set(True)
    try:
        yield
    finally:
        _restoring.reset(token)


def _counted_models() -> list[Any]:
    excluded = set(EXCLUDED)
    return [model for model in apps.get_models(include_auto_created=False)
            if model._meta.app_label not in excluded and model._meta.label_lower not in excluded
            and not model._meta.proxy and model._meta.managed]


def row_counts() -> dict[str, int]:
    return {model._meta.label_lower: model._base_manager.count() for model in _counted_models()}


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["--host", str(db.get("HOST") or "localhost"), "--port", str(db.get("PORT") or 5432),
            "--username", str(db.get("USER") or "postgres")]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run_tool(tool: str, args: list[str], env: dict[str, str]) -> None:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(f"{tool} is not installed (Debian: postgresql-client).")
    # The arguments come from settings and our own temporary paths, never from a request; no shell.
    subprocess.run([executable, *args], env=env, check=True)  # noqa: S603 # nosec B603


def create(output: Path, *, database_format: str = "json") -> dict[str, Any]:
    """Write a backup to `output` and return its manifest."""
    if database_format not in ("json", "pg"):
        raise BackupError(f"unknown database format {database_format!r} (json or pg)")
    if database_format == "pg" and connection.vendor != "postgresql":
        raise BackupError("--format pg needs PostgreSQL; use the JSON format on this database")
    manifest: dict[str, Any] = {
        "format": FORMAT, "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database_format": database_format, "database_vendor": connection.vendor, "rows": row_counts(),
    }
    media_root = Path(settings.MEDIA_ROOT)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        if database_format == "json":
            database = Path(work) / "database.json"
            with database.open("w", encoding="utf-8") as stream:
                call_command("dumpdata", natural_foreign=True, natural_primary=True, exclude=EXCLUDED,
                             indent=None, stdout=stream)
        else:
            database = Path(work) / "database.pgdump"
            args, env = _pg_environment()
            _run_tool("pg_dump", [*args, "--format", "custom", "--no-owner", "--no-privileges", "--file",
                                  str(database), str(settings.DATABASES["default"]["NAME"])], env)
        files = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.is_dir() else []
        manifest["media_files"] = len(files)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(database, arcname=database.name)
            for path in files:
                archive.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}")
        partial.replace(output)  # a half-written backup never carries the real name
    return manifest


def _is_empty() -> bool:
    if connection.vendor == "postgresql" and not connection.introspection.table_names():
        return True
    tables = set(connection.introspection.table_names())
    return all(not model._base_manager.exists() for model in _counted_models() if model._meta.db_table in tables)


def restore(archive_path: Path) -> dict[str, Any]:
    """Load a backup into this (empty) database and MEDIA_ROOT; return the manifest, checked against the rows."""
    if not _is_empty():
        raise BackupError("The database is not empty. Restore into a new, empty database.")
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive_path, "r:gz") as archive:
        # The "data" filter refuses absolute paths, "..", links out of the tree and device files.
        archive.extractall(work, filter="data")
        root = Path(work)
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Not a Värna backup (format {manifest.get('format')!r}).")
        if manifest["database_format"] == "pg":
            if connection.vendor != "postgresql":
                raise BackupError("This backup was made with pg_dump; restore it into PostgreSQL.")
            if connection.introspection.table_names():
                raise BackupError("pg_restore needs a database without tables: create a new database.")
            args, env = _pg_environment()
            connection.close()
            _run_tool("pg_restore", [*args, "--no-owner", "--no-privileges", "--single-transaction",
                                     "--exit-on-error", "--dbname", str(settings.DATABASES["default"]["NAME"]),
                                     str(root / "database.pgdump")], env)
        else:
            call_command("migrate", interactive=False, verbosity=0)
            with _restoring_rows(), transaction.atomic():
                call_command("loaddata", str(root / "database.json"), verbosity=0)
        media = root / "media"
        if media.is_dir():
            target = Path(settings.MEDIA_ROOT)
            for path in sorted(p for p in media.rglob("*") if p.is_file()):
                destination = target / path.relative_to(media)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, destination)
    found = row_counts()
    missing = {label: (count, found.get(label, 0)) for label, count in manifest["rows"].items()
               if found.get(label, 0) != count}
    if missing:
        raise BackupError("Restored row counts differ from the backup: " + ", ".join(
            f"{label} {want}→{got}" for label, (want, got) in sorted(missing.items())))
    return manifest
