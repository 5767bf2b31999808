from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from varna.core.navigation import links_for
from varna.core.permissions import roles_in


def varna(request: HttpRequest) -> dict[str, Any]:
    municipality = getattr(request, "municipality", None)
    user = getattr(request, "user", None)
    if municipality is None:
        return {"municipality": None, "my_roles": frozenset(), "nav_items": []}

    def nav_items() -> list[dict[str, Any]]:
        return [
            {"label": link.label, "url": link.url, "current": request.path.startswith(link.url)}
            for link in links_for(request, municipality) if link.in_header
        ]

    return {
        "municipality": municipality,
        "my_roles": SimpleLazyObject(lambda: roles_in(user, municipality)),
        "nav_items": SimpleLazyObject(nav_items),
    }
