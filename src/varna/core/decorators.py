"""View guards: one decorator, `permission_required`, given the same predicate the service checks
(docs/adr/0024-permissions-in-services-one-view-guard.md). Members of another municipality get 404 so that
nothing about it is revealed."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from varna.core.permissions import has_role, is_member, requires_two_factor

View = Callable[..., HttpResponse]
# `predicate(user, municipality)`: a `can_<verb>_<entity>` of some app's permissions.py (municipality is None on
# pages outside any municipality, such as the national view).
Predicate = Callable[[Any, Any], bool]

if TYPE_CHECKING:
    from varna.core.http import VarnaHttpRequest


def permission_required(predicate: Predicate, *, members_only: bool = True, refused: type[Exception] = PermissionDenied,
                        unverified: Callable[[HttpRequest], HttpResponse | None] | None = None,
                        keep_query: bool = True) -> Callable[[View], View]:
    """Anonymous → login; a session without a second factor → `unverified(request)` (when given, and unless it
    returns None: `two_factor_if_required` sends only those whose roles need a second factor);
    `members_only` and no role in the municipality → 404; `predicate` false → `refused` (403, or 404 where even
    the existence of the page is need-to-know, as for cases).

    `members_only=False` is for pages that people without a role in the municipality may reach: a case's
    partner, the national analyst. `keep_query=False` leaves the query string out of the login's `next`
    (case pages: case data never travels in a URL).
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: VarnaHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            municipality = request.municipality
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path() if keep_query else request.path)
            # django-otp's middleware adds is_verified() to every user.
            if unverified is not None and not request.user.is_verified():
                response = unverified(request)
                if response is not None:
                    return response
            if members_only and (municipality is None or not is_member(request.user, municipality)):
                raise Http404
            if not predicate(request.user, municipality):
                raise refused
            return view(request, *args, **kwargs)

        wrapper.varna_predicate = predicate  # type: ignore[attr-defined]
        return wrapper

    return decorator


def two_factor_if_required(request: HttpRequest) -> HttpResponse | None:
    """For `unverified`: to the second step of login if the person's roles need one, else on to the page."""
    return redirect("core:two_factor") if requires_two_factor(request.user) else None


def role_required(*roles: str) -> Callable[[View], View]:
    """`permission_required` with the predicate "holds one of `roles` here" (any role when none is named), for
    pages whose app has no predicate of its own for them: reading pages of a module, mostly."""

    def holds_role(user: Any, municipality: Any) -> bool:
        return not roles or has_role(user, municipality, *roles)

    def decorator(view: View) -> View:
        wrapper = permission_required(holds_role)(view)
        wrapper.varna_roles = roles  # type: ignore[attr-defined]
        return wrapper

    return decorator


def member_required(view: View) -> View:
    """Any role in the municipality."""
    return role_required()(view)


def hide_unless(allowed: bool) -> None:
    """Inside a view, for a check on one object found by a selector (a case, say): 404 unless `allowed`, so
    that a page one may not see looks like one that does not exist."""
    if not allowed:
        raise Http404


def refuse_unless(allowed: bool) -> None:
    """Inside a view, for a check on one object the person may know of (their unit's log, say): 403 unless
    `allowed`."""
    if not allowed:
        raise PermissionDenied
