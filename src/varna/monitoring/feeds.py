"""Parsing, cleaning and scoring feed entries. No Django, no network."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import html
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import feedparser
import nh3

SUMMARY_TAGS = {"p", "br", "em", "strong", "b", "i", "ul", "ol", "li", "a"}
MAX_ITEMS = 200
_SPACE = re.compile(r"\s+")
_BLOCK_TAG = re.compile(r"</?(?:p|br|li|ul|ol)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Entry:
    uid: str
    title: str
    link: str
    summary: str
    published_at: dt.datetime | None


def text_only(value: str, limit: int) -> str:
    """Markup stripped (nh3 with no tags), whitespace collapsed, cut at `limit` characters."""
    cleaned = nh3.clean(value or "", tags=set())
    # nh3 escapes &, < and >; the title is stored as text and escaped again when shown.
    cleaned = cleaned.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&quot;", '"')
    return _SPACE.sub(" ", cleaned).strip()[:limit]


def summary_text(summary: str) -> str:
    """The words of a summary that `clean_summary` made (well-formed, a few tags, no script): for matching only.

    Much quicker than another nh3 pass, which counts when every item is scored again. A paragraph or line
    break separates words; an inline tag does not.
    """
    return html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", summary or "")))


def safe_link(value: str) -> str:
    value = (value or "").strip()
    parts = urlsplit(value)
    return value[:1000] if parts.scheme in ("http", "https") and parts.netloc else ""


def clean_summary(value: str) -> str:
    return nh3.clean(value or "", tags=SUMMARY_TAGS, url_schemes={"http", "https"},
                     link_rel="noopener noreferrer nofollow")[:5000]


def _published(entry: Mapping[str, Any]) -> dt.datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC)
    except (OverflowError, ValueError, TypeError):
        return None


def parse(content: bytes) -> list[Entry]:
    """Entries of an RSS or Atom document; a malformed document gives what could be read, maybe nothing."""
    feed = feedparser.parse(content, sanitize_html=True, resolve_relative_uris=False)
    entries = []
    for raw in feed.entries[:MAX_ITEMS]:
        title = text_only(raw.get("title", ""), 500)
        link = safe_link(raw.get("link", ""))
        key = raw.get("id") or link or title
        if not key:
            continue
        entries.append(Entry(uid=hashlib.sha256(key.encode("utf-8", "replace")).hexdigest(), title=title or link,
                             link=link, summary=clean_summary(raw.get("summary", "")), published_at=_published(raw)))
    return entries


def matcher(keywords: Mapping[str, Iterable[str]]) -> Callable[[Entry], list[str]]:
    """A function giving the milieus whose keywords occur in an entry's title or summary text.

    Case-insensitive, whole words or phrases. One compiled pattern per milieu, so scoring thousands of
    items again after the keyword lists change stays quick.
    """
    patterns = {}
    for milieu, words in keywords.items():
        folded = sorted({w.casefold() for w in words if w and w.strip()}, key=len, reverse=True)
        if folded:
            pattern = re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, folded))})(?!\w)")
            patterns[milieu] = (folded, pattern)

    def match(entry: Entry) -> list[str]:
        text = f" {entry.title} {summary_text(entry.summary)} ".casefold()
        # A plain substring test first: most items hold none of the words, and it is far quicker than the
        # pattern, whose whole-word lookarounds are tried at every position.
        return sorted(milieu for milieu, (folded, pattern) in patterns.items()
                      if any(word in text for word in folded) and pattern.search(text))

    return match


def milieus_matching(entry: Entry, keywords: Mapping[str, Iterable[str]]) -> list[str]:
    """The milieus whose keywords occur in the entry's title or summary text (case-insensitive, whole words)."""
    return matcher(keywords)(entry)
