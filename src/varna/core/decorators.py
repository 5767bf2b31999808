"""View guards. Members of another municipality get 404 so that nothing about it is revealed."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse

from varna.core.permissions import has_role, is_member

if TYPE_CHECKING:
    from varna.core.http import VarnaHttpRequest


def role_required(*roles: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Anonymous → login; no role in this municipality → 404; a role, but not one of `roles` → 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: VarnaHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            municipality = request.municipality
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if municipality is None or not is_member(request.user, municipality):
                raise Http404
            if roles and not has_role(request.user, municipality, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.varna_roles = roles  # type: ignore[attr-defined]
        return wrapper

    return decorator


def member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Any role in the municipality."""
    return role_required()(view)
