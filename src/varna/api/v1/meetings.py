"""Working-group meetings and the actions their decisions became, for the groups that read them."""

from ninja import Router
from ninja.pagination import paginate

from varna.api.auth import ApiRequest
from varna.api.v1.common import Pages, Rendered, scope
from varna.api.v1.schemas import ActionOut, MeetingOut
from varna.meetings import permissions as meeting_permissions
from varna.meetings import selectors as meetings

router = Router(tags=["v1"])


@router.get("/{municipality_slug}/meetings", response=list[MeetingOut], url_name="meeting_list")
@paginate(Pages)
def meeting_list(request: ApiRequest, municipality_slug: str) -> Rendered:
    municipality = scope(request, municipality_slug, *meeting_permissions.READ_ROLES)
    return Rendered(meetings.meetings_of(municipality).select_related("group").order_by("-starts_at", "-pk"),
                    lambda m: {"id": m.pk, "group": m.group.name, "title": m.title, "starts_at": m.starts_at,
                               "ends_at": m.ends_at, "place": m.place, "status": m.status})


@router.get("/{municipality_slug}/actions", response=list[ActionOut], url_name="action_list")
@paginate(Pages)
def action_list(request: ApiRequest, municipality_slug: str) -> Rendered:
    municipality = scope(request, municipality_slug, *meeting_permissions.READ_ROLES)
    return Rendered(meetings.actions_of(municipality).select_related("owner").order_by("due_date", "pk"),
                    lambda a: {"id": a.pk, "meeting": a.meeting_id, "title": a.title, "owner": str(a.owner),
                               "due_date": a.due_date, "status": a.status})
