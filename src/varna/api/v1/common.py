"""What every router of the API's first version shares: paging and the token's municipality."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import Field

from varna.api.auth import ApiRequest
from varna.core.models import Municipality
from varna.core.permissions import has_role, is_member

PAGE_SIZE = 100
MAX_PAGE_SIZE = 200
# Far beyond any real list, and below every database's limit for OFFSET (SQLite's is a signed 64-bit int).
MAX_OFFSET = 1_000_000_000


class Pages(LimitOffsetPagination):
    """`limit` and `offset` with a ceiling that the schema states, so a client learns it from the
    OpenAPI document and a larger `limit` is a 422 naming the field instead of a silently shorter page."""

    class Input(Schema):
        limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"At most {MAX_PAGE_SIZE} items")
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE_SIZE, **kwargs)


class Rendered(Sequence):
    """A queryset whose rows become dicts only for the page asked for: the paginator slices it and
    counts it in the database, so a page costs the same however long the list is."""

    def __init__(self, queryset: QuerySet, render: Callable[[Any], dict[str, Any]]) -> None:
        self.queryset, self.render = queryset, render

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self.render(row) for row in self.queryset[index]]
        return self.render(self.queryset[index])

    def __len__(self) -> int:
        return self.queryset.count()


def scope(request: ApiRequest, municipality_slug: str, *roles: str) -> Municipality:
    """The token's municipality if the URL names it and the user still has a role there (else 404);
    403 if `roles` are given and the user holds none of them. The API's exception handlers answer both."""
    token = request.auth
    municipality = token.municipality
    if municipality.slug != municipality_slug or not is_member(token.user, municipality):
        # Another municipality's address is a 404 like one that doesn't exist (STYLE.md, tenancy).
        raise Municipality.DoesNotExist
    if roles and not has_role(token.user, municipality, *roles):
        raise PermissionDenied(_("Your role does not allow this."))
    return municipality
