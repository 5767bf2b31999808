"""The national analyst's page: suppressed figures across municipalities, nothing about a person."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from varna.core.permissions import is_national_analyst
from varna.national import maps, selectors
from varna.national.forms import MapForm


def overview(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_national_analyst(request.user):
        raise PermissionDenied
    form = MapForm(request.GET or None, terms=selectors.terms_available())
    form.is_valid()
    measure, terms = form.chosen()
    headers = {"county": _("County"), "municipality": _("Municipality"), "term": _("Term"),
               "milieu": _("Milieu"), "category": _("Category")}
    situation = selectors.situation_tables(terms)
    coverage = selectors.plan_coverage()
    training = selectors.training_table(terms)
    municipalities = selectors.participating()
    national_map = _map(measure, municipalities, situation, coverage, training)
    return render(request, "national/overview.html", {
        "form": form, "municipalities": municipalities, "tables": [(headers[k], t) for k, t in situation.items()],
        "coverage": coverage, "training": training, "map": national_map, "map_panels": maps.draw(national_map)})


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
