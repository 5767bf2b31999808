"""The coordinator's contact review as cells: one definition for the page, the CSV and the XLSX file."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varna.core.exports import Column, Table, table_of
from varna.guidance.models import Contact


def _verified(contact: Contact) -> str:
    """The day last checked, then how and by whom: one cell, so the table fits a screen with its buttons."""
    if not contact.last_verified_at:
        return "–"
    details = [str(part) for part in (contact.get_verification_method_display(), contact.verified_by_label) if part]
    return "; ".join([contact.last_verified_at.isoformat(), *details])


def _name(contact: Contact) -> str:
    return f"{contact.name}\n({_('national entry')})" if contact.is_national else contact.name


def _source(contact: Contact) -> str:
    if not contact.source:
        return "–"
    return f"{contact.source} ({contact.source_date.isoformat()})" if contact.source_date else contact.source


# Six columns, not eleven: the page must show every row's buttons at 1280 px without breaking words
# letter by letter (issue #21); the file holds the same cells (ADR 0010).
REVIEW_COLUMNS: list[Column[Contact]] = [
    # The name, and for an entry of the national list a second line saying so (the row's buttons then say who
    # maintains it); no column of its own, so the table fits.
    Column(gettext_lazy("Contact"), _name),
    Column(gettext_lazy("Phone"), lambda c: c.phone or "–"),
    Column(gettext_lazy("Last verified"), _verified),
    Column(gettext_lazy("Needs checking"), lambda c: c.is_stale),
    Column(gettext_lazy("In the guide"), lambda c: c.shown_in_guide),
    # Sources are the directory's own Swedish words.
    Column(gettext_lazy("Source"), _source, lang="sv"),
]


def review_table(contacts: Iterable[Contact], *, heading: list[str] | None = None) -> Table:
    return table_of(REVIEW_COLUMNS, contacts, title=_("Contacts, the ones that need checking first"),
                    heading=heading or [])
