"""What the working group does with an item: tag it, link it to an observation, dismiss it. Each is audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from varna.core.models import AuditEvent
from varna.monitoring import services
from varna.monitoring.models import FeedItem

pytestmark = pytest.mark.django_db


def _url(item: FeedItem, action: str = "") -> str:
    return f"/sollentuna/monitoring/items/{item.pk}/" + (f"{action}/" if action else "")


def _events(action: str, item: FeedItem) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, object_type="monitoring.feeditem", object_id=str(item.pk)))


def test_working_group_tags_an_item_and_removes_the_tag(verified_client: Callable[[Any], Any], walter: Any,
                                                        items: dict[str, Any]) -> None:
    item = items["stickers"]
    client = verified_client(walter)
    response = client.post(_url(item, "tag"), {"name": "  Klotter  vid  Station ",
                                               "back": "/sollentuna/monitoring/?status=new"})
    assert response.status_code == 302
    assert "back=%2Fsollentuna%2Fmonitoring%2F%3Fstatus%3Dnew" in response["Location"]
    client.post(_url(item, "tag"), {"name": "klotter vid station"})  # the same tag again changes nothing
    item.refresh_from_db()
    assert item.tag_names == ["klotter vid station"]
    assert item.status == FeedItem.Status.TAGGED
    [event] = _events("monitoring.item.tagged", item)
    assert event.actor == walter
    assert event.data == {"tag": "klotter vid station"}
    client.post(_url(item, "untag"), {"name": "klotter vid station"})
    item.refresh_from_db()
    assert item.tag_names == []
    assert len(_events("monitoring.item.untagged", item)) == 1


@pytest.mark.parametrize(("tag", "problem"), [
    ("", "Skriv en tagg"),
    ("x" * 41, "högst 40 tecken"),
    ("<b>fet</b>", "bokstäver, siffror"),
    ("anna.svensson@example.se", "bokstäver, siffror"),
    ("Anna Svensson", "personuppgifter"),
])
def test_a_tag_with_markup_personal_data_or_too_long_is_refused(verified_client: Callable[[Any], Any], walter: Any,
                                                                items: dict[str, Any], tag: str, problem: str) -> None:
    item = items["stickers"]
    response = verified_client(walter).post(_url(item, "tag"), {"name": tag})
    assert response.status_code == 200
    assert problem in response.content.decode()
    assert not item.tags.exists()
    assert not _events("monitoring.item.tagged", item)


def test_linking_to_an_observation_of_the_same_municipality(verified_client: Callable[[Any], Any], alice: Any,
                                                            items: dict[str, Any], sollentuna: Any,
                                                            make_observation: Callable[..., Any]) -> None:
    observation = make_observation(sollentuna)
    item = items["graffiti"]
    client = verified_client(alice)
    page = client.get(_url(item)).content.decode()
    assert f'<option value="{observation.pk}">{observation.date.isoformat()}' in page
    assert client.post(_url(item, "link"), {"observation": observation.pk}).status_code == 302
    item.refresh_from_db()
    assert item.observation == observation
    assert item.status == FeedItem.Status.LINKED
    assert _events("monitoring.item.linked", item)[0].data == {"observation": observation.pk}
    client.post(_url(item, "unlink"))
    item.refresh_from_db()
    assert item.observation is None
    assert len(_events("monitoring.item.unlinked", item)) == 1


def test_linking_to_another_municipalitys_observation_is_a_404(verified_client: Callable[[Any], Any], alice: Any,
                                                               items: dict[str, Any], taby: Any,
                                                               make_observation: Callable[..., Any]) -> None:
    theirs = make_observation(taby)
    item = items["graffiti"]
    assert verified_client(alice).post(_url(item, "link"), {"observation": theirs.pk}).status_code == 404
    item.refresh_from_db()
    assert item.observation is None
    assert not _events("monitoring.item.linked", item)
    with pytest.raises(services.MonitoringError):
        services.item_link(actor=alice, item=item, observation=theirs)


def test_dismiss_and_undo(verified_client: Callable[[Any], Any], walter: Any, items: dict[str, Any]) -> None:
    item = items["report"]
    client = verified_client(walter)
    client.post(_url(item, "dismiss"))
    item.refresh_from_db()
    assert item.status == FeedItem.Status.DISMISSED
    assert "Ångra avfärdandet" in client.get(_url(item)).content.decode()
    client.post(_url(item, "restore"))
    item.refresh_from_db()
    assert item.dismissed_at is None
    assert item.status == FeedItem.Status.NEW
    assert [len(_events(a, item)) for a in ("monitoring.item.dismissed", "monitoring.item.restored")] == [1, 1]


@pytest.mark.parametrize("action", ["tag", "untag", "link", "unlink", "dismiss", "restore"])
def test_the_steering_group_reads_but_does_not_handle_items(verified_client: Callable[[Any], Any], sten: Any,
                                                            items: dict[str, Any], action: str) -> None:
    item = items["stickers"]
    client = verified_client(sten)
    page = client.get(_url(item)).content.decode()
    assert "Avfärda" not in page
    assert "Lägg till taggen" not in page
    assert client.post(_url(item, action), {"name": "x", "observation": 1}).status_code == 403
    assert not AuditEvent.objects.filter(action__startswith="monitoring.item.").exists()


@pytest.mark.parametrize("action", ["tag", "dismiss"])
def test_another_municipality_cannot_touch_an_item(verified_client: Callable[[Any], Any], tove: Any,
                                                   items: dict[str, Any], action: str) -> None:
    assert verified_client(tove).post(_url(items["stickers"], action), {"name": "x"}).status_code == 404


def test_actions_need_post_and_a_csrf_token(alice: Any, items: dict[str, Any], verified_client: Callable[[Any], Any]
                                            ) -> None:
    from django.test import Client

    assert verified_client(alice).get(_url(items["stickers"], "dismiss")).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = verified_client(alice).cookies
    assert strict.post(_url(items["stickers"], "dismiss")).status_code == 403
    items["stickers"].refresh_from_db()
    assert items["stickers"].dismissed_at is None


def test_back_goes_only_to_the_monitoring_list(verified_client: Callable[[Any], Any], alice: Any,
                                              items: dict[str, Any]) -> None:
    client = verified_client(alice)
    page = client.get(_url(items["stickers"]), {"back": "https://evil.example/"}).content.decode()
    assert 'href="https://evil.example' not in page
    assert 'value="https://evil.example' not in page
    response = client.post(_url(items["stickers"], "dismiss"), {"back": "//evil.example/sollentuna/monitoring/"})
    assert "evil.example" not in response["Location"]
