from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from varna.core.navigation import account_links_for, links_for
from varna.core.permissions import roles_in


def _account_items(request: HttpRequest) -> list[dict[str, Any]]:
    return [{"label": link.label, "url": link.url, "current": request.path.startswith(link.url)}
            for link in account_links_for(request)]


def varna(request: HttpRequest) -> dict[str, Any]:
    municipality = getattr(request, "municipality", None)
    user = getattr(request, "user", None)
    account_items = SimpleLazyObject(lambda: _account_items(request))
    if municipality is None:
        return {"municipality": None, "my_roles": frozenset(), "nav_items": [], "account_items": account_items}

    def nav_items() -> list[dict[str, Any]]:
        return [
            {"label": link.label, "url": link.url, "current": request.path.startswith(link.url)}
            for link in links_for(request, municipality) if link.in_header
        ]

    return {
        "municipality": municipality,
        "my_roles": SimpleLazyObject(lambda: roles_in(user, municipality)),
        "nav_items": SimpleLazyObject(nav_items),
        "account_items": account_items,
    }
