"""Reads for media monitoring, scoped to one municipality."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from varna.core.models import Municipality
from varna.core.selectors import scoped
from varna.knowledge import selectors as knowledge
from varna.monitoring.models import FeedItem, FeedSource, ItemTag, KeywordList

RELEVANT = "relevant"
ALL = "all"


def sources_of(municipality: Municipality) -> QuerySet[FeedSource]:
    return scoped(FeedSource.objects.all(), municipality).annotate(item_count=Count("items")).order_by("name", "id")


def source_get(municipality: Municipality, pk: int) -> FeedSource:
    source = sources_of(municipality).filter(pk=pk).first()
    if source is None:
        raise Http404
    return source


def items_of(municipality: Municipality) -> QuerySet[FeedItem]:
    """Items of the municipality's feeds, newest first (by the date the source gave, else when fetched)."""
    return (scoped(FeedItem.objects.all(), municipality, path="source__municipality")
            .select_related("source", "observation", "observation__district")
            .prefetch_related("tags")
            .annotate(shown_at=Coalesce("published_at", "fetched_at"),
                      has_tags=Exists(ItemTag.objects.filter(item=OuterRef("pk"))))
            .order_by("-shown_at", "-id"))


def item_get(municipality: Municipality, pk: int) -> FeedItem:
    item = items_of(municipality).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def _relevant(queryset: QuerySet[FeedItem]) -> QuerySet[FeedItem]:
    return queryset.exclude(milieus=[])


def _with_status(queryset: QuerySet[FeedItem], status: str) -> QuerySet[FeedItem]:
    """Items whose (derived) status is `status`: dismissed, else linked, else tagged, else new."""
    if status == FeedItem.Status.DISMISSED:
        return queryset.filter(dismissed_at__isnull=False)
    open_items = queryset.filter(dismissed_at__isnull=True)
    if status == FeedItem.Status.LINKED:
        return open_items.filter(observation__isnull=False)
    unlinked = open_items.filter(observation__isnull=True)
    if status == FeedItem.Status.TAGGED:
        return unlinked.filter(Exists(ItemTag.objects.filter(item=OuterRef("pk"))))
    if status == FeedItem.Status.NEW:
        return unlinked.filter(~Exists(ItemTag.objects.filter(item=OuterRef("pk"))))
    return queryset


@dataclass(frozen=True)
class ItemFilters:
    relevance: str = RELEVANT
    milieu: str = ""
    source: FeedSource | None = None
    status: str = ""
    tag: str = ""

    def apply(self, queryset: QuerySet[FeedItem]) -> QuerySet[FeedItem]:
        if self.relevance != ALL:
            queryset = _relevant(queryset)
        if self.milieu:
            # The milieus are a JSON list of keys: match the quoted key (works on SQLite and PostgreSQL alike).
            queryset = queryset.filter(milieus__icontains=f'"{self.milieu}"')
        if self.source is not None:
            queryset = queryset.filter(source=self.source)
        if self.status:
            queryset = _with_status(queryset, self.status)
        if self.tag:
            queryset = queryset.filter(Exists(ItemTag.objects.filter(item=OuterRef("pk"), name=self.tag.lower())))
        return queryset

    def describe(self, municipality: Municipality) -> list[str]:
        """The filters in words, for the lines above an exported table."""
        parts = [_("Relevant items") if self.relevance != ALL else _("All items")]
        if self.milieu:
            label = knowledge.vocabulary_of(municipality).label("milieu", self.milieu)
            parts.append(_("milieu: %(value)s") % {"value": label})
        if self.source is not None:
            parts.append(_("feed: %(value)s") % {"value": self.source.name})
        if self.status:
            parts.append(_("status: %(value)s") % {"value": FeedItem.Status(self.status).label})
        if self.tag:
            parts.append(_("tag: %(value)s") % {"value": self.tag})
        return parts

    def as_dict(self) -> dict[str, str]:
        return {"relevance": self.relevance, "milieu": self.milieu,
                "source": str(self.source.pk) if self.source else "", "status": self.status, "tag": self.tag}


def keyword_texts(municipality: Municipality) -> dict[str, str]:
    """Each milieu's keyword list as the text the coordinator edits (empty for a milieu without one)."""
    saved = dict(KeywordList.objects.for_municipality(municipality).values_list("milieu", "keywords"))
    return {e.key: saved.get(e.key, "") for e in knowledge.vocabulary_of(municipality).active("milieu")}


def relevant_count(municipality: Municipality) -> int:
    return _relevant(scoped(FeedItem.objects.all(), municipality, path="source__municipality")).count()


def new_relevant_items(municipality: Municipality) -> QuerySet[FeedItem]:
    """Relevant items nobody has handled yet: not tagged, not linked, not dismissed."""
    items = scoped(FeedItem.objects.all(), municipality, path="source__municipality")
    return _with_status(_relevant(items), FeedItem.Status.NEW)


def digest_items(municipality: Municipality, *, since: dt.datetime, until: dt.datetime) -> QuerySet[FeedItem]:
    """Relevant, not dismissed items fetched in [since, until), newest first: what a meeting should hear about."""
    items = scoped(FeedItem.objects.all(), municipality, path="source__municipality").filter(
        fetched_at__gte=since, fetched_at__lt=until, dismissed_at__isnull=True)
    return (_relevant(items).select_related("source")
            .annotate(shown_at=Coalesce("published_at", "fetched_at")).order_by("-shown_at", "-id"))


def tags_in_use(municipality: Municipality) -> list[str]:
    return list(ItemTag.objects.filter(item__source__municipality=municipality).values_list("name", flat=True)
                .distinct().order_by("name")[:200])


def observation_label(observation: Any, vocabulary: Any = None) -> str:
    """How an observation is named on a monitoring page: date, category and district, never its free text."""
    vocabulary = vocabulary or knowledge.vocabulary_of(observation.municipality)
    category = vocabulary.label("category", observation.category)
    return f"{observation.date.isoformat()} {category}, {observation.district}"


def recent_observations(municipality: Municipality, *, limit: int = 50) -> list[tuple[int, str]]:
    """The municipality's latest observations to link an item to, as (pk, label), through the situation selectors."""
    from varna.situation import selectors as situation_selectors

    vocabulary = knowledge.vocabulary_of(municipality)
    return [(o.pk, observation_label(o, vocabulary))
            for o in situation_selectors.observations_of(municipality)[:limit]]


def observation_get(municipality: Municipality, pk: int) -> Any:
    """An observation of this municipality (another municipality's is a 404, like any unknown one)."""
    from varna.situation import selectors as situation_selectors

    return situation_selectors.observation_get(municipality, pk)
