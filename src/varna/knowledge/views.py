from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from varna.core.confirm import confirmation
from varna.core.decorators import role_required
from varna.core.files import file_response
from varna.core.models import Municipality, Role
from varna.knowledge import permissions, selectors, services
from varna.knowledge.forms import (
    KIND_LABELS,
    LexiconEntryForm,
    LexiconSearchForm,
    SignForm,
    VocabularyEntryForm,
    VocabularyInstallForm,
)
from varna.knowledge.models import Factor
from varna.knowledge.vocabulary import KINDS


def index(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return render(request, "knowledge/knowledge_index.html", {
        "definition": selectors.definition_of(municipality),
        "can_edit": permissions.can_edit_knowledge(request.user, municipality)})


def signs(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return render(request, "knowledge/sign_list.html", {
        "tiers": selectors.signs_by_tier(municipality), "retired": selectors.retired_entries(municipality, "sign"),
        "can_edit": permissions.can_edit_knowledge(request.user, municipality)})


def milieus(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return render(request, "knowledge/milieu_list.html", {
        "milieus": selectors.milieus_of(municipality), "retired": selectors.retired_entries(municipality, "milieu")})


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


def lexicon_image(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponseBase:
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
    form = LexiconEntryForm(request.POST or None, request.FILES or None, initial=initial, municipality=municipality,
                            current_milieu=entry.milieu if entry else None)
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


# --- the vocabulary (ADR 0018) ---------------------------------------------------------------------------
@role_required(Role.COORDINATOR)
def vocabulary(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """The municipality's categories, milieus and signs, with what each counts as nationally."""
    sections = [(kind, KIND_LABELS[kind], selectors.vocabulary_entries(municipality, kind)) for kind in KINDS]
    return render(request, "knowledge/vocabulary.html", {"sections": sections, "install": VocabularyInstallForm()})


@require_POST
@role_required(Role.COORDINATOR)
def vocabulary_install(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = VocabularyInstallForm(request.POST)
    if form.is_valid():
        try:
            counts = services.vocabulary_install(actor=request.user, municipality=municipality,
                                                 edition=form.cleaned_data["edition"])
        except services.KnowledgeError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(n)s entries were added from the template.") % {"n": sum(counts.values())})
    else:
        messages.error(request, _("Choose one of the template's editions."))
    return redirect("knowledge:vocabulary", municipality=municipality.slug)


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise Http404
    return kind


@role_required(Role.COORDINATOR)
def vocabulary_create(request: HttpRequest, municipality: Municipality, kind: str) -> HttpResponse:
    form = VocabularyEntryForm(request.POST or None, kind=_kind(kind), new=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.vocabulary_entry_create(
                actor=request.user, municipality=municipality, kind=kind, key=data["key"], label=data["label"],
                label_en=data["label_en"], national_key=data["national_key"], tier=data.get("tier", ""))
        except (services.KnowledgeError, ValidationError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("The entry was added."))
            return redirect("knowledge:vocabulary", municipality=municipality.slug)
    return render(request, "knowledge/vocabulary_form.html", {"form": form, "kind_label": KIND_LABELS[kind],
                                                              "entry": None})


@role_required(Role.COORDINATOR)
def vocabulary_edit(request: HttpRequest, municipality: Municipality, kind: str, key: str) -> HttpResponse:
    entry = selectors.vocabulary_entry_get(municipality, _kind(kind), key)
    name, name_en = ("text", "text_en") if kind == "sign" else ("name", "name_en")
    form = VocabularyEntryForm(request.POST or None, kind=kind, new=False, initial={
        "label": getattr(entry, name), "label_en": getattr(entry, name_en), "national_key": entry.national_key,
        "order": entry.order})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.vocabulary_entry_update(
                actor=request.user, municipality=municipality, entry=entry, label=data["label"],
                label_en=data["label_en"], national_key=data["national_key"], order=data["order"])
        except (services.KnowledgeError, ValidationError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("The entry was saved."))
            return redirect("knowledge:vocabulary", municipality=municipality.slug)
    return render(request, "knowledge/vocabulary_form.html", {"form": form, "kind_label": KIND_LABELS[kind],
                                                              "entry": entry, "kind": kind})


@require_POST
@role_required(Role.COORDINATOR)
def vocabulary_retire(request: HttpRequest, municipality: Municipality, kind: str, key: str) -> HttpResponse:
    entry = selectors.vocabulary_entry_get(municipality, _kind(kind), key)
    retire = request.POST.get("retire") == "1"
    services.vocabulary_entry_retire(actor=request.user, municipality=municipality, entry=entry, retired=retire)
    messages.success(request, _("The entry was retired: it can't be chosen any more, and what used it keeps it.")
                     if retire else _("The entry can be chosen again."))
    return redirect("knowledge:vocabulary", municipality=municipality.slug)
