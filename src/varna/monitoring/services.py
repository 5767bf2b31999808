"""Fetching feeds: store new entries, de-duplicated, cleaned and scored for relevance."""

from __future__ import annotations

import urllib.request
from typing import Any

from django.db import transaction
from django.utils import timezone

from varna.core import audit
from varna.monitoring import feeds
from varna.monitoring.models import FeedItem, FeedSource, KeywordList

MAX_BYTES = 2_000_000
TIMEOUT = 15


def _download(url: str) -> bytes:
    if not url.startswith(("http://", "https://")):
        raise ValueError("only http and https feeds")
    request = urllib.request.Request(url, headers={"User-Agent": "Varna feed reader"})  # noqa: S310 (checked)
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 # nosec B310 (scheme checked above)
        return response.read(MAX_BYTES + 1)[:MAX_BYTES]


def keywords_of(municipality: Any) -> dict[str, list[str]]:
    return {k.milieu: k.words() for k in KeywordList.objects.for_municipality(municipality)}


@transaction.atomic
def source_fetch(*, source: FeedSource, content: bytes | None = None) -> int:
    """Fetch `source` (or parse `content`, as the tests do) and store entries not seen before; returns how many."""
    try:
        data = content if content is not None else _download(source.url)
        entries = feeds.parse(data)
    except Exception as exc:  # a broken feed must not stop the others
        source.last_error = f"{type(exc).__name__}"[:300]
        source.last_fetched_at = timezone.now()
        source.save(update_fields=["last_error", "last_fetched_at"])
        return 0
    keywords = keywords_of(source.municipality)
    seen = set(FeedItem.objects.filter(source=source, uid__in=[e.uid for e in entries]).values_list("uid", flat=True))
    new = []
    for entry in entries:
        if entry.uid in seen:
            continue
        seen.add(entry.uid)
        new.append(FeedItem(source=source, uid=entry.uid, title=entry.title, link=entry.link, summary=entry.summary,
                            published_at=entry.published_at, milieus=feeds.milieus_matching(entry, keywords)))
    FeedItem.objects.bulk_create(new)
    source.last_error = ""
    source.last_fetched_at = timezone.now()
    source.save(update_fields=["last_error", "last_fetched_at"])
    if new:
        audit.record(actor=None, action="monitoring.feed.fetched", municipality=source.municipality, obj=source,
                     data={"new": len(new)})
    return len(new)


def fetch_all(*, municipality: Any = None) -> int:
    sources = FeedSource.objects.filter(active=True)
    if municipality is not None:
        sources = sources.filter(municipality=municipality)
    return sum(source_fetch(source=source) for source in sources)
