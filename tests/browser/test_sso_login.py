"""Logging in through the municipality's OpenID provider in a real browser: Värna's login page, the provider's
own login form (the npm oidc-provider started on loopback), and back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.sso.conftest import SECRETS, RunningIdp, client_config, start_oidc_idp


@pytest.fixture(scope="session")
def browser_idp(live_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningIdp]:
    idp = start_oidc_idp([client_config("sollentuna", "kommun", [live_server.url])],
                         tmp_path_factory.mktemp("browser-idp") / "accounts.json")
    yield idp
    idp.process.terminate()
    idp.process.wait(timeout=10)


@pytest.fixture
def provider(browser_idp: RunningIdp, sollentuna: Any) -> Any:
    from varna.sso.models import IdentityProvider, RoleMapping

    provider = IdentityProvider.objects.create(
        municipality=sollentuna, slug="kommun", name="Sollentuna kommun", issuer=browser_idp.issuer,
        client_id="varna-sollentuna", client_secret=SECRETS["sollentuna"], scopes="openid email profile groups",
        unknown_users="refuse")
    RoleMapping.objects.create(provider=provider, group_value="vbe-staff", role="staff")
    return provider


def _through_the_provider(page: Any, account: str) -> None:
    page.goto("/account/login/")
    page.get_by_role("link", name="Sollentuna kommun (Sollentuna)").click()
    expect(page.get_by_role("heading", name="Test identity provider")).to_be_visible()
    page.get_by_label("Account").fill(account)
    page.get_by_role("button", name="Sign in").click()


def test_a_person_logs_in_through_the_municipality_identity_provider(new_page: Any, browser_idp: RunningIdp,
                                                                     provider: Any, bob: Any) -> None:
    browser_idp.set_accounts({"bob-at-idp": {"email": bob.email, "name": "Bob", "groups": ["vbe-staff"]}})
    page = new_page("en")
    _through_the_provider(page, "bob-at-idp")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page).to_have_url(re.compile("/sollentuna/$"))


def test_someone_without_an_account_sees_a_clear_refusal(new_page: Any, browser_idp: RunningIdp,
                                                         provider: Any) -> None:
    browser_idp.set_accounts({"stranger": {"email": "stranger@elsewhere.example", "groups": ["vbe-staff"]}})
    page = new_page("sv")
    page.goto("/account/login/")
    page.get_by_role("link", name="Sollentuna kommun (Sollentuna)").click()
    page.get_by_label("Account").fill("stranger")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Du är inte inloggad")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("inget konto i Värna")
    expect(page.get_by_role("button", name="Logga ut")).to_have_count(0)


def test_a_person_logs_in_over_saml_in_the_browser(new_page: Any, live_server: Any, sollentuna: Any, bob: Any,
                                                   tmp_path: Any) -> None:
    """The IdP's auto-posting form comes from another site, so the browser leaves the session cookie out of
    that POST; the hand-off to a GET brings the login into this browser's session."""
    import requests

    from tests.sso.saml_idp import TestIdp
    from varna.sso.models import IdentityProvider
    from varna.sso.saml import read_idp_metadata

    idp = TestIdp("https://idp.sollentuna.example/saml", tmp_path)
    base = f"{live_server.url}/account/sso/sollentuna/adfs/saml/"
    idp.serve(base + "metadata/", base + "acs/")
    try:
        idp.accounts = {"bob-at-adfs": {"mail": [bob.email], "displayName": ["Bob"], "isMemberOf": []}}
        metadata = idp.metadata()
        IdentityProvider.objects.create(
            municipality=sollentuna, slug="adfs", name="Sollentuna ADFS", protocol="saml",
            saml_metadata_xml=metadata, saml_idp_entity_id=read_idp_metadata(metadata).entity_id,
            email_claim="mail", name_claim="displayName", groups_claim="isMemberOf")
        idp.sp_metadata = requests.get(base + "metadata/", timeout=10).text
        page = new_page("en")
        page.goto("/account/login/")
        page.get_by_role("link", name="Sollentuna ADFS (Sollentuna)").click()
        expect(page.get_by_role("heading", name="Test SAML identity provider")).to_be_visible()
        page.get_by_label("Account").fill("bob-at-adfs")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
    finally:
        idp.stop()
