"""The item list as a table: the columns the page shows and its CSV and XLSX files hold."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varna.core.exports import Column
from varna.monitoring import feeds, selectors
from varna.monitoring.models import FeedItem

TITLE_COLUMN = 1
TAGS_COLUMN = 4
STATUS_COLUMN = 6


def _observation(show: bool, vocabulary: Any) -> Callable[[FeedItem], str]:
    def value(item: FeedItem) -> str:
        if item.observation_id is None:
            return ""
        # Roles that may not list single observations see that there is a link, not which observation.
        return selectors.observation_label(item.observation, vocabulary) if show else _("Linked")

    return value


def item_columns(*, show_observation: bool, item_url: Callable[[FeedItem], str],
                 vocabulary: Any) -> list[Column[FeedItem]]:
    return [
        Column(gettext_lazy("Published"), lambda item: timezone.localtime(item.shown_at).date()),
        Column(gettext_lazy("Title"), lambda item: item.title, link=lambda item: feeds.safe_link(item.link)),
        Column(gettext_lazy("Feed"), lambda item: item.source.name),
        Column(gettext_lazy("Milieus"), lambda item: ", ".join(item.milieu_labels(vocabulary))),
        Column(gettext_lazy("Tags"), lambda item: ", ".join(item.tag_names)),
        Column(gettext_lazy("Observation"), _observation(show_observation, vocabulary)),
        Column(gettext_lazy("Status"), lambda item: item.get_status_display(), link=item_url),
    ]
