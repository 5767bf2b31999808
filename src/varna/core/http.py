"""The request as Värna's middleware leaves it, for views' type hints (as healthchecks'
``AuthenticatedHttpRequest``): Django hands every view an ``HttpRequest``; these say what is on it by then."""

from __future__ import annotations

from django.http import HttpRequest

from varna.core.models import Municipality, User


class VarnaHttpRequest(HttpRequest):
    # MunicipalityMiddleware: the municipality of a ``/<municipality>/...`` address, None elsewhere.
    municipality: Municipality | None


class AuthenticatedHttpRequest(VarnaHttpRequest):
    """A request in a view that has already sent anonymous visitors to the login page."""

    user: User
