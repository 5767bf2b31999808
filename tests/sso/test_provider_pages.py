"""The administrator's pages for identity providers, and the role mapping they write."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from varna.core.models import AuditEvent
from varna.sso import mapping
from varna.sso.models import IdentityProvider

FORM = {"name": "Sollentuna kommun (Entra ID)", "slug": "entra", "protocol": "oidc", "enabled": "on",
        "issuer": "https://login.example/tenant/v2.0", "client_id": "abc", "client_secret": "very-secret-value",
        "scopes": "openid email profile", "email_claim": "email", "name_claim": "name", "groups_claim": "groups",
        "organisation_claim": "", "unknown_users": "refuse", "two_factor_values": "",
        "role_mapping": "vbe-staff = staff\n# a comment\nvbe-rektorer = manager @ buk"}


@pytest.fixture
def buk(bob: Any) -> Any:
    return bob.memberships.get().organisation  # bob's unit, key "buk"


def test_the_administrator_connects_a_provider_with_a_role_mapping(verified_client: Any, ada: Any, buk: Any) -> None:
    client = verified_client(ada)
    response = client.post("/sollentuna/manage/identity-providers/new/", FORM)
    assert response.status_code == 302
    provider = IdentityProvider.objects.get(slug="entra")
    assert provider.client_secret == "very-secret-value"
    assert {(m.group_value, m.role, m.organisation_id) for m in provider.role_mappings.all()} == {
        ("vbe-staff", "staff", None), ("vbe-rektorer", "manager", buk.pk)}
    event = AuditEvent.objects.get(action="sso.provider.created")
    assert "very-secret-value" not in str(event.data)
    assert event.data["secret_changed"] is True
    page = client.get("/sollentuna/manage/identity-providers/entra/")
    assert "very-secret-value" not in page.content.decode()
    assert "/account/sso/sollentuna/entra/oidc/callback/" in page.content.decode()
    assert "Sollentuna kommun (Entra ID)" in client.get("/account/login/").content.decode()


def test_a_mapping_to_a_role_needing_approval_is_refused_with_its_line(verified_client: Any, ada: Any) -> None:
    client = verified_client(ada)
    response = client.post("/sollentuna/manage/identity-providers/new/",
                           {**FORM, "role_mapping": "vbe-staff = staff\nit-admins = administrator"})
    assert response.status_code == 200
    assert not IdentityProvider.objects.exists()
    assert "2" in str(response.context["form"].errors["role_mapping"])


def test_a_plain_http_issuer_is_refused_outside_tests(verified_client: Any, ada: Any, settings: Any) -> None:
    settings.VARNA_SSO_ALLOW_HTTP = False
    response = verified_client(ada).post("/sollentuna/manage/identity-providers/new/",
                                         {**FORM, "issuer": "http://login.example/"})
    assert "issuer" in response.context["form"].errors


def test_only_administrators_of_the_municipality_reach_the_pages(verified_client: Any, client: Any, alice: Any,
                                                                 tove: Any, sollentuna: Any) -> None:
    IdentityProvider.objects.create(municipality=sollentuna, slug="entra", name="Entra", issuer="https://x.example",
                                    client_id="a", client_secret="b")
    assert verified_client(alice).get("/sollentuna/manage/identity-providers/").status_code == 403
    assert verified_client(tove).get("/sollentuna/manage/identity-providers/entra/").status_code == 404
    assert client.post("/sollentuna/manage/identity-providers/entra/", FORM).status_code == 404
    assert IdentityProvider.objects.get().client_secret == "b"


def test_another_municipalitys_provider_is_not_found_under_this_one(verified_client: Any, ada: Any, taby: Any,
                                                                   make_person: Any) -> None:
    IdentityProvider.objects.create(municipality=taby, slug="taby-id", name="Täby", issuer="https://t.example",
                                    client_id="a", client_secret="b")
    assert verified_client(ada).get("/sollentuna/manage/identity-providers/taby-id/").status_code == 404


_value = st.text(alphabet=st.characters(blacklist_characters="=@#\n\r", blacklist_categories=["Cs", "Zl", "Zp"]),
                 min_size=1, max_size=40).filter(lambda s: s.strip() == s and s.strip())


@given(st.lists(st.tuples(_value, st.sampled_from(["staff", "manager"]), st.sampled_from(["", "buk"])), max_size=8))
def test_a_mapping_reads_back_as_written(rows: list[tuple[str, str, str]]) -> None:
    lines = [mapping.MappingLine(*row) for row in rows]
    assert mapping.parse(mapping.render(lines), roles=["staff", "manager"], unit_keys=["buk"]) == lines


@pytest.mark.parametrize("text", ["no equals sign", "= staff", "group =", "group = coordinator",
                                  "group = staff @ no-such-unit", "x" * 301 + " = staff"])
def test_a_bad_mapping_line_is_refused(text: str) -> None:
    with pytest.raises(mapping.MappingError):
        mapping.parse(text, roles=["staff", "manager"], unit_keys=["buk"])
