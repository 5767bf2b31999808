from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from varna.about import accessibility, privacy, selectors
from varna.core.models import Municipality


def accessibility_statement(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """Tillgänglighetsredogörelse (lag 2018:1937), in DIGG's model; public."""
    return render(request, "about/accessibility_statement.html", {
        "statement": selectors.statement_for(municipality), "standard": accessibility.STANDARD,
        "known": accessibility.KNOWN_SHORTCOMINGS})


def privacy_notice(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """How Värna processes personal data, generated from the data model (about/privacy.py); public."""
    return render(request, "about/privacy.html", {
        "statement": selectors.statement_for(municipality), "purposes": privacy.by_purpose()})
