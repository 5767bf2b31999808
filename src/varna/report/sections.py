"""Sections other modules add to the annual report, without the report importing them.

Each app offers functions ``(municipality, year) -> ReportSection | None`` through its AppConfig's
``report_sections()`` hook (`varna.core.plugins`): the situation picture over the year, the case statistics
and the analysis's indicators, each with its figures already suppressed. Sections come in their `order`.
"""

from __future__ import annotations

from typing import Any

from varna.core.plugins import ReportSection, SectionSource, report_sections

__all__ = ["ReportSection", "SectionSource", "extra_sections"]


def extra_sections(municipality: Any, year: int) -> list[ReportSection]:
    found = [section for source in report_sections() if (section := source(municipality, year)) is not None]
    return sorted(found, key=lambda section: section.order)
