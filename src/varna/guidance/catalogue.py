"""What every page of the guide reads: the sign catalogue and the merged contact directory, per municipality.

Both change rarely and are read on every step, so they are kept in memory per process and rebuilt when
a shared version number (in the Django cache, so every process sees it) changes. Saving or deleting a
Contact, a Sign or a Municipality bumps the version through signals; code that writes them in bulk
(``bulk_create``, ``QuerySet.update``) must call ``bump_version`` itself.

Nothing about the person using the guide is kept here: only the municipality's published data.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from varna.core.models import Municipality
from varna.guidance.models import Contact
from varna.guidance.selectors import directory_for
from varna.knowledge import selectors as knowledge
from varna.knowledge.models import Sign

_VERSION_KEY = "varna:guidance:catalogue-version"
_lock = threading.Lock()
_memo: dict[int, tuple[str, GuideData]] = {}


@dataclass(frozen=True)
class GuideData:
    signs: tuple[Sign, ...]
    tiers: dict[str, str]
    by_tier: list[tuple[str, str, list[Sign]]]
    directory: dict[str, Contact]
    version: str
    # Rendered contact cards by (key, language, stale): they hold only published directory data.
    _cards: dict[tuple[str, str, bool], SafeString] = field(default_factory=dict, repr=False)

    def contact_card(self, contact: Contact) -> SafeString:
        """The contact's card as HTML (guidance/_contact.html), rendered once per language and staleness."""
        key = (contact.key, get_language() or "", contact.is_stale)
        card = self._cards.get(key)
        if card is None:
            card = self._cards[key] = render_to_string("guidance/_contact.html", {"contact": contact})
        return card


def version() -> str:
    current = cache.get(_VERSION_KEY)
    if current is None:
        cache.add(_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        current = cache.get(_VERSION_KEY)
    return str(current)


def bump_version(**_kwargs: Any) -> None:
    """Signal receiver (and plain function): the published data changed, rebuild on the next read."""
    cache.set(_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def guide_data(municipality: Municipality) -> GuideData:
    current = version()
    cached = _memo.get(municipality.pk)
    if cached is not None and cached[0] == current:
        return cached[1]
    signs = tuple(knowledge.signs_of(municipality))
    data = GuideData(
        signs=signs,
        tiers={sign.key: sign.tier for sign in signs},
        by_tier=knowledge.group_by_tier(signs),
        directory=directory_for(municipality),
        version=current,
    )
    with _lock:
        _memo[municipality.pk] = (current, data)
    return data
