"""One size limit for everything people hand to Värna: uploads on the web, files given to the command line,
and request bodies of the API.

The limit is one setting, ``VARNA_UPLOAD_MAX_BYTES`` (5 MB by default; Django's
``DATA_UPLOAD_MAX_MEMORY_SIZE`` and ``FILE_UPLOAD_MAX_MEMORY_SIZE`` follow it). Forms call
:func:`check_upload`, commands :func:`read_path`, and :class:`RequestSizeLimitMiddleware` refuses a request
whose body is larger than the limit (plus room for a form's other fields) before any of it is read, so a
10 GB upload never reaches a temporary file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# A multipart form carries the file and a few fields (the CSRF token, a name): room for those.
FORM_OVERHEAD_BYTES = 64 * 1024


class UploadTooLarge(ValueError):
    """A file is larger than VARNA_UPLOAD_MAX_BYTES; the message says so in the active language."""


def max_bytes() -> int:
    return int(settings.VARNA_UPLOAD_MAX_BYTES)


def too_large_message() -> str:
    return _("The file is larger than %(size)s, the most Värna accepts.") % {"size": filesizeformat(max_bytes())}


def check_upload(upload: Any) -> None:
    """Raise a form ValidationError if an uploaded file is over the limit."""
    from django import forms

    if (getattr(upload, "size", 0) or 0) > max_bytes():
        raise forms.ValidationError(too_large_message(), code="too_large")


def read_upload(upload: Any) -> bytes:
    """The bytes of an uploaded file, reading at most one byte past the limit."""
    content = upload.read(max_bytes() + 1)
    if len(content) > max_bytes():
        from django import forms

        raise forms.ValidationError(too_large_message(), code="too_large")
    return content


def read_path(path: Path | str) -> bytes:
    """A file given on the command line, refused (UploadTooLarge) past the limit without reading it all."""
    with Path(path).open("rb") as handle:
        content = handle.read(max_bytes() + 1)
    if len(content) > max_bytes():
        raise UploadTooLarge(too_large_message())
    return content


class RequestSizeLimitMiddleware:
    """413 for a request body over the limit, judged by its Content-Length before anything is read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > max_bytes() + FORM_OVERHEAD_BYTES:
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse({"detail": "request_too_large", "errors": [
                    {"field": None, "message": too_large_message()}]}, status=413)
            return render(request, "core/request_too_large.html", {"message": too_large_message()}, status=413)
        return self.get_response(request)
