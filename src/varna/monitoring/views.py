from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from varna.core.confirm import confirmation
from varna.core.decorators import permission_required
from varna.core.exports import FORMATS, Table, export_response, table_of
from varna.core.models import Municipality
from varna.knowledge import selectors as knowledge
from varna.monitoring import exports, permissions, selectors, services
from varna.monitoring.forms import ItemFilterForm, KeywordsForm, LinkForm, SourceForm, TagForm
from varna.monitoring.models import FeedItem, FeedSource

PAGE_SIZE = 50


# --- items ---------------------------------------------------------------------------------------------

def _item_table(request: HttpRequest, municipality: Municipality, *,
                whole_list: bool = False) -> tuple[ItemFilterForm, Any, Any, Table]:
    """The filter form, the filters, the page of items and its table: the list page and its export share it.
    The export takes the whole list under the same filters, every page of it (ADR 0010)."""
    form = ItemFilterForm(request.GET or None, sources=selectors.sources_of(municipality), municipality=municipality)
    filters = form.filters()
    items = filters.apply(selectors.items_of(municipality))
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    back = urlencode({"back": request.get_full_path()})
    columns = exports.item_columns(
        vocabulary=knowledge.vocabulary_of(municipality),
        show_observation=permissions.can_see_linked_observation(request.user, municipality),
        item_url=lambda item: reverse("monitoring:item_detail", args=[municipality.slug, item.pk]) + "?" + back)
    heading = [
        _("Media monitoring, %(municipality)s") % {"municipality": municipality.name},
        _("Exported %(when)s by %(who)s") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
                                            "who": request.user.get_username()},
        _("Filters: %(filters)s") % {"filters": "; ".join(filters.describe(municipality))},
    ]
    table = table_of(columns, items if whole_list else page.object_list, title=_("Monitoring items"),
                     heading=heading)
    return form, filters, page, table


@permission_required(permissions.can_view_monitoring)
def item_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form, filters, page, table = _item_table(request, municipality)
    query = request.GET.copy()
    tag_query = request.GET.copy()
    tag_query.pop("page", None)
    tag_query.pop("tag", None)
    sources = selectors.sources_of(municipality)
    return render(request, "monitoring/item_list.html", {
        "form": form, "page": page, "table": table, "rows": [(item, list(zip(table.headers, row, strict=True)))
                                               for item, row in zip(page.object_list, table.rows, strict=True)],
        "export_query": query.urlencode(), "tag_query": tag_query.urlencode(),
        "title_column": exports.TITLE_COLUMN, "tags_column": exports.TAGS_COLUMN,
        "status_column": exports.STATUS_COLUMN,
        "has_sources": sources.exists(), "has_items": selectors.items_of(municipality).exists(),
        "fetch_minutes": settings.VARNA_MONITORING_FETCH_MINUTES,
        "can_manage": permissions.can_manage_sources(request.user, municipality),
        "can_work": permissions.can_work_items(request.user, municipality),
        "filtered": filters != selectors.ItemFilters()})


@permission_required(permissions.can_view_monitoring)
def item_export(request: HttpRequest, municipality: Municipality, file_format: str) -> HttpResponse:
    if file_format not in FORMATS:
        raise Http404
    _form, filters, _page, table = _item_table(request, municipality, whole_list=True)
    services.items_exported(actor=request.user, municipality=municipality, file_format=file_format,
                            filters=filters.as_dict(), rows=len(table.rows))
    return export_response(table, file_format, f"monitoring-{municipality.slug}")


def _back(request: HttpRequest, municipality: Municipality) -> str:
    """Where "back to the list" goes: the list with the filters the user came from, never another site."""
    target = request.POST.get("back") or request.GET.get("back") or ""
    home = reverse("monitoring:item_list", args=[municipality.slug])
    if target.startswith(home) and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return target
    return home


def _detail(request: HttpRequest, municipality: Municipality, item: FeedItem, *, tag_form: TagForm | None = None,
            link_form: LinkForm | None = None) -> HttpResponse:
    can_work = permissions.can_work_items(request.user, municipality)
    observations = selectors.recent_observations(municipality) if can_work else []
    return render(request, "monitoring/item_detail.html", {
        "item": item, "back": _back(request, municipality), "can_work": can_work,
        "show_observation": permissions.can_see_linked_observation(request.user, municipality),
        "observation_label": selectors.observation_label(item.observation) if item.observation_id else "",
        "tag_form": tag_form or TagForm(), "link_form": link_form or LinkForm(observations=observations),
        "has_observations": bool(observations)})


@permission_required(permissions.can_view_monitoring)
def item_detail(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    return _detail(request, municipality, selectors.item_get(municipality, pk))


def _to_item(request: HttpRequest, municipality: Municipality, item: FeedItem) -> HttpResponse:
    url = reverse("monitoring:item_detail", args=[municipality.slug, item.pk])
    return redirect(url + "?" + urlencode({"back": _back(request, municipality)}))


def _work(action: Any) -> Any:
    """Run a service on behalf of the user; a refused permission is a 403, a refused change a message."""
    try:
        return action()
    except services.MonitoringPermissionError as exc:
        raise PermissionDenied from exc


@require_POST
@permission_required(permissions.can_work_items)
def item_tag(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    item = selectors.item_get(municipality, pk)
    form = TagForm(request.POST)
    if not form.is_valid():
        return _detail(request, municipality, item, tag_form=form)
    try:
        tag = _work(lambda: services.item_tag(actor=request.user, item=item, name=form.cleaned_data["name"]))
    except services.MonitoringError as exc:
        form.add_error("name", str(exc))
        return _detail(request, municipality, item, tag_form=form)
    messages.success(request, _("Tagged “%(tag)s”.") % {"tag": tag.name})
    return _to_item(request, municipality, item)


@require_POST
@permission_required(permissions.can_work_items)
def item_untag(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    item = selectors.item_get(municipality, pk)
    name = request.POST.get("name", "")
    if _work(lambda: services.item_untag(actor=request.user, item=item, name=name)):
        messages.success(request, _("The tag “%(tag)s” was removed.") % {"tag": name})
    return _to_item(request, municipality, item)


@require_POST
@permission_required(permissions.can_work_items)
def item_link(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    item = selectors.item_get(municipality, pk)
    form = LinkForm(request.POST, observations=selectors.recent_observations(municipality))
    if not form.is_valid():
        return _detail(request, municipality, item, link_form=form)
    observation = selectors.observation_get(municipality, form.cleaned_data["observation"])
    try:
        _work(lambda: services.item_link(actor=request.user, item=item, observation=observation))
    except services.MonitoringError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The item is linked to the observation."))
    return _to_item(request, municipality, item)


@require_POST
@permission_required(permissions.can_work_items)
def item_unlink(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    item = selectors.item_get(municipality, pk)
    _work(lambda: services.item_unlink(actor=request.user, item=item))
    messages.success(request, _("The link to the observation was removed."))
    return _to_item(request, municipality, item)


@require_POST
@permission_required(permissions.can_work_items)
def item_dismiss(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    item = selectors.item_get(municipality, pk)
    _work(lambda: services.item_dismiss(actor=request.user, item=item))
    messages.success(request, _("The item is dismissed. It no longer counts as new and stays off the agenda."))
    return _to_item(request, municipality, item)


@require_POST
@permission_required(permissions.can_work_items)
def item_restore(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    item = selectors.item_get(municipality, pk)
    _work(lambda: services.item_restore(actor=request.user, item=item))
    messages.success(request, _("The item is no longer dismissed."))
    return _to_item(request, municipality, item)


# --- feeds and keywords: the coordinator ------------------------------------------------------------------

@permission_required(permissions.can_manage_sources)
def source_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return render(request, "monitoring/source_list.html", {
        "sources": selectors.sources_of(municipality), "fetch_minutes": settings.VARNA_MONITORING_FETCH_MINUTES})


def _source_form_page(request: HttpRequest, municipality: Municipality, source: FeedSource | None) -> HttpResponse:
    initial = {"name": source.name, "url": source.url, "active": source.active} if source else {"active": True}
    form = SourceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if source is None:
                source = _work(lambda: services.source_create(actor=request.user, municipality=municipality,
                                                              name=data["name"], url=data["url"],
                                                              active=data["active"]))
                messages.success(request, _("The feed “%(name)s” is added. Fetch it now to see its items.") % {
                    "name": source.name})
            else:
                _work(lambda: services.source_update(actor=request.user, source=source, name=data["name"],
                                                     url=data["url"], active=data["active"]))
                messages.success(request, _("The feed is saved."))
        except services.MonitoringError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("monitoring:source_list", municipality=municipality.slug)
    return render(request, "monitoring/source_form.html", {"form": form, "source": source})


@permission_required(permissions.can_manage_sources)
def source_create(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return _source_form_page(request, municipality, None)


@permission_required(permissions.can_manage_sources)
def source_edit(request: HttpRequest, municipality: Municipality, source_id: int) -> HttpResponse:
    return _source_form_page(request, municipality, selectors.source_get(municipality, source_id))


@require_POST
@permission_required(permissions.can_manage_sources)
def source_fetch(request: HttpRequest, municipality: Municipality, source_id: int) -> HttpResponse:
    source = selectors.source_get(municipality, source_id)
    new = _work(lambda: services.source_fetch_now(actor=request.user, source=source))
    if source.last_error:
        messages.error(request, _("“%(name)s” could not be fetched: %(problem)s") % {
            "name": source.name, "problem": source.problem})
    else:
        messages.success(request, ngettext("“%(name)s” fetched: %(n)s new item.",
                                           "“%(name)s” fetched: %(n)s new items.", new) % {
            "name": source.name, "n": new})
    return redirect("monitoring:source_list", municipality=municipality.slug)


@require_POST
@permission_required(permissions.can_manage_sources)
def source_active(request: HttpRequest, municipality: Municipality, source_id: int) -> HttpResponse:
    source = selectors.source_get(municipality, source_id)
    active = request.POST.get("active") == "1"
    _work(lambda: services.source_set_active(actor=request.user, source=source, active=active))
    if active:
        messages.success(request, _("“%(name)s” is fetched again.") % {"name": source.name})
    else:
        messages.success(request, _("“%(name)s” is no longer fetched. Its items stay.") % {"name": source.name})
    return redirect("monitoring:source_list", municipality=municipality.slug)


@permission_required(permissions.can_manage_sources)
def source_delete(request: HttpRequest, municipality: Municipality, source_id: int) -> HttpResponse:
    source = selectors.source_get(municipality, source_id)
    name = source.name
    if (page := confirmation(
            request, title=_("Remove the feed?"), what=name, button=_("Remove the feed"),
            cancel_url=reverse("monitoring:source_list", kwargs={"municipality": municipality.slug}))) is not None:
        return page
    try:
        _work(lambda: services.source_delete(actor=request.user, source=source))
    except services.MonitoringError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The feed “%(name)s” was removed.") % {"name": name})
    return redirect("monitoring:source_list", municipality=municipality.slug)


@permission_required(permissions.can_manage_sources)
def keywords(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = KeywordsForm(request.POST or None, initial=selectors.keyword_texts(municipality), municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            relevant = _work(lambda: services.keywords_save(actor=request.user, municipality=municipality,
                                                            keywords=form.cleaned_data))
        except services.MonitoringError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, ngettext(
                "The keywords are saved. %(n)s item is now relevant.",
                "The keywords are saved. %(n)s items are now relevant.", relevant) % {"n": relevant})
            return redirect("monitoring:keywords", municipality=municipality.slug)
    return render(request, "monitoring/keywords.html", {"form": form})
