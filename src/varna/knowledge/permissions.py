from typing import Any

from varna.core.models import Municipality, Role
from varna.core.permissions import has_role


def can_edit_knowledge(user: Any, municipality: Municipality) -> bool:
    """The coordinator keeps the signs and the lexicon up to date."""
    return has_role(user, municipality, Role.COORDINATOR)
