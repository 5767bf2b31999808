from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def guide(sollentuna: Any) -> Any:
    """Sollentuna with the demo knowledge (signs) and the national and local contact directory."""
    from varna.guidance import demo as guidance_demo
    from varna.knowledge import demo as knowledge_demo

    knowledge_demo.load(sollentuna)
    guidance_demo.load(sollentuna)
    return sollentuna
