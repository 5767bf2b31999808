"""The coordinator's feeds and keyword lists, and the addresses Värna refuses to fetch."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from varna.core.models import AuditEvent
from varna.monitoring import addresses, services
from varna.monitoring.models import FeedItem, FeedSource, KeywordList

FEEDS = Path(__file__).with_name("feeds")
URL = "/sollentuna/monitoring/feeds/"
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("person", "status"), [("alice", 200), ("walter", 403), ("sten", 403), ("bob", 403),
                                            ("tove", 404)])
def test_only_the_coordinator_manages_feeds_and_keywords(request: pytest.FixtureRequest,
                                                         verified_client: Callable[[Any], Any], news: FeedSource,
                                                         person: str, status: int) -> None:
    client = verified_client(request.getfixturevalue(person))
    for path in (URL, URL + "new/", f"{URL}{news.pk}/", "/sollentuna/monitoring/keywords/"):
        assert client.get(path).status_code == status, path
    if status != 200:
        assert client.post(f"{URL}{news.pk}/delete/", {"confirm": "yes"}).status_code == status
        assert FeedSource.objects.filter(pk=news.pk).exists()


def test_the_feeds_page_says_what_went_wrong_in_plain_words(verified_client: Callable[[Any], Any], alice: Any,
                                                            news: FeedSource) -> None:
    FeedSource.objects.filter(pk=news.pk).update(last_error="HTTPError 404")
    html = verified_client(alice).get(URL).content.decode()
    assert "Flödet finns inte på den här adressen (HTTP 404)" in html
    assert "HTTPError" not in html
    FeedSource.objects.filter(pk=news.pk).update(last_error="URLError")
    assert "Adressen gick inte att nå" in verified_client(alice).get(URL).content.decode()


def test_adding_a_feed_is_audited_and_fetch_now_reports_new_items(verified_client: Callable[[Any], Any],
                                                                  alice: Any, sollentuna: Any) -> None:
    client = verified_client(alice)
    response = client.post(URL + "new/", {"name": "Lokala nyheter", "url": " https://news.example/feed ",
                                          "active": "on"})
    assert response.status_code == 302
    source = FeedSource.objects.get(municipality=sollentuna)
    assert source.url == "https://news.example/feed"
    assert AuditEvent.objects.get(action="monitoring.source.created").actor == alice
    with mock.patch.object(services, "_download", return_value=(FEEDS / "news.rss").read_bytes()):
        response = client.post(f"{URL}{source.pk}/fetch/", follow=True)
    assert "2 nya poster" in response.content.decode()
    assert AuditEvent.objects.get(action="monitoring.source.fetched").data == {"new": 2, "error": ""}
    with mock.patch.object(services, "_download", side_effect=OSError("down")):
        response = client.post(f"{URL}{source.pk}/fetch/", follow=True)
    assert "Adressen gick inte att nå" in response.content.decode()


@pytest.mark.parametrize(("url", "problem"), [
    ("ftp://news.example/feed", "börjar med http:// eller https://"),
    ("javascript:alert(1)", "börjar med http:// eller https://"),
    ("file:///etc/passwd", "börjar med http:// eller https://"),
    ("http://127.0.0.1:8000/admin/", "privat nätverk"),
    ("http://localhost/feed", "privat nätverk"),
    ("http://[::1]/feed", "privat nätverk"),
    ("http://192.168.1.10/rss", "privat nätverk"),
    ("http://169.254.169.254/latest/meta-data", "privat nätverk"),
    ("https://user:secret@news.example/rss", "användarnamnet och lösenordet"),
    ("https://news.example/rss", "bevakas redan"),
])
def test_a_feed_address_that_is_not_public_http_is_refused(verified_client: Callable[[Any], Any], alice: Any,
                                                           news: FeedSource, url: str, problem: str) -> None:
    response = verified_client(alice).post(URL + "new/", {"name": "Flöde", "url": url, "active": "on"})
    assert response.status_code == 200
    assert problem in response.content.decode()
    assert FeedSource.objects.count() == 1


def test_editing_deactivating_and_removing(verified_client: Callable[[Any], Any], alice: Any, news: FeedSource,
                                           make_item: Callable[..., Any]) -> None:
    client = verified_client(alice)
    client.post(f"{URL}{news.pk}/", {"name": "Tidningen", "url": "https://news.example/v2/rss"})
    news.refresh_from_db()
    assert (news.name, news.url, news.active) == ("Tidningen", "https://news.example/v2/rss", False)
    client.post(f"{URL}{news.pk}/active/", {"active": "1"})
    news.refresh_from_db()
    assert news.active
    make_item(news, "Något")
    response = client.post(f"{URL}{news.pk}/delete/", {"confirm": "yes"}, follow=True)
    assert "Avaktivera det i stället" in response.content.decode()
    assert FeedSource.objects.filter(pk=news.pk).exists()
    FeedItem.objects.all().delete()
    client.post(f"{URL}{news.pk}/delete/", {"confirm": "yes"})
    assert not FeedSource.objects.exists()
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="monitoring.").order_by("id")] == [
        "monitoring.source.changed", "monitoring.source.activated", "monitoring.source.deleted"]


def test_saving_keywords_scores_the_items_again(verified_client: Callable[[Any], Any], alice: Any,
                                                items: dict[str, Any]) -> None:
    client = verified_client(alice)
    page = client.get("/sollentuna/monitoring/keywords/").content.decode()
    assert "nazistiska\nhakkors" in page
    response = client.post("/sollentuna/monitoring/keywords/", {
        "white-power": "nazistiska\n\n  Nazistiska \n", "autonomous": "simhallen", "violent-islamist": "",
        "unclear": ""}, follow=True)
    assert "Nyckelorden är sparade. 2 poster är nu relevanta." in response.content.decode()
    milieus = {key: FeedItem.objects.get(pk=item.pk).milieus for key, item in items.items()}
    assert milieus == {"stickers": ["white-power"], "pool": ["autonomous"], "graffiti": [], "report": []}
    assert KeywordList.objects.get(milieu="white-power").keywords == "nazistiska"
    event = AuditEvent.objects.get(action="monitoring.keywords.saved")
    assert event.actor == alice
    assert event.data["relevant"] == 2
    assert event.data["words"]["white-power"] == 1


def test_a_keyword_list_that_is_too_long_is_refused(verified_client: Callable[[Any], Any], alice: Any,
                                                    news: Any) -> None:
    response = verified_client(alice).post("/sollentuna/monitoring/keywords/", {"white-power": "x" * 101})
    assert response.status_code == 200
    assert "högst 100 tecken" in response.content.decode()
    assert KeywordList.objects.get(milieu="white-power").keywords == "vit makt\nnazistiska\nhakkors"


def test_the_fetch_refuses_a_name_that_resolves_into_the_private_network(news: FeedSource) -> None:
    loopback = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 443))]
    with mock.patch("socket.getaddrinfo", return_value=loopback), \
            mock.patch("urllib.request.OpenerDirector.open") as opened:
        assert services.source_fetch(source=news) == 0
    opened.assert_not_called()
    news.refresh_from_db()
    assert news.last_error == "BlockedAddress"
    assert "privat nätverk" in news.problem


def test_a_redirect_into_the_private_network_is_not_followed() -> None:
    import urllib.request

    handler = services._CheckedRedirects()
    request = urllib.request.Request("https://news.example/rss")
    with pytest.raises(addresses.BlockedAddress):
        handler.redirect_request(request, None, 302, "Found", {}, "http://127.0.0.1/secret")


@given(st.ip_addresses())
def test_an_ip_address_is_allowed_only_when_it_is_public(ip: Any) -> None:
    host = f"[{ip}]" if ip.version == 6 else str(ip)
    allowed = addresses.problem(f"https://{host}/rss") is None
    mapped = getattr(ip, "ipv4_mapped", None)
    assert allowed == ((mapped or ip).is_global and not ip.is_multicast)
    if ip.is_loopback or ip.is_private or ip.is_link_local:
        assert not allowed


def _local_feed_server() -> tuple[Any, list[str]]:
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    reached: list[str] = []

    class Feed(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            reached.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write((FEEDS / "news.rss").read_bytes())

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Feed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, reached


def _without_proxies() -> Any:
    names = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy",
             "NO_PROXY")
    return mock.patch.dict("os.environ", {name: "" for name in names})


def test_a_name_that_turns_private_between_the_check_and_the_connection_is_refused(news: FeedSource) -> None:
    """DNS rebinding: the check sees a public address, the connection would reach this server."""
    server, reached = _local_feed_server()
    port = server.server_address[1]
    real = socket.getaddrinfo
    answers = iter([[(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]])

    def rebinding(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "news.example":  # first the public answer, then the loopback address
            return next(answers, None) or real("127.0.0.1", *args, **kwargs)
        return real(host, *args, **kwargs)

    news.url = f"http://news.example:{port}/rss"
    news.save()
    try:
        with mock.patch("socket.getaddrinfo", rebinding), _without_proxies():
            assert services.source_fetch(source=news) == 0
    finally:
        server.shutdown()
    assert reached == []
    news.refresh_from_db()
    assert news.last_error == "BlockedAddress"


def test_a_feed_on_a_public_address_is_fetched_through_the_checked_connection(news: FeedSource) -> None:
    server, reached = _local_feed_server()
    news.url = f"http://news.example:{server.server_address[1]}/rss"
    news.save()
    real = socket.getaddrinfo
    try:
        # The server stands in for a public one: its loopback address counts as public here.
        with mock.patch("socket.getaddrinfo", lambda host, *a, **k: real("127.0.0.1", *a, **k)), \
                mock.patch.object(addresses, "is_public_ip", return_value=True), _without_proxies():
            assert services.source_fetch(source=news) > 0
    finally:
        server.shutdown()
    assert reached == ["/rss"]
    news.refresh_from_db()
    assert news.last_error == ""
