"""core's one view guard (`permission_required`) and the system actor (ADR 0024)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from varna.core.actors import SYSTEM
from varna.core.decorators import permission_required
from varna.core.models import AuditEvent, Role
from varna.core.permissions import NotPermitted, has_role, is_platform_admin, require, roles_in


def _coordinator_only(user: Any, municipality: Any) -> bool:
    return has_role(user, municipality, Role.COORDINATOR)


def _view(request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("the page")


def _request(user: Any, municipality: Any, path: str = "/norrtalje/page/?term=HT2026") -> Any:
    request = RequestFactory().get(path)
    request.user, request.municipality = user, municipality
    return request


@pytest.fixture
def norrtalje(db: Any) -> Any:
    from varna.core.models import Municipality

    return Municipality.objects.create(name="Norrtälje", code="0188", slug="norrtalje")


@pytest.fixture
def people(make_person: Any, norrtalje: Any, taby: Any) -> dict[str, Any]:
    return {"coordinator": make_person("kim@norrtalje.example", "coordinator", norrtalje),
            "staff": make_person("sam@norrtalje.example", "staff", norrtalje),
            "outsider": make_person("tove@taby.example", "coordinator", taby),
            "nobody": make_person("nobody@example.org", None)}


def test_the_predicate_decides_between_the_page_403_and_404(people: dict[str, Any], norrtalje: Any) -> None:
    guarded = permission_required(_coordinator_only)(_view)
    assert guarded(_request(people["coordinator"], norrtalje)).content == b"the page"
    with pytest.raises(PermissionDenied):
        guarded(_request(people["staff"], norrtalje))
    # Another municipality's coordinator, and someone with no role: nothing about this municipality is revealed.
    for who in ("outsider", "nobody"):
        with pytest.raises(Http404):
            guarded(_request(people[who], norrtalje))


def test_anonymous_goes_to_login_with_or_without_the_query_string(norrtalje: Any) -> None:
    response = permission_required(_coordinator_only)(_view)(_request(AnonymousUser(), norrtalje))
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/norrtalje/page/%3Fterm%3DHT2026"
    response = permission_required(_coordinator_only, keep_query=False)(_view)(_request(AnonymousUser(), norrtalje))
    assert response["Location"] == "/account/login/?next=/norrtalje/page/"


def test_pages_for_people_without_a_role_leave_it_to_the_predicate(people: dict[str, Any], norrtalje: Any) -> None:
    def own_page(user: Any, municipality: Any) -> bool:
        return user.email == "nobody@example.org"

    guarded = permission_required(own_page, members_only=False, refused=Http404)(_view)
    assert guarded(_request(people["nobody"], norrtalje)).content == b"the page"
    with pytest.raises(Http404):
        guarded(_request(people["coordinator"], norrtalje))


def test_an_unverified_session_gets_the_page_the_guard_names(people: dict[str, Any], norrtalje: Any) -> None:
    guarded = permission_required(_coordinator_only, unverified=lambda r: HttpResponse("verify", status=403))(_view)
    request = _request(people["coordinator"], norrtalje)
    request.user.is_verified = lambda: False
    response = guarded(request)
    assert (response.status_code, response.content) == (403, b"verify")


def test_the_system_actor_holds_every_role_and_is_recorded_without_a_person(norrtalje: Any) -> None:
    from varna.core import audit

    assert roles_in(SYSTEM, norrtalje) == frozenset(Role.values)
    assert is_platform_admin(SYSTEM)
    event = audit.record(actor=SYSTEM, action="test.system", municipality=norrtalje)
    assert (event.actor_id, event.actor_label) == (None, "")
    assert AuditEvent.objects.filter(action="test.system").count() == 1


def test_nobody_and_none_hold_no_role(people: dict[str, Any], norrtalje: Any) -> None:
    assert roles_in(None, norrtalje) == frozenset()
    assert roles_in(AnonymousUser(), norrtalje) == frozenset()
    assert roles_in(people["nobody"], norrtalje) == frozenset()
    assert not is_platform_admin(people["nobody"])


def test_require_raises_the_apps_error_which_is_a_permission_denied() -> None:
    class AppError(Exception):
        pass

    class AppPermissionError(AppError, NotPermitted):
        pass

    require(True, "never shown", AppPermissionError)
    with pytest.raises(AppError, match="^Only the coordinator$") as caught:
        require(False, "Only the coordinator", AppPermissionError)
    assert isinstance(caught.value, PermissionDenied)
