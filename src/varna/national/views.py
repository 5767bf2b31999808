"""The national analyst's page: suppressed figures across municipalities, nothing about a person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from varna.core import rendercache
from varna.core.decorators import permission_required
from varna.core.exports import Table, check_format, export_heading, export_links, export_tables_response
from varna.disclosure.notes import protection_note
from varna.disclosure.suppression import PUBLISHED
from varna.national import exports, maps, selectors, services
from varna.national.forms import MapForm
from varna.national.permissions import can_view_national


def refresh_seconds() -> int:
    return int(getattr(settings, "VARNA_NATIONAL_REFRESH_SECONDS", 300))


def _snapshot(name: str, stamp: object, compute: Callable[[], Any]) -> tuple[dt.datetime, Any]:
    """When the snapshot of `compute()` under `stamp` (with the language and code revision, as every rendering)
    was taken, and the snapshot itself, read only when used: a materialised summary recomputed at most once per
    `VARNA_NATIONAL_REFRESH_SECONDS`, instead of summing every municipality's rollup on every request (most of
    a second at 290). A page whose rendering is cached for that moment never reads the figures at all."""
    moment_key = rendercache.key(name, stamp)
    taken_at = cache.get(moment_key)
    if taken_at is None:
        taken_at = timezone.now()
        value = compute()
        cache.set(moment_key, taken_at, refresh_seconds())
        cache.set(f"{moment_key}:{taken_at.isoformat()}", value, refresh_seconds() + 60)
        return taken_at, value

    def stored() -> Any:
        value = cache.get(f"{moment_key}:{taken_at.isoformat()}")
        return compute() if value is None else value  # evicted early: the figures of now, never older ones

    return taken_at, SimpleLazyObject(stored)


def _figures(request: HttpRequest) -> dict[str, Any]:
    """The map's choices, the selectors' figures and the same as display tables: the page and both exports
    go through here, so a file holds the tables the page shows for the same choices.

    Which municipalities take part is read on every request and is part of every key, so a municipality that
    stops sharing leaves the page at once; their figures are a snapshot at most `refresh_seconds()` old, and the
    page says when it was taken."""
    taking_part = selectors.participating_keys()
    _at, available = _snapshot("national.terms", taking_part, selectors.terms_available)
    available = list(available)
    form = MapForm(request.GET or None, terms=available, default_term=selectors.default_term(available))
    valid = form.is_valid()
    measure, term = form.chosen()
    today = timezone.localdate()
    stamp = (taking_part, measure, term, today.isoformat())
    computed_at, figures = _snapshot("national.figures", stamp,
                                     lambda: _compute(measure, term, today))
    filters = {"measure": measure, "term": term}
    raw = tuple(request.GET.get(name, "") for name in form.fields)
    return {"form": form, "taking_part": taking_part, "figures": figures, "computed_at": computed_at,
            "render_stamp": (stamp, computed_at.isoformat()),
            # The form renders the same for the same choices and values, unless it shows an error.
            "form_stamp": (tuple(available), raw, bool(request.GET)) if valid or not form.is_bound else None,
            "filters": {k: v for k, v in filters.items() if v}, "protection_note": protection_note(PUBLISHED)}


def _compute(measure: str, term: str, today: dt.date) -> dict[str, Any]:
    municipalities = selectors.participating()
    situation = selectors.situation_tables(term, municipalities)
    coverage = selectors.plan_coverage(today=today, municipalities=municipalities)
    training = selectors.training_table(term, municipalities)
    national_map = _map(measure, municipalities, situation, coverage, training)
    return {"coverage": coverage, "situation": situation, "training": training, "map": national_map,
            "export_tables": exports.overview_tables(national_map=national_map, coverage=coverage,
                                                     situation=situation, training=training)}


@permission_required(can_view_national, members_only=False)
def overview(request: HttpRequest) -> HttpResponse:
    context = _figures(request)
    figures = context["figures"]

    def tables() -> dict[str, Any]:  # read only when the page's cached fragment has to be rendered
        export_tables: list[Table] = figures["export_tables"]
        situation_count = len(figures["situation"])
        return {"map": figures["map"], "coverage": figures["coverage"], "training": figures["training"],
                "tables": list(figures["situation"].items()), "map_panels": maps.draw(figures["map"]),
                "map_table": export_tables[0], "plans_table": export_tables[1],
                "situation_tables": export_tables[2:2 + situation_count],
                "training_table": export_tables[-1] if figures["training"] is not None else None}

    return render(request, "national/overview.html", {
        **context, "page": SimpleLazyObject(tables), **export_links(request, "national:overview_export")})


@permission_required(can_view_national, members_only=False)
def overview_export(request: HttpRequest, file_format: str) -> HttpResponse:
    """Every table of the national view for the page's choices, suppressed as on the page: one CSV, or one
    XLSX sheet per table."""
    check_format(file_format)
    context = _figures(request)
    figures = context["figures"]
    tables: list[Table] = figures["export_tables"]
    heading = [*export_heading(_("National view"), filters=context["filters"]), protection_note(PUBLISHED)]
    response = export_tables_response(tables, file_format, "nationell-oversikt", heading)
    services.overview_exported(actor=request.user, file_format=file_format, filters=context["filters"],
                               tables=len(tables), rows=sum(len(t.rows) for t in tables))
    return response


def _map(measure: str, municipalities: list, situation: dict, coverage: list,
         training: selectors.NationalTable | None) -> maps.NationalMap:
    """The chosen measure as map rows, from the very cells the tables below show."""
    if measure == "plans":
        return maps.plan_map(coverage)
    if measure == "training":
        cells = [row.total for row in training.rows] if training else []
        return maps.count_map("training", _("People reached by training"), _("People"),
                              municipalities if training else [], cells)
    table = situation.get("municipality")
    cells = [row.total for row in table.rows] if table else []
    return maps.count_map("observations", _("People involved in observations"), _("People"),
                          municipalities if table else [], cells)
