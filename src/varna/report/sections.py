"""Sections other modules add to the annual report, without the report importing them.

``settings.VARNA_REPORT_SECTIONS`` names functions ``(municipality, year) -> ReportSection | None``. The
situation picture is the intended first user ("the situation picture over the year, suppressed"): when it
lands it adds e.g. ``varna.situation.report.year_section`` and returns its already suppressed figures.
A section is plain data (paragraphs, an optional table and an optional SVG chart made from the same
suppressed table) so that the page, the PDF and the Word file render it alike (the Word file has no chart).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class ReportSection:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    chart: str = ""  # a safe SVG string drawn from the suppressed table, or ""


SectionSource = Callable[[Any, int], ReportSection | None]


def extra_sections(municipality: Any, year: int) -> list[ReportSection]:
    found = []
    for path in getattr(settings, "VARNA_REPORT_SECTIONS", []):
        section = import_string(path)(municipality, year)
        if section is not None:
            found.append(section)
    return found
