from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from varna.passkeys.models import Passkey


def passkeys_of(user: Any) -> QuerySet[Passkey]:
    return Passkey.objects.filter(user=user, confirmed=True).order_by("created_at")
