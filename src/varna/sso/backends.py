from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


class IdentityProviderBackend(ModelBackend):
    """Names sessions that began at an identity provider. It never checks a password: the provider's verified
    assertion is the first factor (varna.sso.views), and `authenticate` always declines."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **credentials: Any) -> None:
        return None
