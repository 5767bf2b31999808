"""What can fulfil a plan activity: the (source, detail) pairs other modules offer.

A plan says, per activity, which of these count as an occurrence of it (`fulfilled_by` in the YAML, the
`Fulfilment` rows). The modules that write follow-up logs on their own (meetings, training, implementation)
offer their pairs through `fulfilment_sources()` on their AppConfig, so that plans depends on none of them and
a plan can only name something that really exists. See docs/adr/0012-links-are-plan-data.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from varna.core.plugins import hooks


@dataclass(frozen=True)
class FulfilmentSource:
    """One module's offer: `key` as written in the plan, a label, and the details it knows with theirs."""

    key: str
    label: str | Promise
    details: dict[str, str | Promise] = field(default_factory=dict)


def sources() -> dict[str, FulfilmentSource]:
    """Every source the installed modules offer, by key."""
    found: dict[str, FulfilmentSource] = {}
    for offer in hooks("fulfilment_sources"):
        for source in offer():
            found[source.key] = source
    return found


def problem(source: str, detail: str) -> str | None:
    """Why (source, detail) can't fulfil an activity, in the user's language, or None when it can."""
    known = sources()
    if source not in known:
        return _("nothing called “%(source)s” can fulfil an activity; use one of: %(known)s") % {
            "source": source, "known": ", ".join(sorted(known))}
    if detail not in known[source].details:
        return _("“%(source)s” has no “%(detail)s”; use one of: %(known)s") % {
            "source": source, "detail": detail, "known": ", ".join(sorted(known[source].details))}
    return None


def label(source: str, detail: str) -> str:
    """“Held meeting: Working group”, for pages and the PDF; the raw keys for a pair no module offers any more."""
    offered = sources().get(source)
    if offered is None or detail not in offered.details:
        return f"{source}: {detail}"
    return f"{offered.label}: {offered.details[detail]}"


def choices() -> list[tuple[str, str]]:
    """("source:detail", label) of every pair, for a form."""
    return [(f"{s.key}:{d}", label(s.key, d)) for s in sources().values() for d in s.details]
