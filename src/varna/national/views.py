"""The national analyst's page: suppressed figures across municipalities, nothing about a person."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from varna.core.exports import Table, check_format, export_heading, export_tables_response
from varna.core.permissions import is_national_analyst
from varna.national import exports, selectors, services


def _analyst_only(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_national_analyst(request.user):
        raise PermissionDenied
    return None


def _figures() -> dict[str, Any]:
    """The selectors' figures and the same as display tables: the page and both exports go through here."""
    coverage, situation, training = selectors.plan_coverage(), selectors.situation_tables(), selectors.training_table()
    return {"coverage": coverage, "situation": situation, "training": training,
            "export_tables": exports.overview_tables(coverage=coverage, situation=situation, training=training)}


def overview(request: HttpRequest) -> HttpResponse:
    if (refused := _analyst_only(request)) is not None:
        return refused
    figures = _figures()
    tables: list[Table] = figures["export_tables"]
    return render(request, "national/overview.html", {
        **figures, "municipalities": selectors.participating(), "tables": list(figures["situation"].items()),
        "plans_table": tables[0], "situation_tables": tables[1:1 + len(figures["situation"])],
        "training_table": tables[-1] if figures["training"] is not None else None,
        "export_csv": reverse("national:overview_export", kwargs={"file_format": "csv"}),
        "export_xlsx": reverse("national:overview_export", kwargs={"file_format": "xlsx"})})


def overview_export(request: HttpRequest, file_format: str) -> HttpResponse:
    """Every table of the national view, suppressed as on the page: one CSV, or one XLSX sheet per table."""
    if (refused := _analyst_only(request)) is not None:
        return refused
    check_format(file_format)
    tables: list[Table] = _figures()["export_tables"]
    heading = [*export_heading(_("National view")),
               _("Counts from 1 to 7 are hidden (–) and other counts are rounded to the nearest 5, so a total "
                 "need not equal the sum of its rows.")]
    response = export_tables_response(tables, file_format, "nationell-oversikt", heading)
    services.overview_exported(actor=request.user, file_format=file_format, tables=len(tables),
                               rows=sum(len(t.rows) for t in tables))
    return response
