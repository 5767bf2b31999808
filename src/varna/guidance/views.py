from __future__ import annotations

import functools
from collections.abc import Callable
from html import escape
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.http import http_date
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from varna.core.decorators import role_required
from varna.core.exports import check_format, export_heading, export_links, export_response
from varna.core.models import Municipality, Role
from varna.core.ratelimit import rate_limit
from varna.guidance import catalogue, engine, exports, selectors, services, texts, wizard

# What django's never_cache sets, written directly: never_cache parses and rebuilds Cache-Control twice
# on every response, a noticeable share of the result page's time (benchmarks/guidance.py).
_NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


def _never_cached(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Like never_cache for a view whose responses carry no caching headers of their own (ADR 0004)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.headers["Cache-Control"] = _NEVER_CACHE
        response.headers["Expires"] = http_date()
        return response

    return wrapped


@_never_cached
@require_http_methods(["GET", "POST"])
# Generous (a school class may ask from one address at once); past it, the 429 page still says where to turn.
@rate_limit("guidance", limit=120, window=60, methods=["POST"], template="guidance/rate_limited.html")
def wizard_view(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """The public guide. GET shows the first question; every later screen is a POST (see wizard.py)."""
    data = catalogue.guide_data(municipality)
    state = wizard.WizardState() if request.method == "GET" else wizard.advance(request.POST, data.tiers)
    if state.step == wizard.RESULT:
        return _result(request, state, data)
    return render(request, "guidance/wizard_step.html", _step_context(data, state))


def _hidden_inputs(pairs: list[tuple[str, str]]) -> SafeString:
    """The earlier answers as hidden inputs, rendered once and used by every form on the page."""
    # Names and values were checked against the known questions, choices and sign keys; escaped all the same.
    inputs = (f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">' for name, value in pairs)
    return mark_safe("\n".join(inputs))  # noqa: S308 # nosec B308, B703


def _step_context(data: catalogue.GuideData, state: wizard.WizardState) -> dict[str, Any]:
    step = state.step
    context: dict[str, Any] = {
        "step": step, "number": wizard.STEPS.index(step) + 1, "total": len(wizard.STEPS),
        "question": texts.QUESTIONS[step], "help": texts.HELP[step],
        "hidden": state.hidden_fields(leave_out=step),
        "hidden_html": _hidden_inputs(state.hidden_fields(leave_out=step)), "missing_answer": state.missing_answer,
        "is_first": step == wizard.STEPS[0], "quick_exit_url": settings.VARNA_QUICK_EXIT_URL,
    }
    if step == "signs":
        context["tiers"] = data.by_tier
        context["selected"] = set(state.signs)
    else:
        labels = {"asker": texts.ASKERS, "age_band": texts.AGE_BANDS}.get(step)
        yes_no = {wizard.YES: _("Yes"), wizard.NO: _("No")}
        context["choices"] = [(value, (labels or yes_no)[value]) for value in wizard.CHOICES[step]]
        context["current"] = state.answers.get(step)
    return context


def _result(request: HttpRequest, state: wizard.WizardState, data: catalogue.GuideData) -> HttpResponse:
    if data.routes is None:
        # The directory lacks even the fallback contacts: say so plainly instead of failing.
        return render(request, "guidance/not_ready.html", status=503)
    answers = {name: state.answers[name] == wizard.YES for name in engine.ANSWERS if name in state.answers}
    asker, age_band = state.answers["asker"], state.answers.get("age_band", "unknown")
    route = data.routes.route(signs=state.signs, tiers=data.tiers, asker=asker, age_band=age_band, **answers)
    page = data.result_page()
    print_view = request.POST.get("view") == "print"
    # One masked CSRF token for every form on the page, as Django does within one template: the view's
    # context overrides the context processor's, so the header's language form uses it too.
    csrf_token = get_token(request)
    content = page.content(route, asker=asker, age_band=age_band, answers=answers, signs=state.signs,
                           print_view=print_view, hidden=_hidden_inputs(state.hidden_fields()),
                           csrf=_hidden_inputs([("csrfmiddlewaretoken", csrf_token)]))
    template = "guidance/wizard_result_print.html" if print_view else "guidance/wizard_result.html"
    return render(request, template, {"title": page.title, "content": content, "csrf_token": csrf_token})


def directory(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """All contacts of the guide, public, with their verified dates."""
    contacts = sorted(selectors.directory_for(municipality).values(), key=lambda c: c.name.lower())
    return render(request, "guidance/contact_directory.html", {"contacts": contacts})


@role_required(Role.COORDINATOR)
def contact_review(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    contacts = selectors.contacts_for_review(municipality)
    return render(request, "guidance/contact_review.html", {
        "table": exports.review_table(contacts), "stale_count": sum(1 for c in contacts if c.is_stale),
        **export_links(request, "guidance:contact_review_export", municipality=municipality.slug)})


@role_required(Role.COORDINATOR)
def contact_review_export(request: HttpRequest, municipality: Municipality, file_format: str) -> HttpResponse:
    """The contact review as a file, for the yearly round of checking numbers and opening hours."""
    check_format(file_format)
    contacts = selectors.contacts_for_review(municipality)
    table = exports.review_table(contacts, heading=export_heading(
        _("Contact directory – %(municipality)s") % {"municipality": municipality.name}))
    services.contacts_exported(actor=request.user, municipality=municipality, file_format=file_format,
                               rows=len(contacts))
    return export_response(table, file_format, f"kontakter-{municipality.slug}")


@require_POST
@role_required(Role.COORDINATOR)
def contact_verify(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    contact = selectors.own_contact_get(municipality, pk)
    services.contact_verify(actor=request.user, municipality=municipality, contact=contact)
    messages.success(request, _("%(name)s is marked as verified today.") % {"name": contact.name})
    return redirect("guidance:contact_review", municipality=municipality.slug)
