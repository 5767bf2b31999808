"""Plan text as readers see it: no internal activity keys.

A plan's prose may point at its own activities by their stable keys, e.g. "two meetings a term
(network-meetings, local-picture)". Keys are for the software; a reader gets the
activity's direction of work instead. Pure functions, no Django.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# A key is lowercase words joined by hyphens (plans.models.Activity.key is a slug).
_KEY = re.compile(r"(?<![\w/-])([a-z0-9]+(?:-[a-z0-9]+)+)(?![\w/-])")


def without_keys(text: str, names: Mapping[str, str]) -> str:
    """``text`` with every activity key in ``names`` replaced by the activity's name; other words untouched."""
    if not names or "-" not in text:
        return text
    return _KEY.sub(lambda match: names.get(match.group(1), match.group(1)), text)
