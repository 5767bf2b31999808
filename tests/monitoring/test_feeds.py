"""Feeds: parsed from local files only (no network), de-duplicated, sanitized, scored per milieu."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from varna.monitoring import feeds, services
from varna.monitoring.models import FeedItem, FeedSource, KeywordList

FEEDS = Path(__file__).with_name("feeds")
pytestmark = pytest.mark.django_db


@pytest.fixture
def source(sollentuna: Any) -> FeedSource:
    KeywordList.objects.create(municipality=sollentuna, milieu="white-power", keywords="vit makt\nnazistiska")
    KeywordList.objects.create(municipality=sollentuna, milieu="violent-islamist", keywords="islamism")
    return FeedSource.objects.create(municipality=sollentuna, name="Nyheter", url="https://news.example/feed")


def _fetch(source: FeedSource, name: str) -> int:
    return services.source_fetch(source=source, content=(FEEDS / name).read_bytes())


def test_items_are_stored_once_and_scored_by_milieu(source: FeedSource) -> None:
    assert _fetch(source, "news.rss") == 2
    assert _fetch(source, "news.rss") == 0
    nazi = FeedItem.objects.get(link="https://news.example/a1")
    assert nazi.milieus == ["white-power"]
    assert nazi.published_at == dt.datetime(2025, 3, 10, 8, 0, tzinfo=dt.UTC)  # the item's pubDate
    assert FeedItem.objects.get(link="https://news.example/a2").milieus == []


def test_atom_feeds_are_read(source: FeedSource) -> None:
    assert _fetch(source, "atom.xml") == 1
    assert FeedItem.objects.get().milieus == ["violent-islamist"]


def test_hostile_markup_is_removed(source: FeedSource) -> None:
    _fetch(source, "hostile.rss")
    item = FeedItem.objects.get()
    assert "<script" not in item.title
    assert "<img" not in item.title
    assert item.link == ""
    for bad in ("onclick", "<iframe", "javascript:", "<style", "<script"):
        assert bad not in item.summary.lower()


def test_malformed_and_entity_bomb_feeds_do_not_break_the_fetch(time_machine: Any, source: FeedSource) -> None:
    fetched = dt.datetime(2026, 3, 11, 9, 30, tzinfo=dt.UTC)
    time_machine.move_to(fetched, tick=False)
    _fetch(source, "malformed.rss")
    _fetch(source, "billion_laughs.xml")
    for item in FeedItem.objects.all():
        assert "root:" not in item.title
        assert len(item.title) <= 500
    source.refresh_from_db()
    assert source.last_fetched_at == fetched


def test_the_command_fetches_every_active_feed_without_network(source: FeedSource) -> None:
    from django.core.management import call_command

    with mock.patch.object(services, "_download", return_value=(FEEDS / "news.rss").read_bytes()) as download:
        call_command("fetch_feeds")
    download.assert_called_once_with("https://news.example/feed")
    assert FeedItem.objects.count() == 2


def test_a_feed_that_fails_to_download_records_the_error(source: FeedSource) -> None:
    with mock.patch.object(services, "_download", side_effect=OSError("down")):
        assert services.fetch_all() == 0
    source.refresh_from_db()
    assert source.last_error == "OSError"


words = st.text(alphabet="abcåäö -.", min_size=1, max_size=8).filter(lambda w: w.strip())


@given(title=st.text(alphabet="abcåäö -.,!", max_size=40),
       keywords=st.dictionaries(st.sampled_from(["white-power", "autonomous", "unclear"]),
                                st.lists(words, max_size=4), max_size=3))
def test_the_compiled_matcher_finds_exactly_the_whole_words_a_plain_search_finds(
        title: str, keywords: dict[str, list[str]]) -> None:
    entry = feeds.Entry(uid="x", title=title, link="", summary="", published_at=None)
    text = f" {title} ".casefold()
    expected = sorted(milieu for milieu, ws in keywords.items()
                      if any(re.search(rf"(?<!\w){re.escape(w.casefold())}(?!\w)", text) for w in ws if w.strip()))
    assert feeds.matcher(keywords)(entry) == expected


@given(st.lists(st.text(alphabet="abcåäö 019&'\";.-", max_size=30), min_size=1, max_size=4))
def test_the_quick_summary_text_reads_the_words_nh3_would(paragraphs: list[str]) -> None:
    cleaned = feeds.clean_summary("".join(f"<p>{p}</p>" for p in paragraphs))
    slow = " ".join(feeds.text_only(p, 10_000) for p in (feeds.clean_summary(q) for q in paragraphs)).split()
    assert feeds.summary_text(cleaned).split() == slow


def test_a_paragraph_break_separates_words_but_an_inline_tag_does_not() -> None:
    assert feeds.summary_text("<p>vit</p><p>makt</p>").split() == ["vit", "makt"]
    assert feeds.summary_text("<b>vit makt</b>-gruppen &amp; <em>kl</em>otter").split() == [
        "vit", "makt-gruppen", "&", "klotter"]
