"""Personal API tokens: only a hash stored, created and revoked by their user, audited."""

from __future__ import annotations

from typing import Any

import pytest

from varna.api.models import ApiToken
from varna.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_only_a_hash_of_the_secret_is_stored(alice: Any, sollentuna: Any, token_for: Any) -> None:
    secret = token_for(alice, sollentuna)
    token = ApiToken.objects.get(user=alice)
    assert secret not in token.token_hash
    assert len(token.token_hash) == 64
    assert AuditEvent.objects.filter(action="api.token.created", actor=alice).exists()


def test_user_creates_a_token_on_the_page_and_sees_it_once(alice: Any, sollentuna: Any,
                                                           verified_client: Any) -> None:
    client = verified_client(alice)
    response = client.post("/account/api-tokens/", {"name": "Rapportverktyg", "municipality": "sollentuna"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("varna_")
    assert secret not in client.get("/account/api-tokens/").content.decode()


def test_no_token_for_a_municipality_without_a_role(alice: Any, taby: Any, verified_client: Any) -> None:
    client = verified_client(alice)
    client.post("/account/api-tokens/", {"name": "x", "municipality": "taby"})
    assert not ApiToken.objects.exists()


def test_revoked_token_stops_working(alice: Any, sollentuna: Any, token_for: Any, api_get: Any,
                                     verified_client: Any) -> None:
    secret = token_for(alice, sollentuna)
    assert api_get("/api/v1/sollentuna/training-events", secret).status_code == 200
    token = ApiToken.objects.get(user=alice)
    response = verified_client(alice).post(f"/account/api-tokens/{token.pk}/revoke/", {"confirm": "yes"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="api.token.revoked", actor=alice).exists()
    assert api_get("/api/v1/sollentuna/training-events", secret).status_code == 401


def test_nobody_revokes_another_users_token(alice: Any, walter: Any, sollentuna: Any, token_for: Any,
                                            verified_client: Any) -> None:
    token_for(alice, sollentuna)
    token = ApiToken.objects.get(user=alice)
    assert verified_client(walter).post(
        f"/account/api-tokens/{token.pk}/revoke/", {"confirm": "yes"}).status_code == 404
    token.refresh_from_db()
    assert token.active


def test_every_logged_in_user_reaches_their_tokens_from_the_header(alice: Any, bob: Any, nils: Any,
                                                                   verified_client: Any) -> None:
    for user, page in [(alice, "/sollentuna/"), (bob, "/sollentuna/plans/"), (nils, "/national/"), (nils, "/")]:
        html = verified_client(user).get(page, follow=True).content.decode()
        nav = html[html.index('class="site-account"'):]
        nav = nav[:nav.index("</nav>")]
        assert 'href="/account/api-tokens/"' in nav, (user, page)
    tokens_page = verified_client(alice).get("/account/api-tokens/").content.decode()
    assert 'href="/account/api-tokens/" aria-current="page"' in tokens_page
