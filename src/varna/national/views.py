"""The national analyst's page: suppressed figures across municipalities, nothing about a person."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from varna.core.permissions import is_national_analyst
from varna.national import selectors


def overview(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_national_analyst(request.user):
        raise PermissionDenied
    headers = {"county": _("County"), "municipality": _("Municipality"), "term": _("Term"),
               "milieu": _("Milieu"), "category": _("Category")}
    tables = [(headers[key], table) for key, table in selectors.situation_tables().items()]
    return render(request, "national/overview.html", {
        "municipalities": selectors.participating(), "tables": tables,
        "coverage": selectors.plan_coverage(), "training": selectors.training_table()})
