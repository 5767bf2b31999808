"""Sollentuna's knowledge content as demo data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from varna.core import safe_yaml
from varna.core.actors import SYSTEM
from varna.core.models import Municipality
from varna.knowledge import services

DEMO_FILE = Path(__file__).resolve().parent / "data" / "sollentuna.yaml"


def load(municipality: Municipality, *, actor: Any = SYSTEM) -> str:
    """Load the demo content; rows that already exist are left as they are (idempotent)."""
    data = safe_yaml.load_path(DEMO_FILE)
    counts = services.content_load(actor=actor, municipality=municipality, data=data)
    if not any(counts.values()):
        return "knowledge already loaded"
    return "knowledge loaded: " + ", ".join(f"{n} {name}" for name, n in counts.items())
