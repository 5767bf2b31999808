"""Links to each module, contributed by the modules themselves (the hooks of `varna.core.plugins`).

An app's AppConfig may define `navigation(request, municipality) -> list[NavLink]`; core collects them
without importing the apps, so the dependency stays one-way (core ← everything). In the same way
`attention(request, municipality) -> list[Attention]` says what needs the user's attention (a count and
a link, never the items themselves): the start page lists those with a count above zero. And
`account_links(request) -> list[NavLink]` offers pages that belong to the user rather than to a
municipality (their API tokens, the national view): the header shows them next to the user's name on
every page, and the start page lists them for a user with no municipality to go to.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from varna.core.models import Municipality
from varna.core.plugins import hooks


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    description: str = ""
    public: bool = False
    order: int = 100
    in_header: bool = True


def links_for(request: HttpRequest, municipality: Municipality) -> list[NavLink]:
    links: list[NavLink] = []
    for provider in hooks("navigation"):
        links.extend(provider(request, municipality))
    return sorted(links, key=lambda link: (link.order, link.label))


@dataclass(frozen=True)
class Attention:
    label: str
    url: str
    count: int
    order: int = 100
    status: str = "todo"  # the task-list tag on the start page: "todo" or "overdue"


def attention_for(request: HttpRequest, municipality: Municipality) -> list[Attention]:
    items: list[Attention] = []
    for provider in hooks("attention"):
        items.extend(item for item in provider(request, municipality) if item.count > 0)
    return sorted(items, key=lambda item: (item.order, item.label))


def account_links_for(request: HttpRequest) -> list[NavLink]:
    """The logged-in user's own pages, from every app's `account_links` hook; none for a visitor."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    links: list[NavLink] = []
    for provider in hooks("account_links"):
        links.extend(provider(request))
    return sorted(links, key=lambda link: (link.order, link.label))
