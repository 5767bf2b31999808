"""Feeds, items and observations for the monitoring tests, in Sollentuna and in Täby (the other tenant)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from varna.core.actors import SYSTEM

_uids = itertools.count(1)


@pytest.fixture
def news(sollentuna: Any) -> Any:
    """Sollentuna follows one feed and has keyword lists for two milieus."""
    from varna.monitoring.models import FeedSource, KeywordList

    KeywordList.objects.create(municipality=sollentuna, milieu="white-power", keywords="vit makt\nnazistiska\nhakkors")
    KeywordList.objects.create(municipality=sollentuna, milieu="violent-islamist", keywords="jihadist")
    return FeedSource.objects.create(municipality=sollentuna, name="Lokaltidningen", url="https://news.example/rss")


@pytest.fixture
def make_item() -> Callable[..., Any]:
    """An item as a fetch would store it (title and summary already cleaned), `days_ago` before now."""
    from varna.monitoring.models import FeedItem

    def make(source: Any, title: str, *, milieus: list[str] | None = None, summary: str = "", days_ago: float = 1,
             link: str = "") -> Any:
        when = timezone.now() - dt.timedelta(days=days_ago)
        uid = f"{next(_uids):064d}"
        return FeedItem.objects.create(source=source, uid=uid, title=title, link=link or f"https://news.example/{uid[-6:]}",
                                       summary=summary, published_at=when, fetched_at=when,
                                       milieus=milieus or [])

    return make


@pytest.fixture
def items(news: Any, make_item: Callable[..., Any]) -> dict[str, Any]:
    return {
        "stickers": make_item(news, "Nazistiska klistermärken vid stationen", milieus=["white-power"], days_ago=1),
        "pool": make_item(news, "Nya simhallen öppnar", days_ago=2),
        "graffiti": make_item(news, "Hakkors på skolgården", milieus=["white-power"], days_ago=3),
        "report": make_item(news, "Rapport om jihadistisk propaganda", milieus=["violent-islamist"], days_ago=4),
    }


@pytest.fixture
def taby_item(taby: Any, make_item: Callable[..., Any]) -> Any:
    from varna.monitoring.models import FeedSource

    source = FeedSource.objects.create(municipality=taby, name="Täby nyheter", url="https://taby.example/rss")
    return make_item(source, "Klotter i Täby centrum", milieus=["white-power"])


@pytest.fixture
def make_observation() -> Callable[..., Any]:
    """A non-personal observation of the situation picture, through its own service."""
    from varna.situation import demo, services
    from varna.situation.choices import COUNT_FIELDS

    def make(municipality: Any, *, category: str = "propaganda", date: dt.date | None = None) -> Any:
        district = demo.load_districts(municipality)[0]
        values = {"date": date or timezone.localdate(), "district": district, "category": category,
                  "milieu": "white-power", "signs": [], "source_organisation": None, "description": ""}
        values.update({name: 0 for name, _g, _a in COUNT_FIELDS})
        values["n_male_15_17"] = 2
        return services.observation_create(actor=SYSTEM, municipality=municipality, values=values)

    return make
