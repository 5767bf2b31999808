"""Who sees the national view: national analysts, who hold their role outside any municipality."""

from __future__ import annotations

from typing import Any

from varna.core.permissions import is_national_analyst


def can_view_national(user: Any, municipality: Any = None) -> bool:
    return is_national_analyst(user)
