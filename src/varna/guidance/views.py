from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from varna.core.confirm import confirmation
from varna.core.decorators import permission_required
from varna.core.exports import check_format, export_heading, export_links, export_response
from varna.core.models import Municipality
from varna.core.ratelimit import rate_limit
from varna.guidance import catalogue, engine, exports, forms, permissions, selectors, services, texts, wizard

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


def _step_url(municipality: Municipality, step: str) -> str:
    if step == wizard.RESULT:
        return reverse("guidance:result", kwargs={"municipality": municipality.slug})
    if step == wizard.STEPS[0]:
        return reverse("guidance:wizard", kwargs={"municipality": municipality.slug})
    return reverse("guidance:question", kwargs={"municipality": municipality.slug, "question": wizard.SLUGS[step]})


def _guide_path(municipality: Municipality) -> str:
    """The path the answers' cookie is limited to: the guide's own pages, no other page of Värna."""
    return reverse("guidance:wizard", kwargs={"municipality": municipality.slug})


def _state(request: HttpRequest, data: catalogue.GuideData) -> wizard.WizardState:
    return wizard.load(request.COOKIES.get(wizard.COOKIE), data.tiers)


def _forget(response: HttpResponse, municipality: Municipality) -> HttpResponse:
    response.delete_cookie(wizard.COOKIE, path=_guide_path(municipality), samesite="Lax")
    return response


def _see_other(url: str) -> HttpResponse:
    """Answer a POST with a redirect that the browser follows with a GET, so a reload never re-posts."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _not_live(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """A municipality still being set up: its own contacts and routes are not checked yet, so the guide gives
    only the national numbers, says so, and names no duty."""
    return render(request, "guidance/not_live.html", {"contacts": selectors.national_contacts_in_use(),
                                                      "quick_exit": True})


@_never_cached
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
# Generous (a school class may ask from one address at once); past it, the 429 page still says where to turn.
@rate_limit("guidance", limit=120, window=60, methods=["POST"], template="guidance/rate_limited.html")
def wizard_view(request: HttpRequest, municipality: Municipality, question: str = "") -> HttpResponse:
    """One question of the public guide: GET shows it, POST takes the answer and redirects (see wizard.py)."""
    step = wizard.STEP_BY_SLUG.get(question)
    if step is None:
        raise Http404
    if municipality.in_setup:
        return _not_live(request, municipality)
    data = catalogue.guide_data(municipality)
    state = _state(request, data)
    if request.method == "POST":
        answered = state.answer(step, request.POST, data.tiers)
        if answered is None:
            # Asked again with a message; the flag in the address says nothing about any answer.
            return _see_other(_step_url(municipality, step) + "?saknas=1")
        response = _see_other(_step_url(municipality, answered.following(step)))
        # A session cookie (gone when the browser closes) whose content the server refuses after LIFETIME.
        response.set_cookie(wizard.COOKIE, wizard.dump(answered), path=_guide_path(municipality),
                            secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax")
        return response
    gap = state.first_unanswered(before=step)
    if gap is not None:
        # An earlier question has no answer (a bookmark, an expired cookie): ask that one first.
        return redirect(_step_url(municipality, gap))
    return render(request, "guidance/wizard_step.html", _step_context(request, municipality, data, state, step))


def _step_context(request: HttpRequest, municipality: Municipality, data: catalogue.GuideData,
                  state: wizard.WizardState, step: str) -> dict[str, Any]:
    previous = state.previous(step)
    context: dict[str, Any] = {
        "step": step, "number": wizard.STEPS.index(step) + 1, "total": len(state.path()),
        "question": texts.QUESTIONS[step], "help": texts.HELP[step],
        "action": _step_url(municipality, step),
        "back_url": _step_url(municipality, previous) if previous else None,
        "missing_answer": request.GET.get("saknas") == "1",
        "emergency": data.emergency, "quick_exit": True, "minutes": wizard.LIFETIME // 60,
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


@_never_cached
@require_GET
def wizard_result(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """Where to turn, worked out from the answers in the guide's cookie; ``?utskrift=1`` is the print version."""
    if municipality.in_setup:
        return _not_live(request, municipality)
    data = catalogue.guide_data(municipality)
    state = _state(request, data)
    gap = state.first_unanswered()
    if gap is not None:
        return redirect(_step_url(municipality, gap))
    if data.routes is None:
        # The directory lacks even the fallback contacts: say so plainly instead of failing.
        return render(request, "guidance/not_ready.html", {"quick_exit": True}, status=503)
    answers = {name: state.answers[name] == wizard.YES for name in engine.ANSWERS if name in state.answers}
    asker, age_band = state.answers["asker"], state.answers.get("age_band", "unknown")
    route = data.routes.route(signs=state.signs, tiers=data.tiers, asker=asker, age_band=age_band, **answers)
    page = data.result_page()
    print_view = request.GET.get("utskrift") == "1"
    content = page.content(route, asker=asker, age_band=age_band, answers=answers, signs=state.signs,
                           print_view=print_view,
                           back=conditional_escape(_step_url(municipality, state.previous(wizard.RESULT) or "")))
    template = "guidance/wizard_result_print.html" if print_view else "guidance/wizard_result.html"
    return render(request, template, {"title": page.title, "content": content, "quick_exit": not print_view})


@require_GET
def wizard_restart(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """Start again: the answers' cookie is deleted and the first question comes back empty."""
    return _forget(redirect("guidance:wizard", municipality=municipality.slug), municipality)


@require_GET
def quick_exit(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """"Leave this page quickly": forget the guide's answers and go to a neutral site at once."""
    response = _forget(HttpResponseRedirect(settings.VARNA_QUICK_EXIT_URL), municipality)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def directory(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """All contacts of the guide, public, with when and against what they were last checked."""
    if municipality.in_setup:
        return _not_live(request, municipality)
    contacts = sorted(selectors.directory_for(municipality).values(), key=lambda c: c.name.lower())
    return render(request, "guidance/contact_directory.html", {
        "contacts": contacts, "any_stale": any(c.needs_warning for c in contacts)})


# --- the coordinator's contact directory -----------------------------------------------------------

def _review_url(municipality: Municipality | None) -> str:
    if municipality is None:
        return reverse("guidance:national_contacts")
    return reverse("guidance:contact_review", kwargs={"municipality": municipality.slug})


def _form_page(request: HttpRequest, municipality: Municipality | None, *, contact: Any = None) -> HttpResponse:
    """Create (``contact`` None) or change a contact of the municipality (None: of the national list)."""
    editing = contact is not None
    if request.method == "POST":
        form = forms.ContactForm(request.POST, editing=editing)
        if form.is_valid():
            try:
                if editing:
                    contact = services.contact_update(actor=request.user, municipality=municipality, contact=contact,
                                                      values=form.values(), verification=form.verification())
                    messages.success(request, _("%(name)s is saved.") % {"name": contact.name})
                else:
                    contact = services.contact_create(actor=request.user, municipality=municipality,
                                                      key=form.cleaned_data["key"], values=form.values(),
                                                      verification=form.verification())
                    messages.success(request, _("%(name)s is added to the directory.") % {"name": contact.name})
                return _see_other(_review_url(municipality))
            except services.ContactError as exc:
                form.add_error(None, str(exc))
    elif editing:
        # How and against what are asked afresh: the last check's source is no evidence for this one.
        form = forms.ContactForm(editing=True, initial={name: getattr(contact, name)
                                                        for name in services.EDITABLE_FIELDS})
    else:
        # "Replace with your own" starts from the national entry, so the coordinator edits rather than retypes.
        national = None
        if municipality is not None and request.GET.get("key"):
            national = selectors.national_contact_by_key(request.GET["key"])
        initial = {name: getattr(national, name) for name in services.EDITABLE_FIELDS} if national else {}
        form = forms.ContactForm(initial={**initial, "key": national.key if national else ""})
    national = selectors.national_counterpart(contact) if editing else None
    return render(request, "guidance/contact_form.html", {
        "form": form, "contact": contact, "national": national, "back_url": _review_url(municipality),
        "national_list": municipality is None})


def _verify_page(request: HttpRequest, municipality: Municipality | None, contact: Any) -> HttpResponse:
    if contact.is_retired:
        raise Http404
    form = forms.VerificationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_verify(actor=request.user, municipality=municipality, contact=contact,
                                    verification=form.verification())
        except services.ContactError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(name)s is marked as verified.") % {"name": contact.name})
            return _see_other(_review_url(municipality))
    return render(request, "guidance/contact_verify.html", {
        "form": form, "contact": contact, "national": selectors.national_counterpart(contact),
        "back_url": _review_url(municipality), "national_list": municipality is None})


def _retire_page(request: HttpRequest, municipality: Municipality | None, contact: Any) -> HttpResponse:
    if contact.is_retired:
        raise Http404
    national = selectors.national_counterpart(contact)
    if municipality is None:
        consequence = _("The contact leaves the guide of every municipality that uses the national entry. It is not "
                        "deleted: its history stays, and you can add a new contact with the same key.")
    else:
        consequence = _("The contact leaves your guide. It is not deleted: its history stays, and you can add a new "
                        "contact with the same key.")
    if national is not None:
        consequence += " " + _("Your guide will show the national entry “%(name)s” instead.") % {"name": national.name}
    ask = {"title": _("Retire %(name)s?") % {"name": contact.name},
           "what": f"{contact.name} ({contact.phone})" if contact.phone else contact.name,
           "button": _("Retire %(name)s") % {"name": contact.name}, "cancel_url": _review_url(municipality),
           "consequence": consequence}
    if (page := confirmation(request, **ask)) is not None:
        return page
    try:
        services.contact_retire(actor=request.user, municipality=municipality, contact=contact)
    except services.ContactError as exc:
        # Refused (the guide's last fallback contact): ask again, saying why, with nothing changed.
        return confirmation(request, **ask, error=str(exc)) or _see_other(_review_url(municipality))
    messages.success(request, _("%(name)s is retired and no longer shown in the guide.") % {"name": contact.name})
    return _see_other(_review_url(municipality))


def _history_page(request: HttpRequest, municipality: Municipality | None, contact: Any) -> HttpResponse:
    return render(request, "guidance/contact_history.html", {
        "contact": contact, "changes": selectors.contact_history(contact), "back_url": _review_url(municipality),
        "national_list": municipality is None})


@permission_required(permissions.can_edit_contacts)
def contact_review(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    contacts = selectors.contacts_for_review(municipality)
    return render(request, "guidance/contact_review.html", {
        "table": exports.review_table(contacts), "stale_count": len(selectors.stale_contacts(municipality)),
        "overridden": selectors.overridden_by_national(municipality),
        "retired": selectors.retired_contacts(municipality),
        "stale_days": selectors.stale_after(municipality).days,
        **export_links(request, "guidance:contact_review_export", municipality=municipality.slug)})


@permission_required(permissions.can_edit_contacts)
def contact_review_export(request: HttpRequest, municipality: Municipality, file_format: str) -> HttpResponse:
    """The contact review as a file, for the yearly round of checking numbers and opening hours."""
    check_format(file_format)
    contacts = selectors.contacts_for_review(municipality)
    table = exports.review_table(contacts, heading=export_heading(
        _("Contact directory – %(municipality)s") % {"municipality": municipality.name}))
    services.contacts_exported(actor=request.user, municipality=municipality, file_format=file_format,
                               rows=len(contacts))
    return export_response(table, file_format, f"kontakter-{municipality.slug}")


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_edit_contacts)
def contact_create(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return _form_page(request, municipality)


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_edit_contacts)
def contact_edit(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    contact = selectors.own_contact_get(municipality, pk)
    if contact.is_retired:
        raise Http404
    return _form_page(request, municipality, contact=contact)


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_edit_contacts)
def contact_verify(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    return _verify_page(request, municipality, selectors.own_contact_get(municipality, pk))


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_edit_contacts)
def contact_retire(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    return _retire_page(request, municipality, selectors.own_contact_get(municipality, pk))


@require_GET
@permission_required(permissions.can_edit_contacts)
def contact_history(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    return _history_page(request, municipality, selectors.own_contact_get(municipality, pk))


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_edit_contacts)
def directory_settings(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    current = selectors.directory_settings_of(municipality)
    form = forms.DirectorySettingsForm(request.POST if request.method == "POST" else None,
                                       initial={"stale_after_days": current.stale_after_days})
    if request.method == "POST" and form.is_valid():
        try:
            services.directory_settings_update(actor=request.user, municipality=municipality,
                                               stale_after_days=form.cleaned_data["stale_after_days"])
        except services.ContactError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The directory's settings are saved."))
            return _see_other(_review_url(municipality))
    return render(request, "guidance/directory_settings.html", {"form": form, "back_url": _review_url(municipality)})


# --- the national list, kept by the platform administrator ---------------------------------------

# Anonymous → login; anyone else without the national permission → 403.
platform_administrator_required = permission_required(permissions.can_edit_national_contacts, members_only=False)


@require_GET
@platform_administrator_required
def national_contacts(request: HttpRequest) -> HttpResponse:
    contacts = selectors.national_contacts()
    return render(request, "guidance/national_contacts.html", {
        "table": exports.review_table([c for c in contacts if not c.is_retired]),
        "retired": [c for c in contacts if c.is_retired], "stale_days": selectors.stale_after(None).days})


@require_http_methods(["GET", "POST"])
@platform_administrator_required
def national_contact_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@require_http_methods(["GET", "POST"])
@platform_administrator_required
def national_contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.national_contact_get(pk)
    if contact.is_retired:
        raise Http404
    return _form_page(request, None, contact=contact)


@require_http_methods(["GET", "POST"])
@platform_administrator_required
def national_contact_verify(request: HttpRequest, pk: int) -> HttpResponse:
    return _verify_page(request, None, selectors.national_contact_get(pk))


@require_http_methods(["GET", "POST"])
@platform_administrator_required
def national_contact_retire(request: HttpRequest, pk: int) -> HttpResponse:
    return _retire_page(request, None, selectors.national_contact_get(pk))


@require_GET
@platform_administrator_required
def national_contact_history(request: HttpRequest, pk: int) -> HttpResponse:
    return _history_page(request, None, selectors.national_contact_get(pk))
