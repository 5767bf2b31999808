"""The national analyst's page: suppressed figures across municipalities, nothing about a person."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from varna.core.exports import Table, check_format, export_heading, export_links, export_tables_response
from varna.core.permissions import is_national_analyst
from varna.disclosure.notes import protection_note
from varna.disclosure.suppression import PUBLISHED
from varna.national import exports, maps, selectors, services
from varna.national.forms import MapForm


def _analyst_only(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_national_analyst(request.user):
        raise PermissionDenied
    return None


def _figures(request: HttpRequest) -> dict[str, Any]:
    """The map's choices, the selectors' figures and the same as display tables: the page and both exports
    go through here, so a file holds the tables the page shows for the same choices."""
    form = MapForm(request.GET or None, terms=selectors.terms_available(), default_term=selectors.default_term())
    form.is_valid()
    measure, term = form.chosen()
    situation = selectors.situation_tables(term)
    coverage = selectors.plan_coverage()
    training = selectors.training_table(term)
    municipalities = selectors.participating()
    national_map = _map(measure, municipalities, situation, coverage, training)
    filters = {"measure": measure, "term": term}
    return {"form": form, "municipalities": municipalities, "coverage": coverage, "situation": situation,
            "training": training, "map": national_map, "filters": {k: v for k, v in filters.items() if v},
            "export_tables": exports.overview_tables(national_map=national_map, coverage=coverage,
                                                     situation=situation, training=training)}


def overview(request: HttpRequest) -> HttpResponse:
    if (refused := _analyst_only(request)) is not None:
        return refused
    figures = _figures(request)
    tables: list[Table] = figures["export_tables"]
    situation_count = len(figures["situation"])
    # The map and the tables are rendered once per set of published (suppressed) figures: the key is the
    # very cells and map rows the page shows, so any change to them is a new rendering (varna.core.rendercache).
    stamp = hashlib.sha256(repr((figures["map"], [(t.title, t.headers, t.rows) for t in tables],
                                 [m.pk for m in figures["municipalities"]])).encode()).hexdigest()
    return render(request, "national/overview.html", {
        **figures, "tables": list(figures["situation"].items()), "render_stamp": stamp,
        "map_panels": SimpleLazyObject(lambda: maps.draw(figures["map"])),  # drawn only for a new rendering
        "map_table": tables[0], "plans_table": tables[1], "situation_tables": tables[2:2 + situation_count],
        "training_table": tables[-1] if figures["training"] is not None else None,
        "protection_note": protection_note(PUBLISHED),
        **export_links(request, "national:overview_export")})


def overview_export(request: HttpRequest, file_format: str) -> HttpResponse:
    """Every table of the national view for the page's choices, suppressed as on the page: one CSV, or one
    XLSX sheet per table."""
    if (refused := _analyst_only(request)) is not None:
        return refused
    check_format(file_format)
    figures = _figures(request)
    tables: list[Table] = figures["export_tables"]
    heading = [*export_heading(_("National view"), filters=figures["filters"]), protection_note(PUBLISHED)]
    response = export_tables_response(tables, file_format, "nationell-oversikt", heading)
    services.overview_exported(actor=request.user, file_format=file_format, filters=figures["filters"],
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
