"""Training events, for every role of the municipality."""

from ninja import Router
from ninja.pagination import paginate

from varna.api.auth import ApiRequest
from varna.api.v1.common import Pages, Rendered, scope
from varna.api.v1.schemas import TrainingEventOut
from varna.training import selectors as training

router = Router(tags=["v1"])


@router.get("/{municipality_slug}/training-events", response=list[TrainingEventOut], url_name="training_event_list")
@paginate(Pages)
def training_event_list(request: ApiRequest, municipality_slug: str) -> Rendered:
    municipality = scope(request, municipality_slug)
    return Rendered(training.events_of(municipality).select_related("organiser").order_by("-date", "-pk"),
                    lambda e: {"id": e.pk, "title": e.title, "topic": e.topic, "audience": e.audience,
                               "organiser": e.organiser.name if e.organiser else e.organiser_text,
                               "date": e.date, "term": e.term})
