"""Uploaded files: stored under random names, handed out only by views that checked the reader's permission.

Nothing under MEDIA_ROOT is ever served by path. A module's download view looks the object up the way the
page that links it does (same selector, same permission; 404 otherwise) and returns :func:`file_response`,
which sends the bytes itself in development, or, in production, tells the web server in front which file
to send (``X-Accel-Redirect`` for nginx, ``X-Sendfile`` for Apache or lighttpd) so that a large file ties up
no Python worker. Either way the response says ``Content-Disposition: attachment`` with the name the
uploader gave, ``X-Content-Type-Options: nosniff`` and a Content Security Policy that lets nothing run, so
no upload is ever shown as a page of Värna's (ASVS V12.5.2). See ``docs/adr/0011-uploaded-files.md`` for
the web server's configuration.

``VARNA_FILE_SERVING``: ``django`` (default), ``x-accel-redirect`` or ``x-sendfile``;
``VARNA_FILE_ACCEL_PREFIX``: the internal nginx location that maps to MEDIA_ROOT (``/protected-media/``).
"""

from __future__ import annotations

import os
import unicodedata
import uuid
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

SERVING_MODES = ("django", "x-accel-redirect", "x-sendfile")
# A downloaded file may not run anything, load anything or be framed, even if a browser renders it.
FILE_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"


def random_name(folder: str) -> str:
    """A storage name that says nothing about the file or its uploader: ``<folder>/<32 hex digits>``."""
    return f"{folder.strip('/')}/{uuid.uuid4().hex}"


def display_name(filename: str, *, fallback: str = "file") -> str:
    """The uploader's file name, cut to its last part and cleaned for a download header: no path, no control
    characters, at most 150 characters (the extension kept)."""
    name = os.path.basename(str(filename).replace("\\", "/"))
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C").strip()
    name = name.lstrip(".") or fallback
    if len(name) > 150:
        stem, dot, extension = name.rpartition(".")
        name = (stem[: 150 - len(extension) - 1] + dot + extension) if dot and len(extension) <= 10 else name[:150]
    return name


def _mode() -> str:
    mode = getattr(settings, "VARNA_FILE_SERVING", "django")
    if mode not in SERVING_MODES:
        raise ImproperlyConfigured(f"VARNA_FILE_SERVING must be one of {', '.join(SERVING_MODES)}, not {mode!r}.")
    return mode


def file_response(fieldfile: FieldFile, *, filename: str, content_type: str = "application/octet-stream",
                  public: bool = False) -> HttpResponseBase:
    """The stored file as a download, after the caller has checked that the reader may have it.

    ``public`` files (a lexicon image on a public page) may be cached by the browser; every other file is
    ``no-store``. A file missing from storage is a 404, like an object that does not exist.
    """
    if not fieldfile.name or not fieldfile.storage.exists(fieldfile.name):  # a FieldFile is true when named
        raise Http404
    name = fieldfile.name
    mode = _mode()
    response: HttpResponseBase
    if mode == "django":
        response = FileResponse(fieldfile.open("rb"), content_type=content_type)
    else:
        response = HttpResponse(content_type=content_type)
        if mode == "x-accel-redirect":
            prefix = "/" + settings.VARNA_FILE_ACCEL_PREFIX.strip("/") + "/"
            response["X-Accel-Redirect"] = prefix + quote(name)
        else:
            response["X-Sendfile"] = fieldfile.path
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response


def file_fields() -> list[tuple[Any, Any]]:
    """Every (model, FileField) of the installed apps: the file-access test walks them all."""
    from django.apps import apps
    from django.db import models

    return [(model, field) for model in apps.get_models() for field in model._meta.get_fields()
            if isinstance(field, models.FileField)]
