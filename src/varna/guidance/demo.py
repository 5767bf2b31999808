"""The national contact list and Sollentuna's own contacts as demo data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from varna.core import safe_yaml
from varna.core.actors import SYSTEM
from varna.core.models import Municipality
from varna.guidance import services

DATA = Path(__file__).resolve().parent / "data" / "contacts"


def _items(name: str) -> list[dict[str, Any]]:
    return safe_yaml.load_path(DATA / name)["contacts"]


def load_national(*, actor: Any = SYSTEM) -> int:
    return services.contacts_load(actor=actor, municipality=None, items=_items("national.yaml"))


def load(municipality: Municipality, *, actor: Any = SYSTEM) -> str:
    """Load the national list and, if there is one, the municipality's own file. Idempotent."""
    national = load_national(actor=actor)
    own_file = DATA / f"{municipality.slug}.yaml"
    own = services.contacts_load(actor=actor, municipality=municipality, items=_items(own_file.name)) \
        if own_file.is_file() else 0
    if not national and not own:
        return "contacts already loaded"
    return f"contacts loaded: {national} national, {own} for {municipality.name}"
