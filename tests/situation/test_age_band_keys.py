"""The count columns carry the national age band keys (ADR 0018): imports and the API take the new names, tell
the former ones what they are called now, and the migration renames stored counts without changing them.

Täby, not Sollentuna: its own districts, the 2024 vocabulary and a category of its own."""

from __future__ import annotations

import csv
import importlib
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations import RenameField

from tests.api.conftest import api_post, token_for  # noqa: F401 (fixtures)
from varna.core.models import AuditEvent, Municipality
from varna.knowledge import services as knowledge
from varna.situation import services
from varna.situation.models import Observation, ObservationRollup

IMPORT = "/taby/situation/import/"


@pytest.fixture
def taby_words(taby: Any, tove: Any) -> Any:
    knowledge.vocabulary_install(actor=tove, municipality=taby, edition="2024")
    knowledge.vocabulary_entry_create(actor=tove, municipality=taby, kind="category", key="harbour-tags",
                                      label="Taggar i hamnen", national_key="propaganda")
    services.district_upsert(municipality=taby, key="roslags-nasby", name="Roslags Näsby", order=0)
    return taby


@pytest.fixture
def wilma(make_person: Any, taby: Any) -> Any:
    return make_person("wilma@taby.example", "working_group", taby)


def _csv(header: list[str], row: list[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([header, row])
    return out.getvalue().encode()


ROW = ["2025-10-02", "roslags-nasby", "harbour-tags", "mixed-ideology", "", "", "3", "6"]
BASE = ["date", "district", "category", "milieu", "signs", "description"]


def test_the_new_headers_import_into_the_same_columns(client: Any, wilma: Any, taby_words: Any) -> None:
    client.force_login(wilma)
    content = _csv([*BASE, "n_female_under_15", "n_other_25_plus"], ROW)
    assert client.post(IMPORT, {"file": SimpleUploadedFile("obs.csv", content)}).status_code == 302
    observation = Observation.objects.get(municipality=taby_words)
    assert (observation.n_female_under_15, observation.n_other_25_plus, observation.people) == (3, 6, 9)
    rollup = ObservationRollup.objects.get(municipality=taby_words)
    assert (rollup.category, rollup.n_female_under_15, rollup.n_other_25_plus) == ("harbour-tags", 3, 6)


@pytest.mark.parametrize(("language", "message"), [
    ("sv", "Åldersgruppernas kolumner har fått nya namn: n_female_u15 → n_female_under_15, n_other_25plus → "
           "n_other_25_plus. Byt namn på dem i första raden eller utgå från den nya mallen; antalen betyder "
           "detsamma."),
    ("en", "The age band columns have new names: n_female_u15 → n_female_under_15, n_other_25plus → "
           "n_other_25_plus. Rename them in the first row, or start from the new template; the counts mean "
           "the same."),
])
def test_a_file_with_the_former_headers_is_told_the_new_ones_and_saves_nothing(
        client: Any, wilma: Any, taby_words: Any, language: str, message: str) -> None:
    client.cookies["django_language"] = language
    client.force_login(wilma)
    content = _csv([*BASE, "n_female_u15", "n_other_25plus"], ROW)
    response = client.post(IMPORT, {"file": SimpleUploadedFile("obs.csv", content)})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert not Observation.objects.exists()
    assert not ObservationRollup.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="situation.observation").exists()


def test_the_api_takes_the_new_names_and_tells_a_former_one_the_new(
        wilma: Any, taby_words: Any, token_for: Any, api_post: Any) -> None:  # noqa: F811 (fixtures)
    secret = token_for(wilma, taby_words)
    body = {"date": "2025-10-02", "district": "roslags-nasby", "category": "harbour-tags",
            "milieu": "mixed-ideology", "counts": {"n_male_under_15": 4, "n_female_25_plus": 2}}
    created = api_post("/api/v1/taby/observations", secret, body)
    assert created.status_code == 201, created.content
    saved = Observation.objects.get(pk=created.json()["id"])
    assert (saved.n_male_under_15, saved.n_female_25_plus) == (4, 2)
    old = api_post("/api/v1/taby/observations", secret, {**body, "counts": {"n_male_u15": 4}})
    assert old.status_code == 422
    assert "n_male_under_15" in old.content.decode()
    assert "counts.n_male_u15" in old.content.decode()
    assert Observation.objects.count() == 1


def test_the_migration_renames_exactly_the_former_columns_of_both_tables() -> None:
    operations = importlib.import_module("varna.situation.migrations.0008_age_band_keys").Migration.operations
    renames = sorted((op.model_name, op.old_name, op.new_name) for op in operations)
    assert renames == sorted((model, f"n_{g}_{old}", f"n_{g}_{new}") for model in ("observation", "observationrollup")
                             for g in ("female", "male", "other")
                             for old, new in (("u15", "under_15"), ("25plus", "25_plus")))
    assert all(isinstance(op, RenameField) for op in operations)  # a rename keeps every stored value


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite alters tables only outside a transaction")
def test_the_migration_keeps_the_stored_counts_both_ways(db: Any) -> None:
    before, after = [("situation", "0007_vocabulary_keys")], [("situation", "0008_age_band_keys")]
    municipality = Municipality.objects.create(name="Vaxholm", code="0187", slug="vaxholm")
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    district = old.get_model("situation", "District").objects.create(
        municipality_id=municipality.pk, key="resaro", name="Resarö")
    counts = {"n_female_u15": 3, "n_other_25plus": 7, "n_male_18_24": 2}
    old.get_model("situation", "Observation").objects.create(
        municipality_id=municipality.pk, date="2025-05-02", term="2025-1", district=district,
        category="threats", milieu="right-wing", **counts)
    old.get_model("situation", "ObservationRollup").objects.create(
        municipality_id=municipality.pk, term="2025-1", district=district, milieu="right-wing",
        category="threats", observations=1, **counts)

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    renamed = {"n_female_under_15": 3, "n_other_25_plus": 7, "n_male_18_24": 2, "n_male_under_15": 0}
    for model in ("Observation", "ObservationRollup"):
        assert new.get_model("situation", model).objects.values(*renamed).get() == renamed, model

    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    for model in ("Observation", "ObservationRollup"):
        assert old.get_model("situation", model).objects.values(*counts).get() == counts, model
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # the test's transaction is rolled back anyway
