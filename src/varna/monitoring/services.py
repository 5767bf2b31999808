"""Writes for media monitoring: fetching feeds, the coordinator's sources and keyword lists, and what the
working group does with an item (tag it, link it to an observation, dismiss it). Each write is audited."""

from __future__ import annotations

import http.client
import re
import socket
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from varna.core import audit
from varna.core.models import Municipality
from varna.knowledge import selectors as knowledge
from varna.monitoring import addresses, feeds, permissions
from varna.monitoring.models import FeedItem, FeedSource, ItemTag, KeywordList

MAX_BYTES = 2_000_000
TIMEOUT = 15
MAX_TAGS = 10
TAG_MAX_LENGTH = 40
KEYWORDS_MAX_LINES = 300
KEYWORD_MAX_LENGTH = 100
_TAG = re.compile(r"^\w[\w\- ]*$")


class MonitoringError(Exception):
    pass


class MonitoringPermissionError(MonitoringError):
    pass


# --- fetching ----------------------------------------------------------------------------------------

def _private_allowed() -> bool:
    return bool(getattr(settings, "VARNA_MONITORING_ALLOW_PRIVATE_ADDRESSES", False))


def _check_address(url: str) -> None:
    if _private_allowed():
        if not url.startswith(("http://", "https://")):
            raise ValueError("only http and https feeds")
        return
    addresses.require_public(url)


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """A public address must not redirect the fetch into the server's own network."""

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        _check_address(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _connect_public(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
    """socket.create_connection, refusing a peer that isn't public.

    The name was checked before the request, but the connection resolves it again: a name that answers
    with a public address to the check and a private one to the connection (DNS rebinding) is caught
    here, on the address actually connected to, before a byte (or a TLS handshake) is sent.
    """
    sock = socket.create_connection(address, *args, **kwargs)
    peer = str(sock.getpeername()[0])
    if not addresses.is_public_ip(peer):
        sock.close()
        raise addresses.BlockedAddress(address[0])
    return sock


class _PublicHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect_public


class _PublicHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect_public


class _PublicHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: Any) -> Any:
        return self.do_open(_PublicHTTPConnection, req)


class _PublicHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: Any) -> Any:
        # The keyword arguments the standard handler passes (check_hostname exists before Python 3.12).
        extra = {"check_hostname": self._check_hostname} if hasattr(self, "_check_hostname") else {}
        # _context: the standard handler's own, set in its __init__ (typeshed leaves the private name out).
        return self.do_open(_PublicHTTPSConnection, req, context=self._context, **extra)  # type: ignore[attr-defined]


def _download(url: str) -> bytes:
    _check_address(url)
    handlers: list[Any] = [_CheckedRedirects]
    # Through a proxy the peer is the proxy, which is the operator's to trust; else check the peer too.
    if not _private_allowed() and not urllib.request.getproxies():
        handlers += [_PublicHTTPHandler, _PublicHTTPSHandler]
    opener = urllib.request.build_opener(*handlers)
    # The scheme and the host were checked just above, and each redirect is checked again.
    request = urllib.request.Request(url, headers={"User-Agent": "Varna feed reader"})  # noqa: S310
    with opener.open(request, timeout=TIMEOUT) as response:  # nosec B310
        return response.read(MAX_BYTES + 1)[:MAX_BYTES]


def _error_code(exc: Exception) -> str:
    """What went wrong, short enough to store: the class name, with the status of an HTTP error."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTPError {exc.code}"
    reason = getattr(exc, "reason", None) if isinstance(exc, urllib.error.URLError) else None
    if isinstance(reason, TimeoutError | socket.timeout):
        return "TimeoutError"
    return type(exc).__name__[:300]


def keywords_of(municipality: Any) -> dict[str, list[str]]:
    return {k.milieu: k.words() for k in KeywordList.objects.for_municipality(municipality)}


def source_fetch(*, source: FeedSource, content: bytes | None = None) -> int:
    """Fetch `source` (or parse `content`, as the tests do) and store entries not seen before; returns how many."""
    try:
        # Outside the transaction: a slow server must not hold the database.
        data = content if content is not None else _download(source.url)
        entries = feeds.parse(data)
    except Exception as exc:  # a broken feed must not stop the others
        source.last_error = _error_code(exc)
        source.last_fetched_at = timezone.now()
        source.save(update_fields=["last_error", "last_fetched_at"])
        return 0
    return _store(source, entries)


@transaction.atomic
def _store(source: FeedSource, entries: list[feeds.Entry]) -> int:
    score = feeds.matcher(keywords_of(source.municipality))
    seen = set(FeedItem.objects.filter(source=source, uid__in=[e.uid for e in entries]).values_list("uid", flat=True))
    new = []
    for entry in entries:
        if entry.uid in seen:
            continue
        seen.add(entry.uid)
        new.append(FeedItem(source=source, uid=entry.uid, title=entry.title, link=entry.link, summary=entry.summary,
                            published_at=entry.published_at, milieus=score(entry)))
    FeedItem.objects.bulk_create(new)
    source.last_error = ""
    source.last_fetched_at = timezone.now()
    source.save(update_fields=["last_error", "last_fetched_at"])
    if new:
        audit.record(actor=None, action="monitoring.feed.fetched", municipality=source.municipality, obj=source,
                     data={"new": len(new)})
    return len(new)


def fetch_all(*, municipality: Any = None) -> int:
    sources = FeedSource.objects.filter(active=True).select_related("municipality")
    if municipality is not None:
        sources = sources.filter(municipality=municipality)
    return sum(source_fetch(source=source) for source in sources)


# --- sources and keywords: the coordinator ---------------------------------------------------------------

def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise MonitoringPermissionError(message)


def address_problem_message(url: str) -> str | None:
    """The reason, in the user's language, why Värna will not follow `url`; None when it may."""
    code = addresses.problem(url)
    if code is None or (code == "private" and _private_allowed()):
        return None
    if code == "scheme":
        return _("Only web addresses that start with http:// or https:// can be followed.")
    if code == "credentials":
        return _("Remove the user name and password from the address; Värna only reads public feeds.")
    if code == "private":
        return _("The address leads to this server or a private network. Värna only fetches public addresses.")
    return _("Enter a whole web address, for example https://www.example.se/rss.")


def _validate_source(municipality: Municipality, name: str, url: str, exclude: int | None = None) -> None:
    if not name.strip():
        raise MonitoringError(_("Give the feed a name."))
    problem = address_problem_message(url)
    if problem is not None:
        raise MonitoringError(problem)
    others = FeedSource.objects.for_municipality(municipality).filter(url=url)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise MonitoringError(_("This feed is already followed."))


@transaction.atomic
def source_create(*, actor: Any, municipality: Municipality, name: str, url: str, active: bool = True) -> FeedSource:
    """Follow a new feed. It is fetched at the next scheduled run, or at once with "Fetch now"."""
    _require(permissions.can_manage_sources(actor, municipality), _("Only the coordinator manages the feeds."))
    url = url.strip()
    _validate_source(municipality, name, url)
    source = FeedSource.objects.create(municipality=municipality, name=name.strip(), url=url, active=active)
    audit.record(actor=actor, action="monitoring.source.created", municipality=municipality, obj=source,
                 data={"name": source.name, "url": url})
    return source


@transaction.atomic
def source_update(*, actor: Any, source: FeedSource, name: str, url: str, active: bool) -> FeedSource:
    municipality = source.municipality
    _require(permissions.can_manage_sources(actor, municipality), _("Only the coordinator manages the feeds."))
    url = url.strip()
    _validate_source(municipality, name, url, exclude=source.pk)
    changed = {field: value for field, value in (("name", name.strip()), ("url", url), ("active", active))
               if getattr(source, field) != value}
    if "url" in changed:
        source.last_error = ""  # the old address's problem says nothing about the new one
    for field, value in changed.items():
        setattr(source, field, value)
    source.save()
    audit.record(actor=actor, action="monitoring.source.changed", municipality=municipality, obj=source,
                 data={"changed": sorted(changed), "name": source.name, "url": source.url})
    return source


@transaction.atomic
def source_set_active(*, actor: Any, source: FeedSource, active: bool) -> FeedSource:
    """Stop (or resume) fetching a feed; its items stay."""
    municipality = source.municipality
    _require(permissions.can_manage_sources(actor, municipality), _("Only the coordinator manages the feeds."))
    if source.active != active:
        source.active = active
        source.save(update_fields=["active"])
        audit.record(actor=actor, action="monitoring.source.activated" if active else "monitoring.source.deactivated",
                     municipality=municipality, obj=source, data={"name": source.name})
    return source


@transaction.atomic
def source_delete(*, actor: Any, source: FeedSource) -> None:
    """Remove a feed that never gave an item. One with items is deactivated instead, so nothing is lost."""
    municipality = source.municipality
    _require(permissions.can_manage_sources(actor, municipality), _("Only the coordinator manages the feeds."))
    if source.items.exists():
        raise MonitoringError(_("The feed has items and cannot be removed. Deactivate it instead; its items stay."))
    audit.record(actor=actor, action="monitoring.source.deleted", municipality=municipality, obj=source,
                 data={"name": source.name, "url": source.url})
    source.delete()


def source_fetch_now(*, actor: Any, source: FeedSource) -> int:
    """Fetch one feed at once, for the coordinator who just added or fixed it; returns how many items are new."""
    municipality = source.municipality
    _require(permissions.can_manage_sources(actor, municipality), _("Only the coordinator manages the feeds."))
    new = source_fetch(source=source)
    audit.record(actor=actor, action="monitoring.source.fetched", municipality=municipality, obj=source,
                 data={"new": new, "error": source.last_error})
    return new


def _keyword_lines(text: str) -> list[str]:
    lines: list[str] = []
    for line in (text or "").splitlines():
        word = " ".join(line.split())
        if word and word.casefold() not in {w.casefold() for w in lines}:
            lines.append(word)
    return lines


def keywords_problem(text: str) -> str | None:
    lines = _keyword_lines(text)
    if len(lines) > KEYWORDS_MAX_LINES:
        return _("At most %(n)s words or phrases per milieu.") % {"n": KEYWORDS_MAX_LINES}
    if any(len(line) > KEYWORD_MAX_LENGTH for line in lines):
        return _("A word or phrase may be at most %(n)s characters long.") % {"n": KEYWORD_MAX_LENGTH}
    return None


@transaction.atomic
def keywords_save(*, actor: Any, municipality: Municipality, keywords: Mapping[str, str]) -> int:
    """Save the keyword list of each milieu and score every item of the municipality again.

    Returns how many items are relevant under the new lists.
    """
    _require(permissions.can_manage_sources(actor, municipality), _("Only the coordinator edits the keywords."))
    counts = {}
    for milieu in (e.key for e in knowledge.vocabulary_of(municipality).active("milieu")):
        text = keywords.get(milieu, "")
        problem = keywords_problem(text)
        if problem is not None:
            raise MonitoringError(problem)
        lines = _keyword_lines(text)
        KeywordList.objects.update_or_create(municipality=municipality, milieu=milieu,
                                             defaults={"keywords": "\n".join(lines)})
        counts[milieu] = len(lines)
    relevant = items_rescore(municipality=municipality)
    audit.record(actor=actor, action="monitoring.keywords.saved", municipality=municipality,
                 data={"words": counts, "relevant": relevant})
    return relevant


def items_rescore(*, municipality: Municipality) -> int:
    """Match every item of the municipality against the current keyword lists; returns how many are relevant."""
    score = feeds.matcher(keywords_of(municipality))
    relevant = 0
    changed: dict[tuple[str, ...], list[int]] = {}
    rows = FeedItem.objects.filter(source__municipality=municipality).values_list("id", "title", "summary", "milieus")
    for pk, title, summary, old in rows.iterator(chunk_size=2000):
        milieus = score(feeds.Entry(uid="", title=title, link="", summary=summary, published_at=None))
        relevant += bool(milieus)
        if milieus != old:
            changed.setdefault(tuple(milieus), []).append(pk)
    # Few distinct outcomes (combinations of four milieus): one UPDATE per outcome and batch of ids.
    for outcome, pks in changed.items():
        for start in range(0, len(pks), 500):
            FeedItem.objects.filter(pk__in=pks[start:start + 500]).update(milieus=list(outcome))
    return relevant


# --- items: the working group -----------------------------------------------------------------------------

def _require_work(actor: Any, item: FeedItem) -> Municipality:
    municipality = item.source.municipality
    _require(permissions.can_work_items(actor, municipality), _("Your role does not handle monitoring items."))
    return municipality


def tag_problem(name: str) -> str | None:
    from varna.disclosure import guard as personal_data_guard

    cleaned = " ".join((name or "").split())
    if not cleaned:
        return _("Write a tag.")
    if len(cleaned) > TAG_MAX_LENGTH:
        return _("A tag may be at most %(n)s characters long.") % {"n": TAG_MAX_LENGTH}
    if not _TAG.match(cleaned):
        return _("A tag holds letters, digits, spaces and hyphens only.")
    found = personal_data_guard.problems(cleaned, label=_("tag"))
    if found:
        return " ".join(found)
    return None


@transaction.atomic
def item_tag(*, actor: Any, item: FeedItem, name: str) -> ItemTag:
    """Put a short tag on an item (stored in lower case; tagging twice with the same word changes nothing)."""
    municipality = _require_work(actor, item)
    problem = tag_problem(name)
    if problem is not None:
        raise MonitoringError(problem)
    name = " ".join(name.split()).lower()
    existing = item.tags.filter(name=name).first()
    if existing is not None:
        return existing
    if item.tags.count() >= MAX_TAGS:
        raise MonitoringError(_("An item can have at most %(n)s tags.") % {"n": MAX_TAGS})
    try:
        with transaction.atomic():
            tag = ItemTag.objects.create(item=item, name=name)
    except IntegrityError:  # the same tag added at the same moment by someone else
        return item.tags.get(name=name)
    audit.record(actor=actor, action="monitoring.item.tagged", municipality=municipality, obj=item,
                 data={"tag": name})
    return tag


@transaction.atomic
def item_untag(*, actor: Any, item: FeedItem, name: str) -> bool:
    municipality = _require_work(actor, item)
    deleted, _rows = item.tags.filter(name=name).delete()
    if deleted:
        audit.record(actor=actor, action="monitoring.item.untagged", municipality=municipality, obj=item,
                     data={"tag": name})
    return bool(deleted)


@transaction.atomic
def item_link(*, actor: Any, item: FeedItem, observation: Any) -> FeedItem:
    """Link the item to the observation of the situation picture it gave rise to (same municipality only)."""
    municipality = _require_work(actor, item)
    if observation.municipality_id != municipality.pk:
        raise MonitoringError(_("The observation belongs to another municipality."))
    item.observation = observation
    item.save(update_fields=["observation"])
    audit.record(actor=actor, action="monitoring.item.linked", municipality=municipality, obj=item,
                 data={"observation": observation.pk})
    return item


@transaction.atomic
def item_unlink(*, actor: Any, item: FeedItem) -> FeedItem:
    municipality = _require_work(actor, item)
    if item.observation_id is not None:
        previous = item.observation_id
        item.observation = None
        item.save(update_fields=["observation"])
        audit.record(actor=actor, action="monitoring.item.unlinked", municipality=municipality, obj=item,
                     data={"observation": previous})
    return item


@transaction.atomic
def item_dismiss(*, actor: Any, item: FeedItem) -> FeedItem:
    """Set an item aside as not of interest: it leaves the agenda digest and the count of new items."""
    municipality = _require_work(actor, item)
    if item.dismissed_at is None:
        item.dismissed_at = timezone.now()
        item.save(update_fields=["dismissed_at"])
        audit.record(actor=actor, action="monitoring.item.dismissed", municipality=municipality, obj=item)
    return item


@transaction.atomic
def item_restore(*, actor: Any, item: FeedItem) -> FeedItem:
    """Undo a dismissal."""
    municipality = _require_work(actor, item)
    if item.dismissed_at is not None:
        item.dismissed_at = None
        item.save(update_fields=["dismissed_at"])
        audit.record(actor=actor, action="monitoring.item.restored", municipality=municipality, obj=item)
    return item


def items_exported(*, actor: Any, municipality: Municipality, file_format: str, filters: Mapping[str, str],
                   rows: int) -> None:
    """Audit an export of the item list (what was filtered and how many rows left the system)."""
    _require(permissions.can_view_monitoring(actor, municipality), _("Your role does not see monitoring."))
    audit.record(actor=actor, action="monitoring.items.exported", municipality=municipality,
                 data={"format": file_format, "filters": dict(filters), "rows": rows})
