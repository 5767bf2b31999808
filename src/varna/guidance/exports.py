"""The coordinator's contact review as cells: one definition for the page, the CSV and the XLSX file."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from varna.core.exports import Column, Table, table_of
from varna.guidance.models import Contact

REVIEW_COLUMNS: list[Column[Contact]] = [
    # Names and sources are the directory's own Swedish words.
    Column(gettext_lazy("Contact"), lambda c: c.name, lang="sv"),
    Column(pgettext_lazy("column", "Key"), lambda c: c.key),
    Column(gettext_lazy("Kept"), lambda c: _("nationally") if c.is_national else _("by the municipality")),
    Column(gettext_lazy("Phone"), lambda c: c.phone or "–"),
    Column(gettext_lazy("Last verified"), lambda c: c.last_verified_at or "–"),
    Column(gettext_lazy("Verified by"), lambda c: c.verified_by_label),
    Column(gettext_lazy("How"), lambda c: c.get_verification_method_display() or "–"),
    Column(gettext_lazy("Needs checking"), lambda c: c.is_stale),
    Column(gettext_lazy("In the guide"), lambda c: c.shown_in_guide),
    Column(gettext_lazy("Source"), lambda c: c.source or "–", lang="sv"),
    Column(gettext_lazy("Date of the source"), lambda c: c.source_date),
]


def review_table(contacts: Iterable[Contact], *, heading: list[str] | None = None) -> Table:
    return table_of(REVIEW_COLUMNS, contacts, title=_("Contacts, the ones that need checking first"),
                    heading=heading or [])
