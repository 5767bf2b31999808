"""The training list as cells: one definition for the page, the CSV and the XLSX file."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varna.core.exports import Column, Table, table_of
from varna.core.terms import Term
from varna.training.models import TrainingEvent
from varna.training.selectors import CoverageRow


def _event_link(event: TrainingEvent) -> str:
    return reverse("training:event_detail", kwargs={"municipality": event.municipality.slug, "pk": event.pk})


EVENT_COLUMNS: list[Column[TrainingEvent]] = [
    Column(gettext_lazy("Date"), lambda e: e.date),
    Column(gettext_lazy("Training"), lambda e: e.title, link=_event_link),
    Column(gettext_lazy("Topic"), lambda e: e.get_topic_display()),
    Column(gettext_lazy("Audience"), lambda e: e.get_audience_display()),
    # Annotated by the selector; an event with no attendance rows has none.
    Column(gettext_lazy("Participants"), lambda e: getattr(e, "participants", None) or 0),
]


def event_table(events: Iterable[TrainingEvent], *, heading: list[str] | None = None) -> Table:
    return table_of(EVENT_COLUMNS, events, title=_("Training events"), heading=heading or [])


def _in_term(code: str) -> Callable[[CoverageRow], int]:
    return lambda row: row.by_term.get(code, 0)


def coverage_columns(terms: list[Term]) -> list[Column[CoverageRow]]:
    return [
        Column(gettext_lazy("Unit"), lambda row: row.organisation.name if row.organisation else _("No organisation")),
        *[Column(term.label, _in_term(term.key)) for term in terms],
        Column(gettext_lazy("Total"), lambda row: row.total),
        Column(gettext_lazy("Staff"), lambda row: row.headcount if row.headcount is not None else "–"),
        Column(gettext_lazy("Participants per staff (%)"), lambda row: row.share if row.share is not None else "–"),
    ]


def coverage_table(rows: list[CoverageRow], terms: list[Term], *, heading: list[str] | None = None) -> Table:
    return table_of(coverage_columns(terms), rows, title=_("Participants per unit and term"), heading=heading or [])
