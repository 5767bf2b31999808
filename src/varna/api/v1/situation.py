"""The situation picture: report an observation; read the published (suppressed) tables of one term."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from varna.api.auth import ApiRequest
from varna.api.v1.common import scope
from varna.api.v1.schemas import AggregateFilters, AggregateTable, ErrorOut, ObservationCreated, ObservationIn
from varna.disclosure.suppression import PUBLISHED
from varna.situation import permissions as situation_permissions
from varna.situation import selectors as situation
from varna.situation import services as situation_services

router = Router(tags=["v1"])

# Published figures come from the catalogue only (ADR 0016): a range or a filter would make a new table
# that could be subtracted from another, so these are refused rather than ignored.
_REFUSED_AGGREGATE_PARAMETERS = ("term_from", "term_to", "terms", "district", "milieu", "category")


@router.post("/{municipality_slug}/observations",
             response={201: ObservationCreated, 403: ErrorOut, 422: ErrorOut}, url_name="observation_create")
def observation_create(request: ApiRequest, municipality_slug: str, payload: ObservationIn) -> Any:
    """Report one observation. Refused with nothing saved if the description holds personal data."""
    municipality = scope(request, municipality_slug)
    user = request.auth.user
    if not situation_permissions.can_report(user, municipality):
        raise PermissionDenied(_("Your role does not allow this."))
    # The keys become the service's values, and the service holds every rule the form's path has (dates
    # from 2000 to today, counts 0-999, the vocabulary, the guard); its refusals are the handlers'.
    values = situation_services.observation_values(municipality=municipality, **payload.dict())
    observation = situation_services.observation_create(actor=user, municipality=municipality, values=values)
    return Status(201, {"id": observation.pk, "term": observation.term})


@router.get("/{municipality_slug}/observations/aggregates", response=list[AggregateTable],
            url_name="observation_aggregates")
def observation_aggregates(request: ApiRequest, municipality_slug: str,
                           filters: Query[AggregateFilters]) -> list[dict[str, Any]]:
    """The situation picture's tables, suppressed for publication: counts 1–7 hidden, others rounded to 5."""
    municipality = scope(request, municipality_slug)
    if not situation_permissions.can_view_dashboard(request.auth.user, municipality):
        raise PermissionDenied(_("Your role does not allow this."))
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
