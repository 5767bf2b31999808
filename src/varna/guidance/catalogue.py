"""What every page of the guide reads, per municipality: the sign catalogue, the merged contact directory, the
routes the rules give with that directory (``engine.route_table``) and the result page's pieces rendered from
them (``result_page``).

All of it changes rarely and is read on every step, so it is kept in memory per process and rebuilt when
a shared version number (in the Django cache, so every process sees it) changes. Saving or deleting a
Contact, a Sign or a Municipality bumps the version through signals; code that writes them in bulk
(``bulk_create``, ``QuerySet.update``) must call ``bump_version`` itself.

Nothing about the person using the guide is kept here: only the municipality's published data, and what
is kept does not depend on what anyone answered (ADR 0004).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from varna.core.models import Municipality
from varna.guidance import engine
from varna.guidance.models import Contact
from varna.guidance.result_page import ResultPage, build_result_page
from varna.guidance.selectors import directory_for, emergency_contact, rules_for
from varna.knowledge import selectors as knowledge
from varna.knowledge.models import Sign

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_VERSION_KEY = "varna:guidance:catalogue-version"
_lock = threading.Lock()
_memo: dict[int, tuple[str, GuideData]] = {}


@dataclass(frozen=True)
class _DayPages:
    until: float = 0.0
    by_language: dict[str, ResultPage] = field(default_factory=dict)


@dataclass
class GuideData:
    """Shared by every request of one process: nothing in it changes after it is built, except that
    ``result_page`` replaces ``_pages`` as a whole when the day or a language is new."""

    signs: tuple[Sign, ...]
    tiers: dict[str, str]
    by_tier: list[tuple[str, StrOrPromise, list[Sign]]]
    directory: dict[str, Contact]
    # The number shown as a large button on every screen of the guide (None if the directory has none).
    emergency: Contact | None
    # Every route the municipality's rules give with this directory; None if the directory cannot answer.
    routes: engine.RouteTable | None
    version: str
    municipality: Municipality
    # The routing rules the routes were worked out from (the municipality's saved ones, or the package's file).
    rules: engine.RuleSet
    # The result page's pieces by language, for one day; see guidance/result_page.py. Built for every configured
    # language at once and for every possible answer, so their presence says nothing about who used the guide.
    _pages: _DayPages = field(default_factory=_DayPages, repr=False)

    def result_page(self) -> ResultPage:
        """The result page's pieces in the active language, rebuilt each day (contacts become stale by date)."""
        language = get_language() or settings.LANGUAGE_CODE
        pages = self._pages
        # Comparing with the end of the day is cheaper than working out today's date on every request.
        if time.time() >= pages.until or language not in pages.by_language:
            now = timezone.localtime()
            midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), tzinfo=now.tzinfo)
            languages = {code for code, _name in settings.LANGUAGES} | {language}
            # Replaced as a whole, so that a request in another thread never sees half of it.
            self._pages = pages = _DayPages(until=midnight.timestamp(), by_language={
                code: self._build_page(code) for code in sorted(languages)})
        return pages.by_language[language]

    def _build_page(self, language: str) -> ResultPage:
        return build_result_page(municipality=self.municipality, rules=self.rules, signs=self.signs,
                                 directory=self.directory, language=language)


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
    directory = directory_for(municipality)
    rules = rules_for(municipality)
    try:
        routes = engine.route_table(rules, directory)
    except engine.GuidanceInputError:
        routes = None
    data = GuideData(
        signs=signs,
        tiers={sign.key: sign.tier for sign in signs},
        by_tier=knowledge.group_by_tier(signs),
        directory=directory,
        emergency=emergency_contact(directory),
        routes=routes,
        version=current,
        municipality=municipality,
        rules=rules,
    )
    with _lock:
        _memo[municipality.pk] = (current, data)
    return data
