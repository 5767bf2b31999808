"""With two plans, the agenda's items behind schedule say which plan each belongs to."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tests.plans import timeline
from tests.plans.timeline import Row
from varna.meetings.agenda import overdue_activities
from varna.meetings.models import Meeting


def test_each_overdue_item_names_its_plan_when_there_are_two(taby: Any) -> None:
    strategy = timeline.plan(taby, "strategi", "Strategi")
    crime = timeline.plan(taby, "brottsforebyggande", "Brottsförebyggande åtgärdsplan")
    start = dt.date(2020, 1, 1)
    for plan, level in ((strategy, ("prevent", "Förebygga")), (crime, ("measures", "Åtgärder"))):
        timeline.version(plan, 1, levels=[level], valid_from=start, adopted_on=start,
                         rows=[Row("walks", level[0], "per_term(12)", ["skolor"], direction="Trygghetsvandringar")])
    # Late in the term both plans are behind: nothing was logged.
    day = dt.date(2026, 6, 20)
    meeting = Meeting(municipality=taby, title="Arbetsgruppen",
                      starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(15))))
    titles = sorted(p.title for p in overdue_activities(meeting))
    assert titles == ["Brottsförebyggande åtgärdsplan – Åtgärder: Trygghetsvandringar",
                      "Strategi – Förebygga: Trygghetsvandringar"]
    assert len({p.source_ref for p in overdue_activities(meeting)}) == 2
