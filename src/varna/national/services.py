"""Writes for the national view: only its exports, each audited."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from varna.core import audit
from varna.core.permissions import is_national_analyst, require


def overview_exported(*, actor: Any, file_format: str, filters: dict[str, str], tables: int, rows: int) -> None:
    """The national tables left as a file: the map's choices, how many tables and rows, never a figure."""
    require(is_national_analyst(actor), _("Only national analysts export the national view."))
    audit.record(actor=actor, action="national.overview.exported",
                 data={"format": file_format, "filters": filters, "tables": tables, "rows": rows})
