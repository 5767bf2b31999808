"""Writes for the national view: only its exports, each audited."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from varna.core import audit
from varna.core.permissions import require
from varna.national.permissions import can_view_national


def overview_exported(*, actor: Any, file_format: str, filters: dict[str, str], tables: int, rows: int) -> None:
    """The national tables left as a file: the map's choices, how many tables and rows, never a figure."""
    require(can_view_national(actor), _("Only national analysts export the national view."))
    audit.record(actor=actor, action="national.overview.exported",
                 data={"format": file_format, "filters": filters, "tables": tables, "rows": rows})
