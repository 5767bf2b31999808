from __future__ import annotations

from typing import Any

from varna.core.models import Municipality
from varna.core.permissions import can_manage_people


def can_manage_identity_providers(user: Any, municipality: Municipality) -> bool:
    """The municipality's administrators connect its identity providers and decide which groups give roles."""
    return can_manage_people(user, municipality)
