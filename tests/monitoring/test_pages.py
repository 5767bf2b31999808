"""The monitoring pages: who sees them, what the item list shows and filters, its exports, and hostile text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import lxml.html
import pytest

from varna.monitoring import services

pytestmark = pytest.mark.django_db
URL = "/sollentuna/monitoring/"


def _titles(response: Any) -> list[str]:
    return [row[1] for row in _rows(response)]


def _rows(response: Any) -> list[list[str]]:
    """The cell texts of each row of the item table (XPath: lxml's cssselect needs a package we lack)."""
    document = lxml.html.fromstring(response.content)
    return [[" ".join(td.text_content().split()) for td in tr.xpath("./td")]
            for tr in document.xpath("//table[@data-export-table]/tbody/tr")]


@pytest.mark.parametrize("person", ["alice", "walter", "sten"])
def test_coordinator_working_group_and_steering_group_read_the_items(
        request: pytest.FixtureRequest, verified_client: Callable[[Any], Any], person: str,
        items: dict[str, Any]) -> None:
    response = verified_client(request.getfixturevalue(person)).get(URL)
    assert response.status_code == 200
    assert "Nazistiska klistermärken vid stationen" in _titles(response)


@pytest.mark.parametrize("person", ["bob", "maria", "ada"])
def test_staff_managers_and_administrators_get_403(request: pytest.FixtureRequest,
                                                   verified_client: Callable[[Any], Any], person: str,
                                                   items: dict[str, Any]) -> None:
    client = verified_client(request.getfixturevalue(person))
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}items/{items['stickers'].pk}/").status_code == 403


def test_another_municipality_gets_404_for_the_list_and_each_item(verified_client: Callable[[Any], Any], tove: Any,
                                                                  alice: Any, items: dict[str, Any],
                                                                  taby_item: Any) -> None:
    client = verified_client(tove)
    assert client.get(URL).status_code == 404
    assert client.get(f"{URL}items/{items['stickers'].pk}/").status_code == 404
    # Nor does Sollentuna's coordinator reach Täby's item through Sollentuna's address.
    assert verified_client(alice).get(f"{URL}items/{taby_item.pk}/").status_code == 404


def test_the_list_shows_relevant_items_newest_first_with_feed_milieus_and_an_external_link(
        verified_client: Callable[[Any], Any], alice: Any, items: dict[str, Any]) -> None:
    response = verified_client(alice).get(URL)
    assert _titles(response) == ["Nazistiska klistermärken vid stationen", "Hakkors på skolgården",
                                 "Rapport om jihadistisk propaganda"]
    document = lxml.html.fromstring(response.content)
    link = document.xpath("//table[@data-export-table]/tbody/tr[1]/td[2]/a")[0]
    assert link.get("href") == items["stickers"].link
    assert link.get("target") == "_blank"
    assert link.get("rel") == "noopener noreferrer"
    assert _rows(response)[0][2:] == ["Lokaltidningen", "Vit makt-miljön", "", "", "Ny"]


def test_filters_by_milieu_feed_status_and_all_items(verified_client: Callable[[Any], Any], alice: Any,
                                                     items: dict[str, Any], make_item: Callable[..., Any]) -> None:
    client = verified_client(alice)
    services.item_tag(actor=alice, item=items["graffiti"], name="skola")
    services.item_dismiss(actor=alice, item=items["report"])
    assert _titles(client.get(URL, {"milieu": "violent-islamist"})) == ["Rapport om jihadistisk propaganda"]
    assert _titles(client.get(URL, {"status": "tagged"})) == ["Hakkors på skolgården"]
    assert _titles(client.get(URL, {"status": "dismissed"})) == ["Rapport om jihadistisk propaganda"]
    assert _titles(client.get(URL, {"status": "new"})) == ["Nazistiska klistermärken vid stationen"]
    assert _titles(client.get(URL, {"tag": "skola"})) == ["Hakkors på skolgården"]
    assert len(_titles(client.get(URL, {"relevance": "all"}))) == 4
    other = items["pool"].source.__class__.objects.create(municipality=items["pool"].source.municipality,
                                                           name="Polisen", url="https://police.example/rss")
    make_item(other, "Polisen: hakkors på busskur", milieus=["white-power"], days_ago=0.5)
    assert _titles(client.get(URL, {"source": other.pk})) == ["Polisen: hakkors på busskur"]


def test_empty_states_say_what_is_missing(verified_client: Callable[[Any], Any], alice: Any, walter: Any,
                                          news: Any) -> None:
    html = verified_client(alice).get(URL).content.decode()
    assert "Inga poster har hämtats ännu" in html
    news.delete()
    html = verified_client(alice).get(URL).content.decode()
    assert "Inga nyhetsflöden bevakas ännu" in html
    assert "/sollentuna/monitoring/feeds/new/" in html
    html = verified_client(walter).get(URL).content.decode()
    assert "Samordnaren väljer vilka flöden som bevakas" in html
    assert "feeds/new/" not in html


def test_the_steering_group_sees_that_an_item_is_linked_but_not_which_observation(
        verified_client: Callable[[Any], Any], alice: Any, sten: Any, items: dict[str, Any],
        make_observation: Callable[..., Any], sollentuna: Any) -> None:
    observation = make_observation(sollentuna)
    services.item_link(actor=alice, item=items["stickers"], observation=observation)
    assert _rows(verified_client(sten).get(URL))[0][5] == "Kopplad"
    assert _rows(verified_client(alice).get(URL))[0][5].startswith(observation.date.isoformat())


def test_script_in_a_title_or_summary_is_shown_as_text_and_cleaned(verified_client: Callable[[Any], Any],
                                                                    alice: Any, news: Any,
                                                                    make_item: Callable[..., Any]) -> None:
    # Rows as a fetch could never store them (the parser cleans both): the pages must hold anyway.
    item = make_item(news, '<script>alert("title")</script> Hakkors <img src=x onerror=alert(1)>',
                     milieus=["white-power"], link="javascript:alert(2)",
                     summary='<p onclick="alert(3)">Text<script>alert(4)</script>'
                             '<a href="javascript:alert(5)">klick</a><iframe src="https://evil.example"></iframe></p>')
    client = verified_client(alice)
    for response in (client.get(URL), client.get(f"{URL}items/{item.pk}/")):
        html = response.content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in html
        assert "javascript:" not in html
        assert "onclick" not in html
        assert "<iframe" not in html
    assert "<p>Text" in client.get(f"{URL}items/{item.pk}/").content.decode()


def test_a_hostile_feed_fetched_for_real_is_harmless_on_the_page(verified_client: Callable[[Any], Any], alice: Any,
                                                                 news: Any) -> None:
    from pathlib import Path

    services.source_fetch(source=news, content=(Path(__file__).with_name("feeds") / "hostile.rss").read_bytes())
    client = verified_client(alice)
    html = client.get(URL, {"relevance": "all"}).content.decode()
    assert "Rubrik" in html
    assert "<script>alert" not in html
    assert "onerror" not in html
    assert "javascript:" not in html


def test_navigation_and_attention_for_the_coordinator(verified_client: Callable[[Any], Any], alice: Any,
                                                      walter: Any, bob: Any, items: dict[str, Any]) -> None:
    home = "/sollentuna/"
    html = verified_client(alice).get(home).content.decode()
    assert 'href="/sollentuna/monitoring/"' in html
    assert "3 nya relevanta nyheter" in html
    services.item_dismiss(actor=alice, item=items["report"])
    assert "2 nya relevanta nyheter" in verified_client(alice).get(home).content.decode()
    walter_home = verified_client(walter).get(home).content.decode()
    assert 'href="/sollentuna/monitoring/"' in walter_home
    assert "nya relevanta nyheter" not in walter_home
    assert 'href="/sollentuna/monitoring/"' not in verified_client(bob).get(home).content.decode()


def test_the_admin_lists_feeds_keyword_lists_and_items_read_only(verified_client: Callable[[Any], Any],
                                                                  make_person: Callable[..., Any],
                                                                  items: dict[str, Any]) -> None:
    from varna.core.models import User

    root = make_person("root@varna.example", None)
    User.objects.filter(pk=root.pk).update(is_staff=True, is_superuser=True)
    client = verified_client(User.objects.get(pk=root.pk))
    for path in ("/admin/monitoring/feedsource/", "/admin/monitoring/keywordlist/", "/admin/monitoring/feeditem/",
                 f"/admin/monitoring/feeditem/{items['stickers'].pk}/change/"):
        assert client.get(path).status_code == 200, path
    page = client.get(f"/admin/monitoring/feeditem/{items['stickers'].pk}/change/").content.decode()
    assert 'name="title"' not in page  # shown, not editable
    assert client.get("/admin/monitoring/feeditem/add/").status_code == 403
