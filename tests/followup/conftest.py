import datetime as dt
from typing import Any

import pytest

# The demo and the figures below are computed for this day: late in the autumn term of 2026.
TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def demo_followup(demo_plan: Any, sollentuna: Any) -> Any:
    from varna.followup import demo

    demo.load(sollentuna, today=TODAY)
    return demo_plan
