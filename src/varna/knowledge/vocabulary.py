"""The vocabulary as plain values: the national template that ships with Värna, and one municipality's
lists as the situation picture, cases, monitoring and the API read them (ADR 0018).

An entry is active or retired. A retired entry can't be chosen for anything new, but whatever already
uses its key still shows its label and is still counted under it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import get_language

from varna.core import safe_yaml

TEMPLATE_FILE = Path(__file__).resolve().parent / "data" / "vocabulary.yaml"
KINDS = ("category", "milieu", "sign")


@dataclass(frozen=True)
class Entry:
    key: str
    label: str
    retired: bool = False
    national_key: str = ""
    tier: str = ""


@dataclass(frozen=True)
class Vocabulary:
    """One municipality's categories, milieus and signs, in their order, retired ones included."""

    categories: tuple[Entry, ...]
    milieus: tuple[Entry, ...]
    signs: tuple[Entry, ...]

    def of(self, kind: str) -> tuple[Entry, ...]:
        return {"category": self.categories, "milieu": self.milieus, "sign": self.signs}[kind]

    def active(self, kind: str) -> list[Entry]:
        return [e for e in self.of(kind) if not e.retired]

    def choices(self, kind: str, *, keep: Iterable[str | None] = ()) -> list[tuple[str, str]]:
        """What may be chosen: the active entries, plus retired ones in `keep` (an edited record's own)."""
        keep = set(keep)
        return [(e.key, e.label) for e in self.of(kind) if not e.retired or e.key in keep]

    def accepts(self, kind: str, key: str) -> bool:
        return any(e.key == key for e in self.active(kind))

    def knows(self, kind: str, key: str) -> bool:
        return any(e.key == key for e in self.of(kind))

    def label(self, kind: str, key: str) -> str:
        """The label of a key, retired or not; an unknown key is shown as it is."""
        return next((e.label for e in self.of(kind) if e.key == key), key)

    def national_key(self, kind: str, key: str) -> str:
        return next((e.national_key for e in self.of(kind) if e.key == key), "") or ""


# --- the national template --------------------------------------------------------------------------------
@functools.cache
def _template() -> dict[str, Any]:
    return safe_yaml.load_path(TEMPLATE_FILE)


def editions() -> list[tuple[str, str]]:
    english = get_language() == "en"
    return [(key, item["name_en"] if english else item["name"]) for key, item in _template()["editions"].items()]


def template_items(kind: str, edition: str | None = None) -> list[dict[str, Any]]:
    """The template's entries of one kind (``category``/``milieu``/``sign``), of one edition if given."""
    items = _template()["categories" if kind == "category" else f"{kind}s"]
    return [item for item in items if edition is None or edition in item.get("editions", [edition])]


def national_keys(kind: str) -> list[str]:
    return [item["key"] for item in template_items(kind)]


def national_label(kind: str, key: str) -> str:
    english = get_language() == "en"
    name, name_en = ("text", "text_en") if kind == "sign" else ("name", "name_en")
    for item in template_items(kind):
        if item["key"] == key:
            label: str = (item.get(name_en) if english else None) or item[name]
            return label
    return key


def national_vocabulary() -> Vocabulary:
    """The template as a vocabulary: what the national view labels and counts by."""
    def entries(kind: str) -> tuple[Entry, ...]:
        return tuple(Entry(item["key"], national_label(kind, item["key"]), national_key=item["key"],
                           tier=item.get("tier", "")) for item in template_items(kind))
    return Vocabulary(entries("category"), entries("milieu"), entries("sign"))
