from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from varna.core.confirm import confirmation
from varna.core.decorators import role_required
from varna.core.files import file_response
from varna.core.models import Municipality, Role
from varna.knowledge import permissions, selectors, services
from varna.knowledge.forms import LexiconEntryForm, LexiconSearchForm, SignForm
from varna.knowledge.models import Factor


def index(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return render(request, "knowledge/knowledge_index.html", {
        "definition": selectors.definition_of(municipality),
        "can_edit": permissions.can_edit_knowledge(request.user, municipality)})


def signs(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return render(request, "knowledge/sign_list.html", {
        "tiers": selectors.signs_by_tier(municipality),
        "can_edit": permissions.can_edit_knowledge(request.user, municipality)})


def milieus(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return render(request, "knowledge/milieu_list.html", {"milieus": selectors.milieus_of(municipality)})


def paths_and_factors(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return render(request, "knowledge/path_list.html", {
        "paths": selectors.paths_of(municipality),
        "push_factors": selectors.factors_of(municipality, Factor.Kind.PUSH),
        "pull_factors": selectors.factors_of(municipality, Factor.Kind.PULL)})


def laws(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return render(request, "knowledge/law_list.html", {"laws": selectors.laws_of(municipality)})


def lexicon(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = LexiconSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    return render(request, "knowledge/lexicon_list.html", {
        "form": form, "query": query, "entries": selectors.lexicon_of(municipality, query=query),
        "can_edit": permissions.can_edit_knowledge(request.user, municipality)})


def lexicon_image(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    """The image of a lexicon entry: public, like the lexicon page that shows it; of this municipality only."""
    entry = selectors.lexicon_entry_get(municipality, pk)
    if not entry.image or not entry.image_type:
        raise Http404
    # The type was decided from the content at upload; nosniff keeps browsers to it.
    extension = entry.image_type.rsplit("/", 1)[-1].replace("jpeg", "jpg")
    return file_response(entry.image, filename=f"{slugify(entry.name) or 'lexicon'}.{extension}",
                         content_type=entry.image_type, public=True)


@role_required(Role.COORDINATOR)
def sign_edit(request: HttpRequest, municipality: Municipality, key: str) -> HttpResponse:
    sign = selectors.sign_get(municipality, key)
    form = SignForm(request.POST or None, initial={"text": sign.text, "description": sign.description,
                                                   "text_en": sign.text_en, "description_en": sign.description_en})
    if request.method == "POST" and form.is_valid():
        services.sign_update(actor=request.user, sign=sign, **form.cleaned_data)
        messages.success(request, _("The sign was saved."))
        return redirect("knowledge:signs", municipality=municipality.slug)
    return render(request, "knowledge/sign_form.html", {"sign": sign, "form": form})


@role_required(Role.COORDINATOR)
def lexicon_edit(request: HttpRequest, municipality: Municipality, pk: int | None = None) -> HttpResponse:
    entry = selectors.lexicon_entry_get(municipality, pk) if pk is not None else None
    initial = ({"name": entry.name, "milieu": entry.milieu, "description": entry.description,
                "why_it_matters": entry.why_it_matters} if entry else {})
    form = LexiconEntryForm(request.POST or None, request.FILES or None, initial=initial, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.lexicon_entry_save(
                actor=request.user, municipality=municipality, entry=entry, name=data["name"],
                description=data["description"], why_it_matters=data["why_it_matters"], milieu=data["milieu"],
                image=data["image"] or None, remove_image=data["remove_image"])
        except services.KnowledgeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The lexicon entry was saved."))
            return redirect("knowledge:lexicon", municipality=municipality.slug)
    return render(request, "knowledge/lexicon_form.html", {"entry": entry, "form": form})


@role_required(Role.COORDINATOR)
def lexicon_delete(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    entry = selectors.lexicon_entry_get(municipality, pk)
    if (page := confirmation(
            request, title=_("Remove the lexicon entry?"), what=str(entry), button=_("Remove the entry"),
            cancel_url=reverse("knowledge:lexicon", kwargs={"municipality": municipality.slug}))) is not None:
        return page
    services.lexicon_entry_delete(actor=request.user, entry=entry)
    messages.success(request, _("The lexicon entry was removed."))
    return redirect("knowledge:lexicon", municipality=municipality.slug)
