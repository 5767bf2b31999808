"""One vocabulary as data (ADR 0018): a municipality's own categories, milieus and signs, edited by its
coordinator from the national template, used by the situation picture and the API, and never deleted."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.api.conftest import api_get, api_post, token_for  # noqa: F401 (fixtures)
from varna.core.models import AuditEvent
from varna.knowledge import selectors, services
from varna.knowledge.models import Category, Milieu, Sign, VocabularyError
from varna.situation import services as situation
from varna.situation.choices import COUNT_FIELDS

V = "/taby/knowledge/vocabulary/"


@pytest.fixture
def taby_group(make_person: Any, taby: Any) -> Any:
    situation.district_upsert(municipality=taby, key="centrum", name="Täby centrum", order=0)
    return make_person("wilma@taby.example", "working_group", taby)


def test_a_second_municipality_records_in_its_own_categories_and_sees_them(
        taby: Any, tove: Any, taby_group: Any, verified_client: Any, token_for: Any, api_post: Any,  # noqa: F811 (fixtures)
        api_get: Any) -> None:  # noqa: F811
    coordinator = verified_client(tove)
    assert coordinator.post(V + "install/", {"edition": "2024"}).status_code == 302
    response = coordinator.post(V + "category/new/", {"key": "school-threats", "label": "Hot mot skolor",
                                                      "label_en": "Threats against schools", "national_key": "threats"})
    assert response.status_code == 302, response.content
    assert coordinator.post(V + "milieu/autonomous/retire/", {"retire": "1"}).status_code == 302
    actions = set(AuditEvent.objects.filter(municipality=taby).values_list("action", flat=True))
    assert {"knowledge.vocabulary.installed", "knowledge.vocabulary.created", "knowledge.vocabulary.retired"} <= actions

    secret = token_for(taby_group, taby)
    body = {"date": "2025-09-01", "district": "centrum", "category": "school-threats", "milieu": "mixed-ideology",
            "counts": {COUNT_FIELDS[0][0]: 9}}
    created = api_post("/api/v1/taby/observations", secret, body)
    assert created.status_code == 201, created.content
    assert created.json()["term"] == "2025-2"
    retired = api_post("/api/v1/taby/observations", secret, {**body, "milieu": "autonomous"})
    assert retired.status_code == 422
    assert "mixed-ideology" in retired.content.decode()
    # Täby's token does not reach Sollentuna at all: another municipality is a 404, never a 403.
    assert api_post("/api/v1/sollentuna/observations", secret, body).status_code == 404

    tables = api_get("/api/v1/taby/observations/aggregates", secret, term="2025-2").json()
    category_rows = {row["label"] for t in tables if t["key"].startswith("category") for row in t["rows"]}
    assert "Hot mot skolor" in category_rows
    page = verified_client(taby_group).get("/taby/situation/?term_from=2025-2&term_to=2025-2").content.decode()
    assert "Hot mot skolor" in page
    assert "Blandad ideologi" in page
    # The national view adds it up under the template entry it names.
    assert selectors.national_keys_of([taby], "category")[(taby.pk, "school-threats")] == "threats"


def test_a_retired_entry_keeps_its_observations_and_cannot_be_chosen_again(
        taby: Any, tove: Any, taby_group: Any) -> None:
    district = taby.districts.get()
    values = {"date": dt.date(2025, 3, 1), "district": district, "category": "propaganda", "milieu": "white-power",
              "signs": ["heightened-symbols"], "description": ""}
    old = situation.observation_create(actor=taby_group, municipality=taby, values=values)
    milieu = Milieu.objects.get(municipality=taby, key="white-power")
    services.vocabulary_entry_retire(actor=tove, municipality=taby, entry=milieu)
    with pytest.raises(situation.InvalidValue):
        situation.observation_create(actor=taby_group, municipality=taby, values=values)
    # Changing the old observation keeps its retired milieu and sign.
    situation.observation_change(actor=taby_group, observation=old, values={**values, "description": "Klotter."})
    vocabulary = selectors.vocabulary_of(taby)
    assert vocabulary.label("milieu", "white-power") == milieu.name
    assert not vocabulary.accepts("milieu", "white-power")
    from varna.situation import selectors as situation_selectors

    rows = situation_selectors.breakdown_values(taby, "milieu")
    assert ("white-power", milieu.name) in rows  # past terms still count under it


def test_entries_are_never_deleted_or_re_keyed(taby: Any, tove: Any, verified_client: Any) -> None:
    entry = Category.objects.get(municipality=taby, key="propaganda")
    with pytest.raises(VocabularyError):
        entry.delete()
    services.vocabulary_entry_retire(actor=tove, municipality=taby, entry=entry)
    with pytest.raises(services.KnowledgeError):
        services.vocabulary_entry_create(actor=tove, municipality=taby, kind="category", key="propaganda",
                                         label="Något annat")
    page = verified_client(tove).get(V + "category/propaganda/edit/").content.decode()
    assert 'name="key"' not in page
    response = verified_client(tove).post(V + "category/propaganda/edit/", {
        "key": "renamed", "label": "Propaganda och symboler", "national_key": "propaganda"})
    assert response.status_code == 302
    assert Category.objects.filter(municipality=taby, key="propaganda", name="Propaganda och symboler").exists()
    assert not Category.objects.filter(municipality=taby, key="renamed").exists()


def test_the_national_key_must_be_the_templates_and_a_sign_needs_its_tier(taby: Any, tove: Any) -> None:
    with pytest.raises(services.KnowledgeError):
        services.vocabulary_entry_create(actor=tove, municipality=taby, kind="category", key="x", label="X",
                                         national_key="no-such-entry")
    with pytest.raises(services.KnowledgeError):
        services.vocabulary_entry_create(actor=tove, municipality=taby, kind="sign", key="y", label="Y")
    sign = services.vocabulary_entry_create(actor=tove, municipality=taby, kind="sign", key="early-new",
                                            label="Nytt tecken", tier="early")
    assert sign.national_key == ""
    assert Sign.objects.filter(municipality=taby, key="early-new").exists()


def test_installing_an_edition_keeps_the_municipalitys_own_wording_and_retirements(taby: Any, tove: Any) -> None:
    unclear = Milieu.objects.get(municipality=taby, key="unclear")
    services.vocabulary_entry_update(actor=tove, municipality=taby, entry=unclear, label="Oklart",
                                     national_key="unclear")
    services.vocabulary_entry_retire(actor=tove, municipality=taby, entry=unclear)
    counts = services.vocabulary_install(actor=tove, municipality=taby, edition="2024")
    assert counts["milieu"] == 4  # right-wing, left-wing, mixed, individual; the two shared ones were there
    unclear.refresh_from_db()
    assert unclear.name == "Oklart"
    assert unclear.is_retired
    assert len(selectors.vocabulary_of(taby).milieus) == 8


@pytest.mark.parametrize("path", [V, V + "category/new/", V + "sign/early-insecurity/edit/"])
def test_only_the_coordinator_of_the_municipality_edits(path: str, taby_group: Any, alice: Any,
                                                        verified_client: Any) -> None:
    assert verified_client(taby_group).get(path).status_code == 403
    assert verified_client(alice).get(path).status_code == 404  # another municipality's coordinator
    assert verified_client(alice).post(V + "sign/early-insecurity/retire/", {"retire": "1"}).status_code == 404
    with pytest.raises(services.KnowledgeError):
        services.vocabulary_entry_retire(actor=taby_group, municipality=taby_group.memberships.get().municipality,
                                         entry=Sign.objects.get(municipality__slug="taby", key="early-insecurity"))


def test_an_unknown_kind_is_not_found(tove: Any, verified_client: Any) -> None:
    assert verified_client(tove).get(V + "lexicon/new/").status_code == 404


def test_retired_entries_are_labelled_on_the_knowledge_pages_and_not_offered_for_new_ones(
        taby: Any, tove: Any, verified_client: Any, client: Any) -> None:
    """Täby retires a milieu and a sign: the public pages still explain them, each marked with the day, the
    lexicon entry that used the milieu keeps it with the same mark, and nothing new can take either."""
    from django.utils import timezone

    from varna.guidance import catalogue
    from varna.knowledge.models import LexiconEntry

    milieu = Milieu.objects.get(municipality=taby, key="white-power")
    Milieu.objects.filter(pk=milieu.pk).update(description="En miljö som kommunen beskrev 2016.")
    sign = Sign.objects.get(municipality=taby, key="heightened-symbols")
    kept = services.lexicon_entry_save(actor=tove, municipality=taby, name="Järnkorset", description="En symbol.",
                                       milieu=milieu)
    assert "heightened-symbols" in [s.key for s in catalogue.guide_data(taby).signs]
    services.vocabulary_entry_retire(actor=tove, municipality=taby, entry=milieu)
    services.vocabulary_entry_retire(actor=tove, municipality=taby, entry=sign)
    milieu.refresh_from_db()
    day = timezone.localdate(milieu.retired_at).isoformat()
    label_sv, label_en = f"Används inte längre sedan {day}", f"No longer used since {day}"

    milieus = client.get("/taby/knowledge/milieus/").content.decode()
    active, retired = milieus.split('id="milieus-retired"')
    assert milieu.name not in active
    assert label_sv not in active
    assert f'<span lang="sv">{milieu.name}</span> ' in retired
    assert label_sv in retired
    assert "En miljö som kommunen beskrev 2016." in retired
    assert retired.count("vocabulary-retired") == 1  # the other milieus are in use, unmarked
    signs = client.get("/taby/knowledge/signs/").content.decode()
    active, retired = signs.split('id="signs-retired"')
    assert 'id="sign-heightened-symbols"' not in active
    assert f"<strong>{sign.text}</strong> " in retired
    assert label_sv in retired
    lexicon = client.get("/taby/knowledge/lexicon/").content.decode()
    card = lexicon.split(f'id="entry-{kept.pk}"', 1)[1].split("</article>", 1)[0]
    assert milieu.name in card
    assert label_sv in card
    client.cookies["django_language"] = "en"
    assert label_en in client.get("/taby/knowledge/milieus/").content.decode()
    assert label_en in client.get("/taby/knowledge/signs/").content.decode()
    assert label_en in client.get("/taby/knowledge/lexicon/").content.decode()
    assert label_en in verified_client(tove).get(V).content.decode()  # and on the coordinator's list itself

    # Not offered for anything new: not by the guide, not by a new lexicon entry, not by the service.
    assert "heightened-symbols" not in [s.key for s in catalogue.guide_data(taby).signs]
    coordinator = verified_client(tove)
    coordinator.cookies["django_language"] = "sv"
    new_form = coordinator.get("/taby/knowledge/lexicon/new/").context["form"]
    assert milieu not in new_form.fields["milieu"].queryset
    response = coordinator.post("/taby/knowledge/lexicon/new/", {"name": "Ny symbol", "description": "Text.",
                                                                 "milieu": milieu.pk})
    assert response.status_code == 200
    assert "milieu" in response.context["form"].errors
    assert not LexiconEntry.objects.filter(name="Ny symbol").exists()
    with pytest.raises(services.KnowledgeError, match="används inte längre"):
        services.lexicon_entry_save(actor=tove, municipality=taby, name="Ny symbol", description="Text.",
                                    milieu=milieu)
    # The entry that had it keeps it: offered to it alone, labelled, and saved unchanged.
    edit = coordinator.get(f"/taby/knowledge/lexicon/{kept.pk}/edit/")
    assert f"{milieu.name} (används inte längre sedan {day})" in edit.content.decode()
    response = coordinator.post(f"/taby/knowledge/lexicon/{kept.pk}/edit/", {
        "name": "Järnkorset", "description": "En äldre symbol.", "milieu": milieu.pk})
    assert response.status_code == 302
    kept.refresh_from_db()
    assert kept.milieu == milieu
    assert kept.description == "En äldre symbol."
    other = services.lexicon_entry_save(actor=tove, municipality=taby, name="Annan", description="Text.")
    with pytest.raises(services.KnowledgeError):
        services.lexicon_entry_save(actor=tove, municipality=taby, entry=other, name="Annan", description="Text.",
                                    milieu=milieu)
