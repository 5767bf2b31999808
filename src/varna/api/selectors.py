"""Reading API tokens."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import QuerySet

from varna.api.models import ApiToken
from varna.core.models import Municipality


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).select_related("municipality")


def token_lookup(raw: str) -> ApiToken | None:
    """The active token with this secret, or None (unknown, expired and revoked tokens look the same)."""
    from django.utils import timezone

    if not raw or len(raw) > 200:
        return None
    return (ApiToken.objects.filter(token_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True,
                                    expires_at__gt=timezone.now())
            .select_related("user", "municipality").first())


def token_municipalities(user: Any) -> list[Municipality]:
    """Where the user may create a token: every municipality they hold a role in."""
    from varna.core.permissions import municipalities_of

    return municipalities_of(user)
