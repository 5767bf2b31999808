"""Rendered output that is built once and served from the cache until what it shows changes.

A cached piece (a template fragment, a PDF) is stored under a key made of

- its name (what the piece is: "plans.overview", "situation.charts"),
- a *stamp* the caller computes from the data the piece shows (for a plan version: its id, status and
  revision stamp, the plan's title, the names of the organisations it names; for the situation dashboard:
  the suppressed figures themselves), so that any change to that data gives a new key at once,
- the active language, and
- the *code revision*: a digest of every template, compiled translation catalogue and Python module of
  the project, so that a deploy (or, in development, an edited template) never serves an old rendering
  out of a shared cache such as Redis.

There is no invalidation to forget: an old entry is simply never asked for again and expires
(`VARNA_RENDER_CACHE_SECONDS`, a day by default). A stamp of None means "do not cache" (drafts), and the
piece is rendered every time. ADR 0015 says why and what a new cached piece must put in its stamp.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.autoreload import file_changed

PACKAGE_DIR = Path(__file__).resolve().parent.parent
_SUFFIXES = (".html", ".txt", ".xml", ".svg", ".mo", ".py")
_SKIPPED = {"static", "__pycache__", "migrations", "node_modules"}  # nothing in them changes a rendering
_lock = threading.Lock()
_revision: str | None = None


def _template_dirs() -> Iterable[Path]:
    from django.template import engines
    from django.template.utils import get_app_template_dirs

    for engine in engines.all():
        yield from (Path(d) for d in getattr(engine, "dirs", []))
    yield from (Path(d) for d in get_app_template_dirs("templates"))


def code_revision() -> str:
    """A digest of the sources a rendering depends on: computed once per process (a few ms)."""
    global _revision
    if _revision is None:
        with _lock:
            if _revision is None:
                digest = hashlib.sha256()
                roots = sorted({PACKAGE_DIR, *_template_dirs()})
                seen: set[Path] = set()
                for root in roots:
                    for path in sorted(root.rglob("*")):
                        if (path.suffix in _SUFFIXES and not _SKIPPED.intersection(path.relative_to(root).parts)
                                and path not in seen and path.is_file()):
                            seen.add(path)
                            digest.update(str(path).encode())
                            digest.update(path.read_bytes())
                digest.update(_static_manifest())
                _revision = digest.hexdigest()[:16]
    return _revision


def _static_manifest() -> bytes:
    """The hashed static file names a whole cached page links to (`page`): a deploy that changes only a style
    sheet changes them too. Empty where static files are not hashed (development, tests)."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    storage = getattr(staticfiles_storage, "manifest_storage", None)
    name = getattr(staticfiles_storage, "manifest_name", None)
    try:
        if storage is not None and name and storage.exists(name):
            with storage.open(name) as manifest:
                return bytes(manifest.read())
    except OSError:
        pass
    return b""


def forget_code_revision() -> None:
    """Make the next rendering recompute the code revision (a template or setting changed)."""
    global _revision
    with _lock:
        _revision = None


@receiver(setting_changed)
def _settings_changed(*, setting: str, **_kwargs: Any) -> None:
    if setting in ("TEMPLATES", "INSTALLED_APPS", "LOCALE_PATHS"):
        forget_code_revision()


@receiver(file_changed)
def _file_changed(*, file_path: Path, **_kwargs: Any) -> None:
    # The development server's autoreloader: an edited template shows at the next request.
    if Path(file_path).suffix in _SUFFIXES:
        forget_code_revision()


def key(name: str, stamp: object, *, language: str | None = None) -> str:
    """The cache key of one rendering of `name` for data `stamp` in `language` (default: the active one)."""
    material = repr((name, stamp, language or translation.get_language(), code_revision()))
    return f"render:{name}:{hashlib.sha256(material.encode()).hexdigest()}"


def timeout() -> int:
    return int(getattr(settings, "VARNA_RENDER_CACHE_SECONDS", 24 * 3600))


def get(name: str, stamp: object, *, language: str | None = None) -> Any:
    """The cached rendering, or None (always None for a stamp of None)."""
    return None if stamp is None else cache.get(key(name, stamp, language=language))


def put(name: str, stamp: object, value: Any, *, language: str | None = None) -> None:
    if stamp is not None:
        cache.set(key(name, stamp, language=language), value, timeout())


def get_or_render(name: str, stamp: object, render: Callable[[], Any], *, language: str | None = None) -> Any:
    """The cached rendering of `name` for `stamp`, or `render()` (stored unless `stamp` is None)."""
    if stamp is None:
        return render()
    cache_key = key(name, stamp, language=language)
    value = cache.get(cache_key)
    if value is None:
        value = render()
        cache.set(cache_key, value, timeout())
    return value


# What a cached page holds where each response's own CSRF token goes (`page`): replaced only where it stands as
# the token field's whole value, which no text on the page can imitate (its quotes would be escaped).
_CSRF_PLACEHOLDER = "varna-csrf-token-placeholder-3f9c"
_CSRF_FIELD = 'name="csrfmiddlewaretoken" value="{}"'


def page(request: HttpRequest, template_name: str, context: dict[str, Any], *, name: str, stamp: object,
         parameters: Iterable[str] = ()) -> HttpResponse:
    """``render(request, template_name, context)``, or, for a reader who is not logged in, the whole page
    from the cache: built once per stamp, address, menu, language and code revision.

    A public page of an approved version is the same for every visitor but for the CSRF token of the
    header's language form, which is left out of the cached page and filled in per response (so that each
    visitor still gets their own token and cookie). The page is rendered as usual (and not kept) when
    the stamp is None (a draft), for a logged-in user (whose name, menu and forms are on it), when a message
    is waiting to be shown, or when the query string holds anything but the given `parameters` once each
    (so that made-up addresses cannot fill the cache). The header's menu is part of the key, so a module
    switched on or off shows at once.
    """
    from django.contrib.messages import get_messages
    from django.middleware.csrf import get_token
    from django.shortcuts import render

    if (stamp is None or request.method not in ("GET", "HEAD") or request.user.is_authenticated
            or len(get_messages(request)) or not _plain_query(request, frozenset(parameters))):
        return render(request, template_name, context)
    menu = _menu(request)
    cache_key = key(f"page.{name}", (stamp, request.get_full_path(), menu))
    html = cache.get(cache_key)
    if html is None:
        html = render_to_string(template_name, {**context, "csrf_token": _CSRF_PLACEHOLDER}, request)
        cache.set(cache_key, html, timeout())
    token = _CSRF_FIELD.format(get_token(request))  # also sets the CSRF cookie, as the tag would
    return HttpResponse(html.replace(_CSRF_FIELD.format(_CSRF_PLACEHOLDER), token))


def _plain_query(request: HttpRequest, parameters: frozenset[str]) -> bool:
    return all(name in parameters and len(request.GET.getlist(name)) == 1 for name in request.GET)


def _menu(request: HttpRequest) -> tuple[tuple[str, str], ...]:
    """The header menu's links as a visitor sees them (label and address; the current one is the address)."""
    from varna.core.navigation import links_for

    municipality = getattr(request, "municipality", None)
    if municipality is None:
        return ()
    return tuple((str(link.label), link.url) for link in links_for(request, municipality) if link.in_header)


def etag(name: str, stamp: object, *, language: str | None = None) -> str:
    """A strong ETag for the rendering of `name` for `stamp`: the same key, so it changes when it does."""
    return '"' + key(name, stamp, language=language).rsplit(":", 1)[1][:32] + '"'
