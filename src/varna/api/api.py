"""Värna's HTTP API (django-ninja), mounted at `/api/`.

Every endpoint but the public contact directory needs a personal token (`Authorization: Bearer ...`).
A token belongs to one user in one municipality: `/api/v1/<municipality>/...` for any other municipality
is a 404, and what the token may do is what its user's roles there allow at the time of the request.
Reads go through the apps' selectors and writes through their services, so scoping, permissions and
the audit log are the same as on the web pages. Counts from the situation picture leave only as
suppressed aggregates (the PUBLISHED policy), never as single observations.
"""


import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import HttpBearer
from pydantic import Field

from varna.api import selectors, services
from varna.api.models import ApiToken
from varna.core import ratelimit
from varna.core.models import Municipality, Role
from varna.core.permissions import has_role, is_member
from varna.guidance import selectors as guidance_selectors

RATE_SCOPE = "api"
RATE_LIMIT = (300, 60)


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after


class ServiceRefused(Exception):
    """A service refused the write; `field` names the input at fault, if one is."""

    def __init__(self, messages: list[str], field: str | None = None, status: int = 422) -> None:
        super().__init__(" ".join(messages))
        self.messages, self.field, self.status = messages, field, status


def _throttle(request: HttpRequest) -> None:
    if getattr(settings, "VARNA_RATE_LIMITS_ENABLED", True):
        retry_after = ratelimit.hit(RATE_SCOPE, request, limit=RATE_LIMIT[0], window=RATE_LIMIT[1])
        if retry_after is not None:
            raise RateLimited(retry_after)


class ApiRequest(HttpRequest):
    # The token TokenAuth accepted; django-ninja sets it before any operation runs.
    auth: ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        _throttle(request)
        found = selectors.token_lookup(token)
        if found is not None:
            services.token_used(found)
        return found


api = NinjaAPI(title="Värna API", version="1", urls_namespace="api", auth=TokenAuth(),
               description="Read the action plan and its follow-up; log activities; report observations.")


def _error(request: HttpRequest, status: int, errors: list[dict[str, Any]], detail: str) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors}, status=status)


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())]
        location = loc[0] if loc else ""
        # ("body", "payload", "date") → "date"; ("query", "limit") → "limit"
        names = loc[2:] if location == "body" and len(loc) > 2 else loc[1:]
        errors.append({"field": ".".join(names) or None, "location": location, "message": error.get("msg", ""),
                       "type": error.get("type", "")})
    return _error(request, 422, errors, "validation_error")


@api.exception_handler(ServiceRefused)
def _refused(request: HttpRequest, exc: ServiceRefused) -> HttpResponse:
    return _error(request, exc.status, [{"field": exc.field, "message": m} for m in exc.messages], "refused")


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


# --- pagination ------------------------------------------------------------------------------------

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


def _scope(request: ApiRequest, municipality_slug: str, *roles: str) -> Municipality:
    """The token's municipality if the URL names it and the user still has a role there (else 404);
    403 if `roles` are given and the user holds none of them."""
    token: ApiToken = request.auth
    municipality = token.municipality
    if municipality.slug != municipality_slug or not is_member(token.user, municipality):
        raise HttpError(404, "Not found")
    if roles and not has_role(token.user, municipality, *roles):
        raise HttpError(403, "Your role does not allow this.")
    return municipality


# --- schemas ---------------------------------------------------------------------------------------

class ErrorItem(Schema):
    field: str | None = None
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []


class ActivityOut(Schema):
    plan: str = Field(description="Address name (slug) of the plan")
    version: int = Field(description="Number of the plan version in force that holds the activity")
    key: str
    level: str
    direction: str
    action: str
    responsible: list[str]
    responsible_text: str
    cadence_kind: str
    cadence_count: int | None
    when_text: str


class LevelOut(Schema):
    key: str
    name: str
    introduction: str
    activities: list[ActivityOut]


class PlanSummaryOut(Schema):
    slug: str
    title: str
    approved_version: int | None = Field(description="The version in force today, else the next to come into force")
    in_force_from: dt.date | None = Field(description="The day that version is in force from")
    in_force_to: dt.date | None = Field(description="Its last day, if a later version or its own end closes it")


class DecisionOut(Schema):
    """The decision that adopted the version: body, its kind, date, paragraph and registry number."""

    body_kind: str
    body: str
    date: dt.date | None
    paragraph: str
    registry_number: str


class PlanOut(Schema):
    slug: str
    title: str
    version: int
    valid_from: dt.date | None
    valid_to: dt.date | None
    in_force_from: dt.date | None = Field(description="The first day the version is in force (never before adoption)")
    in_force_to: dt.date | None = Field(description="The last day it is in force, if known")
    decision: DecisionOut
    # When the approval was entered in Värna (not the decision: see `decision.date`).
    approved_at: dt.datetime | None
    decision_reference: str
    levels: list[LevelOut]


# Every term in the API is one key (varna.core.terms, ADR 0018): the follow-up and training used to send
# "2026-autumn"; those endpoints now send "2026-2" like the situation picture always did.
TERM_KEY = "School term: YYYY-1 is the spring term (VT), YYYY-2 the autumn term (HT)"


class LogOut(Schema):
    id: int
    plan: str = Field(description="Address name (slug) of the plan the activity belongs to")
    activity: str
    unit: str | None
    date: dt.date
    term: str = Field(description=TERM_KEY)
    description: str
    participants: int | None
    link: str
    source: str


class LogIn(Schema):
    plan: str | None = Field(default=None, max_length=80,
                             description="Address name of the plan; needed when several plans have the key")
    activity: str = Field(min_length=1, max_length=80)
    unit: str | None = Field(default=None, max_length=60, description="Key of the unit; empty for all responsible")
    date: dt.date
    description: str = Field(min_length=1, max_length=5000)
    participants: int | None = Field(default=None, ge=0, le=1_000_000)
    link: str = Field(default="", max_length=200)


class LogFilters(Schema):
    plan: str | None = Field(default=None, max_length=80, description="Address name of one plan")
    activity: str | None = Field(default=None, max_length=80)
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class ObservationIn(Schema):
    date: dt.date
    district: str = Field(min_length=1, max_length=60, description="Key of the district")
    category: str = Field(max_length=60)
    milieu: str = Field(max_length=60)
    signs: list[str] = Field(default=[], max_length=50)
    source_organisation: str | None = Field(default=None, max_length=60)
    description: str = Field(default="", max_length=2000)
    counts: dict[str, int] = Field(default={}, description="People involved per `n_<gender>_<age band>` field")


class ObservationCreated(Schema):
    id: int
    term: str = Field(description=TERM_KEY)


class AggregateRow(Schema):
    label: str
    cells: list[str]
    total: str


class AggregateTable(Schema):
    key: str
    caption: str
    row_header: str
    columns: list[str]
    rows: list[AggregateRow]
    column_totals: list[str]
    grand_total: str


class AggregateFilters(Schema):
    term: str = Field(default="", pattern=r"^(\d{4}-[12])?$",
                      description="One whole term (2025-1 spring, 2025-2 autumn); the latest by default.")


# Published figures come from the catalogue only (ADR 0016): a range or a filter would make a new table
# that could be subtracted from another, so these are refused rather than ignored.
_REFUSED_AGGREGATE_PARAMETERS = ("term_from", "term_to", "terms", "district", "milieu", "category")


class MeetingOut(Schema):
    id: int
    group: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    status: str


class ActionOut(Schema):
    id: int
    meeting: int
    title: str
    owner: str
    due_date: dt.date
    status: str


class TrainingEventOut(Schema):
    id: int
    title: str
    topic: str
    audience: str
    organiser: str
    date: dt.date
    term: str = Field(description=TERM_KEY)


class ContactOut(Schema):
    key: str
    name: str
    organisation: str
    kind: str
    phone: str
    url: str
    opening_hours: str
    description: str
    # Provenance (ADR 0019): a reader of the API judges a number as the public page lets a person judge it.
    national: bool = Field(description="True for an entry of the national list that every municipality inherits")
    last_verified: dt.date | None = Field(description="The day someone last checked the details; null if never")
    verification_method: str = Field(
        description="How they were checked; empty if never",
        json_schema_extra={"enum": [*guidance_selectors.VERIFICATION_METHODS, ""]})
    source: str = Field(description="What they were checked against: the page, the person, the e-mail or the plan")
    source_date: dt.date | None = Field(description="The date of that source itself, if it has one")
    needs_checking: bool = Field(description="True for the municipality's own contact not checked within its "
                                             "chosen age; national entries never carry the warning")


# --- plan ------------------------------------------------------------------------------------------

v1 = Router(tags=["v1"])
ANY: tuple[str, ...] = ()


def _activity_out(activity: Any) -> dict[str, Any]:
    return {"plan": activity.version.plan.slug, "version": activity.version.number, "key": activity.key,
            "level": activity.level.key, "direction": activity.direction,
            "action": activity.action, "responsible": [o.key for o in activity.responsible.all()],
            "responsible_text": activity.responsible_text, "cadence_kind": activity.cadence_kind,
            "cadence_count": activity.cadence_count, "when_text": activity.when_text}


@v1.get("/{municipality_slug}/plans", response=list[PlanSummaryOut], url_name="plan_list")
@paginate(Pages)
def plan_list(request: ApiRequest, municipality_slug: str) -> Rendered:
    """The municipality's plans by title, each with its approved version number (null if none yet)."""
    from varna.plans import selectors as plans

    municipality = _scope(request, municipality_slug)

    def render(plan: Any) -> dict[str, Any]:
        current = plans.current_version(plan)
        span = current.span if current else None
        return {"slug": plan.slug, "title": plan.title, "approved_version": current.number if current else None,
                "in_force_from": span.start if span else None, "in_force_to": span.end if span else None}

    return Rendered(plans.plans_of(municipality).order_by("title", "pk"), render)


@v1.get("/{municipality_slug}/plans/{plan_slug}", response={200: PlanOut, 404: ErrorOut}, url_name="plan_detail")
def plan_detail(request: ApiRequest, municipality_slug: str, plan_slug: str) -> Any:
    """The approved version of the plan, with its levels and activities."""
    from django.http import Http404

    from varna.plans import selectors as plans

    municipality = _scope(request, municipality_slug)
    try:
        plan = plans.plan_get(municipality, plan_slug)
    except Http404:
        raise HttpError(404, "Not found") from None
    version = plans.current_version(plan)
    if version is None:
        raise HttpError(404, "The plan has no approved version.")
    levels = [{"key": level.key, "name": level.name, "introduction": level.introduction,
               "activities": [_activity_out(a) for a in level.activities.all()]}
              for level in plans.levels_with_activities(version)]
    span = version.span
    return {"slug": plan.slug, "title": plan.title, "version": version.number, "valid_from": version.valid_from,
            "valid_to": version.valid_to, "in_force_from": span.start if span else None,
            "in_force_to": span.end if span else None, "approved_at": version.approved_at,
            "decision": {"body_kind": version.decision_body_kind, "body": version.decision_body,
                         "date": version.decision_date, "paragraph": version.decision_paragraph,
                         "registry_number": version.registry_number},
            "decision_reference": version.decision_text, "levels": levels}


@v1.get("/{municipality_slug}/activities", response=list[ActivityOut], url_name="activity_list")
@paginate(Pages)
def activity_list(request: ApiRequest, municipality_slug: str,
                  level: str | None = Query(default=None, max_length=60),
                  plan: str | None = Query(default=None, max_length=80)) -> Rendered:
    """Activities of each plan's version in force today (`plan`: one plan, by its address name)."""
    from varna.plans import selectors as plans

    municipality = _scope(request, municipality_slug)
    activities = plans.approved_activities_of(municipality).select_related("level").prefetch_related("responsible")
    if plan:
        activities = activities.filter(version__plan__slug=plan)
    if level:
        activities = activities.filter(level__key=level)
    return Rendered(activities.order_by("version__plan__title", "version__plan_id", "level__order", "order", "pk"),
                    _activity_out)


# --- activity log ----------------------------------------------------------------------------------

LOG_ROLES = (Role.COORDINATOR, Role.STAFF, Role.MANAGER, Role.WORKING_GROUP)


def _log_out(log: Any) -> dict[str, Any]:
    return {"id": log.pk, "plan": log.activity.version.plan.slug, "activity": log.activity_key,
            "unit": log.organisation.key if log.organisation else None,
            "date": log.date, "term": log.term, "description": log.description, "participants": log.participants,
            "link": log.link, "source": log.source}


@v1.get("/{municipality_slug}/activity-log", response=list[LogOut], url_name="log_list")
@paginate(Pages)
def log_list(request: ApiRequest, municipality_slug: str, filters: Query[LogFilters]) -> Rendered:
    from varna.followup import selectors as followup

    municipality = _scope(request, municipality_slug)
    logs = followup.logs_of(municipality).select_related("organisation")
    if filters.plan:
        logs = logs.filter(activity__version__plan__slug=filters.plan)
    if filters.activity:
        logs = logs.filter(activity_key=filters.activity)
    if filters.date_from:
        logs = logs.filter(date__gte=filters.date_from)
    if filters.date_to:
        logs = logs.filter(date__lte=filters.date_to)
    return Rendered(logs.order_by("-date", "-pk"), _log_out)


@v1.post("/{municipality_slug}/activity-log", response={201: LogOut, 403: ErrorOut, 422: ErrorOut},
         url_name="log_create")
def log_create(request: ApiRequest, municipality_slug: str, payload: LogIn) -> Any:
    """Log one occurrence of an activity of the approved plan, as the follow-up page does."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    from varna.core.models import Organisation
    from varna.followup import selectors as followup
    from varna.followup import services as followup_services
    from varna.plans import selectors as plans

    municipality = _scope(request, municipality_slug, *LOG_ROLES)
    plan = None
    if payload.plan:
        plan = plans.plans_of(municipality).filter(slug=payload.plan).first()
        if plan is None:
            raise ServiceRefused(["No plan has this address name."], field="plan")
    in_force = followup.loggable_activities(municipality, plan=plan).filter(key=payload.activity)
    if plan is None and len({a.version.plan_id for a in in_force}) > 1:
        raise ServiceRefused(["Several plans have an activity with this key: name the plan."], field="plan")
    activity = in_force.first()
    if activity is None:
        raise ServiceRefused(["No activity of a plan version in force has this key."], field="activity")
    unit = None
    if payload.unit:
        unit = Organisation.objects.for_municipality(municipality).filter(key=payload.unit).first()
        if unit is None:
            raise ServiceRefused(["No unit has this key."], field="unit")
    if payload.link:
        try:
            URLValidator(schemes=["http", "https"])(payload.link)
        except ValidationError:
            raise ServiceRefused(["Enter a web address (http or https)."], field="link") from None
    try:
        log = followup_services.log_create(
            actor=request.auth.user, municipality=municipality, activity=activity, organisation=unit,
            date=payload.date, description=payload.description, participants=payload.participants,
            link=payload.link)
    except followup_services.FollowupPermissionError as exc:
        raise ServiceRefused([str(exc)], field="unit", status=403) from None
    except followup_services.FollowupPersonalData as exc:
        raise ServiceRefused(exc.messages, field="description") from None
    except followup_services.FollowupError as exc:
        raise ServiceRefused([str(exc)], field=None) from None
    return Status(201, _log_out(log))


# --- situation picture -----------------------------------------------------------------------------

@v1.post("/{municipality_slug}/observations", response={201: ObservationCreated, 403: ErrorOut, 422: ErrorOut},
         url_name="observation_create")
# Complex on purpose: the API's own input checks; to go with the API's move onto the forms' services (issue 19).
def observation_create(request: ApiRequest, municipality_slug: str, payload: ObservationIn) -> Any:  # noqa: C901
    """Report one observation. Refused with nothing saved if the description holds personal data."""
    from varna.core.models import Organisation
    from varna.knowledge import selectors as knowledge
    from varna.situation import permissions as situation_permissions
    from varna.situation import services as situation
    from varna.situation.choices import COUNT_FIELDS
    from varna.situation.models import District

    municipality = _scope(request, municipality_slug)
    user = request.auth.user
    if not situation_permissions.can_report(user, municipality):
        raise HttpError(403, "Your role does not allow this.")
    vocabulary = knowledge.vocabulary_of(municipality)  # the municipality's own lists (ADR 0018)
    for kind in ("category", "milieu"):
        if not vocabulary.accepts(kind, getattr(payload, kind)):
            keys = ", ".join(e.key for e in vocabulary.active(kind))
            raise ServiceRefused([f"Choose one of {keys}."], field=kind)
    district = District.objects.filter(municipality=municipality, key=payload.district).first()
    if district is None:
        raise ServiceRefused(["No district has this key."], field="district")
    source = None
    if payload.source_organisation:
        source = Organisation.objects.for_municipality(municipality).filter(key=payload.source_organisation).first()
        if source is None:
            raise ServiceRefused(["No unit has this key."], field="source_organisation")
    names = {name for name, _g, _a in COUNT_FIELDS}
    for name in payload.counts:
        if name not in names:
            raise ServiceRefused(["Unknown count."], field=f"counts.{name}")
    values = {"date": payload.date, "district": district, "category": payload.category, "milieu": payload.milieu,
              "signs": payload.signs, "source_organisation": source, "description": payload.description,
              **payload.counts}
    try:
        # The service holds the rules of the form (dates from 2000 to today, counts 0-999, the guard).
        observation = situation.observation_create(actor=user, municipality=municipality, values=values)
    except situation.PersonalDataError as exc:
        raise ServiceRefused(exc.messages, field="description") from None
    except situation.InvalidValue as exc:
        field = f"counts.{exc.field}" if exc.field in names else exc.field
        raise ServiceRefused([str(exc)], field=field) from None
    except situation.SituationError as exc:
        raise ServiceRefused([str(exc)]) from None
    except Exception as exc:  # model validation (unknown signs, dates out of range)
        from django.core.exceptions import ValidationError

        if not isinstance(exc, ValidationError):
            raise
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        raise ServiceRefused([f"{k}: {m}" if k else m for k, ms in errors.items() for m in ms],
                             field=next(iter(errors)) or None) from None
    return Status(201, {"id": observation.pk, "term": observation.term})


@v1.get("/{municipality_slug}/observations/aggregates", response=list[AggregateTable],
        url_name="observation_aggregates")
def observation_aggregates(request: ApiRequest, municipality_slug: str,
                           filters: Query[AggregateFilters]) -> list[dict[str, Any]]:
    """The situation picture's tables, suppressed for publication: counts 1–7 hidden, others rounded to 5."""
    from varna.disclosure.suppression import PUBLISHED
    from varna.situation import permissions as situation_permissions
    from varna.situation import selectors as situation
    from varna.situation import services as situation_services

    municipality = _scope(request, municipality_slug)
    if not situation_permissions.can_view_dashboard(request.auth.user, municipality):
        raise HttpError(403, "Your role does not allow this.")
    refused = sorted(set(request.GET) & set(_REFUSED_AGGREGATE_PARAMETERS))
    if refused:
        raise HttpError(400, "Published figures are for one whole term without other filters (ask with "
                             f"term=YYYY-1 or term=YYYY-2); refused: {', '.join(refused)}.")
    terms = situation.terms_of(municipality)
    term = filters.term or (terms[-1] if terms else "")
    if term and term not in terms:
        raise HttpError(404, "No observations in that term.")
    tables = situation.published_tables(municipality=municipality, term=term, policy=PUBLISHED) if term else []
    situation_services.aggregates_read(actor=request.auth.user, municipality=municipality, term=term, via="api")
    return [{"key": t.key, "caption": str(t.caption), "row_header": t.row_header,
             "columns": [str(label) for _key, label in t.columns],
             "rows": [{"label": str(r.label), "cells": [c.display for c in r.cells], "total": r.total.display}
                      for r in t.rows],
             "column_totals": [c.display for c in t.column_totals], "grand_total": t.grand_total.display}
            for t in tables]


# --- meetings and training -------------------------------------------------------------------------

@v1.get("/{municipality_slug}/meetings", response=list[MeetingOut], url_name="meeting_list")
@paginate(Pages)
def meeting_list(request: ApiRequest, municipality_slug: str) -> Rendered:
    from varna.meetings import permissions as meeting_permissions
    from varna.meetings import selectors as meetings

    municipality = _scope(request, municipality_slug, *meeting_permissions.READ_ROLES)
    return Rendered(meetings.meetings_of(municipality).select_related("group").order_by("-starts_at", "-pk"),
                    lambda m: {"id": m.pk, "group": m.group.name, "title": m.title, "starts_at": m.starts_at,
                               "ends_at": m.ends_at, "place": m.place, "status": m.status})


@v1.get("/{municipality_slug}/actions", response=list[ActionOut], url_name="action_list")
@paginate(Pages)
def action_list(request: ApiRequest, municipality_slug: str) -> Rendered:
    from varna.meetings import permissions as meeting_permissions
    from varna.meetings import selectors as meetings

    municipality = _scope(request, municipality_slug, *meeting_permissions.READ_ROLES)
    return Rendered(meetings.actions_of(municipality).select_related("owner").order_by("due_date", "pk"),
                    lambda a: {"id": a.pk, "meeting": a.meeting_id, "title": a.title, "owner": str(a.owner),
                               "due_date": a.due_date, "status": a.status})


@v1.get("/{municipality_slug}/training-events", response=list[TrainingEventOut], url_name="training_event_list")
@paginate(Pages)
def training_event_list(request: ApiRequest, municipality_slug: str) -> Rendered:
    from varna.training import selectors as training

    municipality = _scope(request, municipality_slug)
    return Rendered(training.events_of(municipality).select_related("organiser").order_by("-date", "-pk"),
                    lambda e: {"id": e.pk, "title": e.title, "topic": e.topic, "audience": e.audience,
                               "organiser": e.organiser.name if e.organiser else e.organiser_text,
                               "date": e.date, "term": e.term})


# --- public ----------------------------------------------------------------------------------------

@v1.get("/{municipality_slug}/contacts", response=list[ContactOut], auth=None, url_name="contact_list")
@paginate(Pages)
def contact_list(request: ApiRequest, municipality_slug: str) -> list[dict[str, Any]]:
    """Where to turn: the municipality's guide directory, by key, with when, how and against what each entry was
    last checked. Public, no token; who checked it is not published (only coordinators read the history)."""
    _throttle(request)
    municipality = Municipality.objects.filter(slug=municipality_slug).first()
    if municipality is None:
        raise HttpError(404, "Not found")
    return [{"key": c.key, "name": c.name, "organisation": c.organisation, "kind": c.kind, "phone": c.phone,
             "url": c.url, "opening_hours": c.opening_hours, "description": c.description,
             "national": c.is_national, "last_verified": c.last_verified_at,
             "verification_method": c.verification_method, "source": c.source, "source_date": c.source_date,
             "needs_checking": c.needs_warning}
            for c in sorted(guidance_selectors.directory_for(municipality).values(), key=lambda c: c.key)]


api.add_router("/v1/", v1)
