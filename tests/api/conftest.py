"""Tokens for the API tests; the situation fixtures (districts, make_observation) are shared."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.situation.conftest import districts, make_observation  # noqa: F401


@pytest.fixture
def token_for() -> Callable[..., str]:
    from varna.api import services

    def make(user: Any, municipality: Any, name: str = "test") -> str:
        return services.token_create(actor=user, municipality=municipality, name=name)[1]

    return make


@pytest.fixture
def api_get(client: Any) -> Callable[..., Any]:
    def get(path: str, token: str | None = None, **params: Any) -> Any:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        return client.get(path, params, **headers)

    return get


@pytest.fixture
def api_post(client: Any) -> Callable[..., Any]:
    def post(path: str, token: str | None, data: Any) -> Any:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        return client.post(path, data, content_type="application/json", **headers)

    return post
