"""The action plan: the municipality's plans, the version in force of one, and its activities."""

from typing import Any

from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from varna.api.auth import ApiRequest
from varna.api.v1.common import Pages, Rendered, scope
from varna.api.v1.schemas import ActivityOut, ErrorOut, PlanOut, PlanSummaryOut
from varna.plans import selectors as plans

router = Router(tags=["v1"])


def activity_out(activity: Any) -> dict[str, Any]:
    return {"plan": activity.version.plan.slug, "version": activity.version.number, "key": activity.key,
            "level": activity.level.key, "direction": activity.direction,
            "action": activity.action, "responsible": [o.key for o in activity.responsible.all()],
            "responsible_text": activity.responsible_text, "cadence_kind": activity.cadence_kind,
            "cadence_count": activity.cadence_count, "when_text": activity.when_text}


@router.get("/{municipality_slug}/plans", response=list[PlanSummaryOut], url_name="plan_list")
@paginate(Pages)
def plan_list(request: ApiRequest, municipality_slug: str) -> Rendered:
    """The municipality's plans by title, each with its approved version number (null if none yet)."""
    municipality = scope(request, municipality_slug)

    def render(plan: Any) -> dict[str, Any]:
        current = plans.current_version(plan)
        span = current.span if current else None
        return {"slug": plan.slug, "title": plan.title, "approved_version": current.number if current else None,
                "in_force_from": span.start if span else None, "in_force_to": span.end if span else None}

    return Rendered(plans.plans_of(municipality).order_by("title", "pk"), render)


@router.get("/{municipality_slug}/plans/{plan_slug}", response={200: PlanOut, 404: ErrorOut},
            url_name="plan_detail")
def plan_detail(request: ApiRequest, municipality_slug: str, plan_slug: str) -> Any:
    """The approved version of the plan, with its levels and activities."""
    municipality = scope(request, municipality_slug)
    plan = plans.plan_get(municipality, plan_slug)  # an unknown plan is the handlers' 404
    version = plans.current_version(plan)
    if version is None:
        raise HttpError(404, "The plan has no approved version.")
    levels = [{"key": level.key, "name": level.name, "introduction": level.introduction,
               "activities": [activity_out(a) for a in level.activities.all()]}
              for level in plans.levels_with_activities(version)]
    span = version.span
    return {"slug": plan.slug, "title": plan.title, "version": version.number, "valid_from": version.valid_from,
            "valid_to": version.valid_to, "in_force_from": span.start if span else None,
            "in_force_to": span.end if span else None, "approved_at": version.approved_at,
            "decision": {"body_kind": version.decision_body_kind, "body": version.decision_body,
                         "date": version.decision_date, "paragraph": version.decision_paragraph,
                         "registry_number": version.registry_number},
            "decision_reference": version.decision_text, "levels": levels}


@router.get("/{municipality_slug}/activities", response=list[ActivityOut], url_name="activity_list")
@paginate(Pages)
def activity_list(request: ApiRequest, municipality_slug: str,
                  level: str | None = Query(default=None, max_length=60),
                  plan: str | None = Query(default=None, max_length=80)) -> Rendered:
    """Activities of each plan's version in force today (`plan`: one plan, by its address name)."""
    municipality = scope(request, municipality_slug)
    activities = plans.approved_activities_of(municipality).select_related("level").prefetch_related("responsible")
    if plan:
        activities = activities.filter(version__plan__slug=plan)
    if level:
        activities = activities.filter(level__key=level)
    return Rendered(activities.order_by("version__plan__title", "version__plan_id", "level__order", "order", "pk"),
                    activity_out)
