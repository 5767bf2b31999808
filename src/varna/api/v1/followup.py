"""The activity log: what was done, read and written through the follow-up's selectors and services."""

from typing import Any

from ninja import Query, Router, Status
from ninja.pagination import paginate

from varna.api.auth import ApiRequest
from varna.api.v1.common import Pages, Rendered, scope
from varna.api.v1.schemas import ErrorOut, LogFilters, LogIn, LogOut
from varna.core.models import Role
from varna.followup import selectors as followup
from varna.followup import services as followup_services

router = Router(tags=["v1"])

LOG_ROLES = (Role.COORDINATOR, Role.STAFF, Role.MANAGER, Role.WORKING_GROUP)


def _log_out(log: Any) -> dict[str, Any]:
    return {"id": log.pk, "plan": log.activity.version.plan.slug, "activity": log.activity_key,
            "unit": log.organisation.key if log.organisation else None,
            "date": log.date, "term": log.term, "description": log.description, "participants": log.participants,
            "link": log.link, "source": log.source}


@router.get("/{municipality_slug}/activity-log", response=list[LogOut], url_name="log_list")
@paginate(Pages)
def log_list(request: ApiRequest, municipality_slug: str, filters: Query[LogFilters]) -> Rendered:
    municipality = scope(request, municipality_slug)
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


@router.post("/{municipality_slug}/activity-log", response={201: LogOut, 403: ErrorOut, 422: ErrorOut},
             url_name="log_create")
def log_create(request: ApiRequest, municipality_slug: str, payload: LogIn) -> Any:
    """Log one occurrence of an activity of the approved plan, as the follow-up page does."""
    municipality = scope(request, municipality_slug, *LOG_ROLES)
    # The service's refusals (an unknown key, a future date, personal data, another unit) are the handlers'.
    activity, unit = followup_services.log_target(municipality=municipality, activity=payload.activity,
                                                  plan=payload.plan, unit=payload.unit)
    log = followup_services.log_create(
        actor=request.auth.user, municipality=municipality, activity=activity, organisation=unit,
        date=payload.date, description=payload.description, participants=payload.participants, link=payload.link)
    return Status(201, _log_out(log))
