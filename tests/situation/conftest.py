"""Districts, observations and the synthetic demo for the situation-picture tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def districts(sollentuna: Any) -> dict[str, Any]:
    from varna.situation import demo

    return {d.key: d for d in demo.load_districts(sollentuna)}


@pytest.fixture
def make_observation(districts: dict[str, Any]) -> Callable[..., Any]:
    from varna.core.actors import SYSTEM
    from varna.situation import services

    def make(actor: Any = SYSTEM, *, district: str = "tureberg", date: dt.date = dt.date(2025, 3, 10),
             category: str = "propaganda", milieu: str = "white-power", description: str = "",
             **counts: int) -> Any:
        values = {"date": date, "district": districts[district], "category": category, "milieu": milieu,
                  "signs": [], "source_organisation": None, "description": description}
        from varna.situation.choices import COUNT_FIELDS

        values.update({name: counts.get(name, 0) for name, _g, _a in COUNT_FIELDS})
        return services.observation_create(actor=actor, municipality=districts[district].municipality,
                                           values=values)

    return make


@pytest.fixture
def demo_situation(sollentuna: Any) -> Any:
    """Organisations and the synthetic observations of the demo, generated with the fixed seed."""
    from varna.core import demo as core_demo
    from varna.situation import demo

    core_demo.load_municipality()
    demo.load(sollentuna)
    return sollentuna
