"""The coordinator handles a news item in the browser, and the monitoring pages pass axe-core."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

MONITORING = "/sollentuna/monitoring/"


@pytest.fixture
def news(sollentuna: Any) -> Any:
    from varna.monitoring import services
    from varna.monitoring.models import FeedSource, KeywordList

    KeywordList.objects.create(municipality=sollentuna, milieu="white-power", keywords="hakkors")
    source = FeedSource.objects.create(municipality=sollentuna, name="Lokaltidningen", url="https://news.example/rss")
    services.source_fetch(source=source, content=(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
        b"<item><guid>1</guid><title>Hakkors p\xc3\xa5 skolg\xc3\xa5rden</title><link>https://news.example/1</link>"
        b"<description>&lt;p&gt;Klottret togs bort.&lt;/p&gt;</description></item>"
        b"<item><guid>2</guid><title>Nya simhallen</title><link>https://news.example/2</link></item>"
        b"</channel></rss>"))
    return source


def test_the_coordinator_tags_and_dismisses_an_item(new_page: Callable[..., Any], alice: Any, news: Any) -> None:
    page = new_page("en", alice)
    page.goto(MONITORING)
    row = page.get_by_role("row").filter(has_text="Hakkors på skolgården")
    expect(row.get_by_role("link", name="Hakkors på skolgården")).to_have_attribute("target", "_blank")
    row.get_by_role("link", name="New").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hakkors på skolgården")
    page.get_by_label("New tag").fill("graffiti")
    page.get_by_role("button", name="Add the tag").click()
    expect(page.get_by_text("Tagged “graffiti”.")).to_be_visible()
    page.get_by_role("button", name="Dismiss").click()
    expect(page.get_by_role("button", name="Undo the dismissal")).to_be_visible()
    page.get_by_role("link", name="Back to the list").click()
    row = page.get_by_role("row").filter(has_text="Hakkors på skolgården")
    expect(row.get_by_role("cell", name="graffiti")).to_be_visible()
    expect(row.get_by_role("link", name="Dismissed")).to_be_visible()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_monitoring_pages_pass_axe(new_page: Callable[..., Any], axe: Callable[[Any], list[dict[str, Any]]],
                                   alice: Any, news: Any, language: str) -> None:
    from varna.monitoring.models import FeedItem

    item = FeedItem.objects.get(title="Hakkors på skolgården")
    page = new_page(language, alice)
    problems = {}
    for path in (MONITORING, f"{MONITORING}?relevance=all", f"{MONITORING}items/{item.pk}/", f"{MONITORING}feeds/",
                 f"{MONITORING}feeds/new/", f"{MONITORING}keywords/"):
        page.goto(path)
        violations = axe(page)
        if violations:
            problems[path] = violations
    assert not problems, problems
