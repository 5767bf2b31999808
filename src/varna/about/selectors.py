"""Reads for the pages about the service."""

from __future__ import annotations

from varna.about.models import ServiceStatement
from varna.core.models import Municipality


def statement_for(municipality: Municipality) -> ServiceStatement:
    """The municipality's statement, or an unsaved one with the defaults if it has not written one yet."""
    return ServiceStatement.objects.filter(municipality=municipality).first() or ServiceStatement(
        municipality=municipality)
