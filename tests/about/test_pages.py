"""The accessibility statement and the privacy page: public, per municipality, in both languages."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client, override_settings

from varna.about import privacy
from varna.about.models import Compliance, ServiceStatement
from varna.core.fields import EncryptedTextField

# Names of text fields that hold a person's name or a copy of it (a "label" kept when the user is deleted).
PERSON_TEXT_FIELDS = {"full_name", "user_agent", "identity_number", "actor_label",
                      "verified_by_label", "attachment_name"}


@pytest.mark.parametrize(("language", "words"), [
    ("sv", ["Tillgänglighetsredogörelse", "Myndigheten för digital förvaltning (DIGG)", "delvis förenlig",
            "Innehåll som inte är tillgängligt", "Rapportera en brist"]),
    ("en", ["Accessibility statement", "Myndigheten för digital förvaltning (DIGG)", "partially compliant",
            "Content that is not accessible", "Report a shortcoming"])])
def test_every_municipality_has_a_statement_in_digg_s_model_even_before_filling_it_in(
        client: Client, taby: Any, language: str, words: list[str]) -> None:
    client.cookies["django_language"] = language
    response = client.get("/taby/tillganglighet/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in words:
        assert text in html
    assert 'href="https://www.digg.se/tdosanmalan"' in html
    assert "Täby" in html
    assert not ServiceStatement.objects.exists()  # reading the page writes nothing


def test_a_municipality_s_own_statement_shows_its_contacts_and_shortcomings_and_no_one_else_s(
        client: Client, sollentuna: Any, taby: Any) -> None:
    ServiceStatement.objects.create(
        municipality=taby, compliance=Compliance.FULL, contact_email="tillganglighet@taby.example",
        contact_phone="08-555 000 00", response_time="inom fem arbetsdagar",
        shortcomings="Kartan i lägesbilden saknar textalternativ.\n\n  Filmen saknar undertexter. ")
    taby_page = client.get("/taby/tillganglighet/").content.decode()
    assert 'href="mailto:tillganglighet@taby.example"' in taby_page
    assert 'href="tel:0855500000"' in taby_page
    assert "<li lang=\"sv\">Kartan i lägesbilden saknar textalternativ.</li>" in taby_page
    assert "<li lang=\"sv\">Filmen saknar undertexter.</li>" in taby_page
    assert 'data-compliance="full"' in taby_page
    other = client.get("/sollentuna/tillganglighet/").content.decode()
    assert "taby.example" not in other
    assert "Kartan i lägesbilden" not in other
    assert 'data-compliance="partial"' in other


def test_the_privacy_page_lists_everything_the_data_model_keeps_about_people(client: Client, sollentuna: Any) -> None:
    client.cookies["django_language"] = "en"
    with override_settings(VARNA_CASE_RETENTION_DAYS=400):
        html = client.get("/sollentuna/personuppgifter/").content.decode()
    for record in privacy.RECORDS:
        assert str(record.what).replace("'", "&#x27;") in html
    assert "Deleted 400 days after the case is closed" in html
    assert "Sollentuna is the controller" in html
    assert "IMY" in html


def _personal_fields(model: type[models.Model]) -> set[str]:
    found = set()
    for field in model._meta.concrete_fields:
        to_user = field.is_relation and field.related_model is not None and \
            field.related_model._meta.label == settings.AUTH_USER_MODEL
        if to_user or isinstance(field, models.EmailField | models.GenericIPAddressField | EncryptedTextField) \
                or field.name in PERSON_TEXT_FIELDS:
            found.add(field.name)
    return found


def test_every_field_that_holds_personal_data_is_on_the_privacy_page() -> None:
    declared: dict[str, set[str]] = {}
    for record in privacy.RECORDS:
        declared.setdefault(record.model, set()).update(record.fields)
    for label, fields in privacy.NOT_PERSONAL.items():
        declared.setdefault(label, set()).update(fields)
    missing = {}
    for model in apps.get_models():
        if not model.__module__.startswith("varna."):
            continue
        undeclared = _personal_fields(model) - declared.get(model._meta.label, set())
        if undeclared:
            missing[model._meta.label] = sorted(undeclared)
    assert missing == {}, "describe these in varna/about/privacy.py"


def test_every_field_the_privacy_page_names_exists() -> None:
    for record in privacy.RECORDS:
        model = apps.get_model(record.model)
        names = {field.name for field in model._meta.concrete_fields}
        assert set(record.fields) <= names, record.model
        assert record.purpose in {purpose.key for purpose in privacy.PURPOSES}


@pytest.mark.parametrize("path", ["/sollentuna/", "/sollentuna/vart-vander-jag-mig/", "/sollentuna/tillganglighet/"])
def test_every_page_of_a_municipality_links_the_statement_privacy_and_contacts_and_loads_no_htmx(
        client: Client, sollentuna: Any, path: str) -> None:
    html = client.get(path).content.decode()
    footer = html.split('<footer class="site-footer">', 1)[1]
    for link in ("/sollentuna/tillganglighet/", "/sollentuna/personuppgifter/",
                 "/sollentuna/vart-vander-jag-mig/kontakter/"):
        assert f'href="{link}"' in footer
    assert "htmx" not in html
