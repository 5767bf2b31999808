"""Värna's HTTP API (django-ninja), mounted at `/api/`.

Every endpoint but the public contact directory needs a personal token (`Authorization: Bearer ...`).
A token belongs to one user in one municipality: `/api/v1/<municipality>/...` for any other municipality
is a 404, and what the token may do is what its user's roles there allow at the time of the request.
Reads go through the apps' selectors and writes through their services, so scoping, permissions and
the audit log are the same as on the web pages. Counts from the situation picture leave only as
suppressed aggregates (the PUBLISHED policy), never as single observations.

The endpoints are in `varna.api.v1`, one router per app. They validate nothing beyond parsing: the
services refuse, and the handlers here give every refusal one shape, `{"detail": <code>, "errors":
[{"field", "message"}]}`: 422 for a value a service refuses, 403 for a permission, 404 for what does not
exist (or belongs to another municipality).
"""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.operation import Operation

from varna.api.auth import RateLimited, TokenAuth
from varna.api.v1 import followup, guidance, meetings, plans, situation, training
from varna.disclosure.guard import PersonalDataError
from varna.followup.services import FollowupError, FollowupPermissionError
from varna.situation.services import SituationError


class VarnaAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # Clients generated from the schema name their methods after these ids. They were made from the
        # module the endpoints lived in before the API was split into routers per app, and stay so.
        return f"varna_api_api_{operation.view_func.__name__}"


api = VarnaAPI(title="Värna API", version="1", urls_namespace="api", auth=TokenAuth(),
               description="Read the action plan and its follow-up; log activities; report observations.")


def _error(request: HttpRequest, status: int, errors: list[dict[str, Any]], detail: str) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors}, status=status)


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """The input did not parse: a wrong type, a missing field, a bound of the schema."""
    errors = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())]
        location = loc[0] if loc else ""
        # ("body", "payload", "date") → "date"; ("query", "limit") → "limit"
        names = loc[2:] if location == "body" and len(loc) > 2 else loc[1:]
        errors.append({"field": ".".join(names) or None, "location": location, "message": error.get("msg", ""),
                       "type": error.get("type", "")})
    return _error(request, 422, errors, "validation_error")


def _messages(exc: Exception) -> list[dict[str, Any]]:
    """Each refused field with its messages, in the words (and language) the service chose."""
    if isinstance(exc, PersonalDataError):
        return [{"field": field, "message": m} for field, messages in exc.errors.items() for m in messages]
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return [{"field": field or None, "message": m} for field, ms in exc.message_dict.items() for m in ms]
        return [{"field": None, "message": m} for m in exc.messages]
    return [{"field": getattr(exc, "field", None), "message": str(exc)}]


# A service refused a value: every app's own error, the guard's, and a model's validation.
@api.exception_handler(SituationError)
@api.exception_handler(FollowupError)
@api.exception_handler(PersonalDataError)
@api.exception_handler(DjangoValidationError)
def _refused(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 422, _messages(exc), "refused")


@api.exception_handler(PermissionDenied)
@api.exception_handler(FollowupPermissionError)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 403, [{"field": None, "message": str(exc) or _("Your role does not allow this.")}],
                  "forbidden")


@api.exception_handler(ObjectDoesNotExist)
@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Never the exception's text: a model's DoesNotExist may describe the query.
    return _error(request, 404, [{"field": None, "message": _("Not found.")}], "not_found")


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = _error(request, 429, [], "rate_limited")
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, [], "unauthorized")
    response["WWW-Authenticate"] = "Bearer"
    return response


# The order of the OpenAPI document, as it was in one module.
for _router in (plans.router, followup.router, situation.router, meetings.router, training.router,
                guidance.router):
    api.add_router("/v1/", _router)
