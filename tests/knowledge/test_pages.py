"""The public knowledge pages and the coordinator's editing of signs and the lexicon."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from varna.core.models import AuditEvent
from varna.guidance.engine import load_demo_rules
from varna.knowledge import demo
from varna.knowledge.models import Factor, LexiconEntry, Milieu, PathIn, Sign

K = "/sollentuna/knowledge/"
PUBLIC_PAGES = [K, K + "signs/", K + "laws/", K + "milieus/",
                K + "paths-and-factors/", K + "lexicon/", K + "lexicon/?q=vi"]


@pytest.fixture
def knowledge(sollentuna: Any) -> Any:
    demo.load(sollentuna)
    return sollentuna


def _png(size: tuple[int, int] = (4, 4)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_work_anonymously_in_both_languages(client: Client, knowledge: Any, path: str,
                                                         language: str) -> None:
    client.cookies["django_language"] = language
    response = client.get(path)
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()


def test_demo_has_the_seed_catalogue_and_loads_idempotently(knowledge: Any) -> None:
    assert Sign.objects.filter(municipality=knowledge).count() == 14
    assert [Sign.objects.filter(municipality=knowledge, tier=t).count() for t in ("early", "heightened", "clear")] \
        == [5, 5, 4]
    # The seed's three, plus the template's "unclear" every municipality starts with (ADR 0018).
    assert Milieu.objects.filter(municipality=knowledge).values_list("key", flat=True).count() == 4
    assert PathIn.objects.filter(municipality=knowledge).count() == 4
    assert Factor.objects.filter(municipality=knowledge, kind="push").count() == 7
    assert Factor.objects.filter(municipality=knowledge, kind="pull").count() == 5
    assert demo.load(knowledge) == "knowledge already loaded"
    assert Sign.objects.filter(municipality=knowledge).count() == 14


def test_sign_keys_are_the_ones_the_rule_engine_knows(knowledge: Any) -> None:
    # The test catalogue of the engine tests mirrors these ids; both must agree with the data.
    from tests.guidance.test_engine import SIGNS

    assert dict(Sign.objects.filter(municipality=knowledge).values_list("key", "tier")) == SIGNS
    assert load_demo_rules().municipality == "sollentuna"


def test_signs_page_groups_by_tier_and_shows_english_wording(client: Client, knowledge: Any) -> None:
    swedish = client.get(K + "signs/").content.decode()
    assert 'id="sign-heightened-hatred"' in swedish
    assert "Hat mot bestämda grupper" in swedish
    client.cookies["django_language"] = "en"
    english = client.get(K + "signs/").content.decode()
    assert "Hatred of particular groups" in english


def test_lexicon_search_finds_by_name_and_text(client: Client, knowledge: Any) -> None:
    found = client.get(K + "lexicon/", {"q": "krigsmetafor"}).context["entries"]
    assert [e.name for e in found] == ["Krigsmetaforer"]
    assert not client.get(K + "lexicon/", {"q": "finns-inte"}).context["entries"]


def test_coordinator_edits_a_sign_and_it_is_audited(verified_client: Any, alice: Any, knowledge: Any) -> None:
    client = verified_client(alice)
    response = client.post(K + "signs/early-insecurity/edit/", {"text": "Ny formulering", "description": "Enkelt"})
    assert response.status_code == 302
    sign = Sign.objects.get(municipality=knowledge, key="early-insecurity")
    assert sign.text == "Ny formulering"
    assert sign.tier == "early"
    event = AuditEvent.objects.get(action="knowledge.sign.updated")
    assert event.actor == alice
    assert "text" in event.data["changed"]


def test_only_the_coordinator_edits_and_other_municipalities_get_404(
        client: Client, bob: Any, tove: Any, verified_client: Any, knowledge: Any) -> None:
    url = K + "signs/early-insecurity/edit/"
    assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(bob)
    assert client.get(url).status_code == 403
    assert client.get(K + "lexicon/new/").status_code == 403
    other = verified_client(tove)
    assert other.get(url).status_code == 404
    assert other.post(K + "lexicon/new/", {"name": "x", "description": "y"}).status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="knowledge.sign").exists()


def test_coordinator_adds_a_lexicon_entry_with_an_image(verified_client: Any, alice: Any, knowledge: Any,
                                                        settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = verified_client(alice)
    milieu = Milieu.objects.get(municipality=knowledge, key="white-power")
    upload = SimpleUploadedFile("bild.txt", _png(), content_type="text/plain")  # name and type lie; content wins
    response = client.post(K + "lexicon/new/", {"name": "Symbol X", "milieu": milieu.pk, "description": "En symbol",
                                                "why_it_matters": "Syns på klistermärken", "image": upload})
    assert response.status_code == 302
    entry = LexiconEntry.objects.get(municipality=knowledge, name="Symbol X")
    assert entry.image_type == "image/png"
    assert not entry.image.name.endswith(".txt")
    image = client.get(K + f"lexicon/{entry.pk}/image/")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert AuditEvent.objects.filter(action="knowledge.lexicon.created", actor=alice).exists()
    assert client.get(K + "lexicon/", {"q": "symbol x"}).context["entries"][0] == entry


@pytest.mark.parametrize(("content", "message"), [(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not an image"),
                                             (b"GIF89a" + b"\0" * (5 * 1024 * 1024), "larger than 5.0")])
def test_lexicon_refuses_files_that_are_not_images_or_too_big(
        verified_client: Any, alice: Any, knowledge: Any, settings: Any, tmp_path: Any, content: bytes,
        message: str) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = verified_client(alice)
    client.cookies["django_language"] = "en"
    upload = SimpleUploadedFile("x.png", content, content_type="image/png")
    response = client.post(K + "lexicon/new/", {"name": "Bad", "description": "x", "image": upload})
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["image"])
    assert not LexiconEntry.objects.filter(name="Bad").exists()


def test_coordinator_removes_a_lexicon_entry(verified_client: Any, alice: Any, knowledge: Any) -> None:
    client = verified_client(alice)
    entry = LexiconEntry.objects.filter(municipality=knowledge).first()
    assert client.post(K + f"lexicon/{entry.pk}/delete/", {"confirm": "yes"}).status_code == 302
    assert not LexiconEntry.objects.filter(pk=entry.pk).exists()
    assert AuditEvent.objects.filter(action="knowledge.lexicon.deleted", object_id=str(entry.pk)).exists()


def test_another_municipalitys_lexicon_image_is_404(client: Client, knowledge: Any, taby: Any) -> None:
    entry = LexiconEntry.objects.filter(municipality=knowledge).first()
    assert client.get(f"/taby/knowledge/lexicon/{entry.pk}/image/").status_code == 404


def test_laws_are_data_with_the_current_statute(client: Client, knowledge: Any) -> None:
    html = client.get(K + "laws/").content.decode()
    assert "SFS 2025:400" in html
    assert "2001:453" in html
    assert "Inte kontrollerad ännu" in html or "Not checked yet" in html
