"""Follow-up judges each term against the version of each plan in force then (ADR 0013)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template.loader import render_to_string

from tests.plans import timeline
from tests.plans.timeline import Row
from varna.core.terms import Season, Term
from varna.followup import selectors
from varna.followup.models import ActivityLog
from varna.report import selectors as report

STRATEGY = [("prevent", "Förebygga"), ("hinder", "Förhindra"), ("protect", "Skydda"), ("manage", "Hantera")]
CRIME = [("situation", "Lägesbild"), ("measures", "Åtgärder"), ("follow_up", "Uppföljning")]


def _rows(rows: list[Any]) -> dict[tuple[str, str, str | None], tuple[int, tuple[int, ...]]]:
    return {(r.plan.slug, r.activity.key, r.unit.key if r.unit else None): (r.expected, r.versions) for r in rows}


def test_a_plan_valid_from_september_expects_nothing_in_spring_and_part_of_the_autumn(taby: Any) -> None:
    plan = timeline.plan(taby, "strategi", "Strategi mot våldsbejakande extremism")
    timeline.version(plan, 1, levels=STRATEGY, valid_from=dt.date(2025, 9, 1), adopted_on=dt.date(2025, 5, 20),
                     rows=[Row("prevent-talks", "prevent", "per_term(3)", ["skolor"])])
    spring = selectors.compliance(taby, Term(2025, Season.SPRING), today=dt.date(2025, 6, 1))
    assert spring == []
    assert selectors.overdue_activities(taby, today=dt.date(2025, 6, 1)) == []
    autumn = selectors.compliance(taby, Term(2025, Season.AUTUMN), today=dt.date(2026, 1, 10))
    assert _rows(autumn) == {("strategi", "prevent-talks", "skolor"): (2, (1,))}  # 3 × 122/184 days


def test_an_adopted_future_version_is_not_used_before_its_day(taby: Any) -> None:
    plan = timeline.plan(taby, "strategi", "Strategi")
    timeline.version(plan, 1, levels=STRATEGY, valid_from=dt.date(2024, 1, 1), adopted_on=dt.date(2023, 12, 1),
                     rows=[Row("prevent-talks", "prevent", "per_term(1)", ["skolor"])])
    timeline.version(plan, 2, levels=STRATEGY, valid_from=dt.date(2027, 1, 1), adopted_on=dt.date(2026, 11, 20),
                     rows=[Row("prevent-talks", "prevent", "per_term(4)", ["skolor"]),
                           Row("hinder-new", "hinder", "per_term(2)", ["skolor"])])
    today = dt.date(2026, 12, 3)
    now = selectors.compliance(taby, Term.of(today), today=today)
    assert _rows(now) == {("strategi", "prevent-talks", "skolor"): (1, (1,))}
    later = selectors.compliance(taby, Term(2027, Season.SPRING), today=dt.date(2027, 2, 1))
    assert _rows(later) == {("strategi", "prevent-talks", "skolor"): (4, (2,)),
                            ("strategi", "hinder-new", "skolor"): (2, (2,))}


def test_a_term_split_by_a_revision_counts_each_part_against_its_own_version(taby: Any) -> None:
    plan = timeline.plan(taby, "strategi", "Strategi")
    timeline.version(plan, 1, levels=STRATEGY, valid_from=dt.date(2025, 1, 1), adopted_on=dt.date(2024, 12, 1),
                     rows=[Row("prevent-talks", "prevent", "per_term(2)", ["skolor"]),
                           Row("manage-old", "manage", "per_term(2)", ["soc"])])
    timeline.version(plan, 2, levels=STRATEGY, valid_from=dt.date(2026, 4, 1), adopted_on=dt.date(2026, 3, 10),
                     rows=[Row("prevent-talks", "prevent", "per_term(4)", ["skolor"])])
    rows = _rows(selectors.compliance(taby, Term(2026, Season.SPRING), today=dt.date(2026, 7, 1)))
    # 2 × 90/181 + 4 × 91/181 ≈ 3; the activity the revision removed owes only its part: 2 × 90/181 ≈ 1.
    assert rows == {("strategi", "prevent-talks", "skolor"): (3, (1, 2)), ("strategi", "manage-old", "soc"): (1, (1,))}
    assert _rows(selectors.compliance(taby, Term(2026, Season.AUTUMN), today=dt.date(2026, 7, 1))) == {
        ("strategi", "prevent-talks", "skolor"): (4, (2,))}


def test_two_plans_are_followed_up_side_by_side_and_each_can_be_shown_alone(taby: Any) -> None:
    strategy = timeline.plan(taby, "strategi", "Strategi")
    crime = timeline.plan(taby, "brottsforebyggande", "Brottsförebyggande åtgärdsplan")
    timeline.version(strategy, 1, levels=STRATEGY, valid_from=dt.date(2025, 1, 1), adopted_on=dt.date(2025, 1, 1),
                     rows=[Row("follow-up", "prevent", "per_term(1)", ["skolor"])])
    timeline.version(crime, 1, levels=CRIME, valid_from=dt.date(2025, 1, 1), adopted_on=dt.date(2025, 1, 1),
                     rows=[Row("follow-up", "follow_up", "per_term(2)", ["skolor"])])
    skolor = timeline.organisation(taby, "skolor")
    activity = selectors.activity_by_key(taby, "follow-up", plan=crime)
    ActivityLog.objects.create(municipality=taby, activity=activity, organisation=skolor, date=dt.date(2025, 3, 1),
                               description="Genomgång av lägesbilden")
    term = Term(2025, Season.SPRING)
    both = selectors.compliance(taby, term, today=dt.date(2025, 7, 1))
    # The same key in two plans stays two rows, and a log for one plan's activity counts only there.
    assert {(r.plan.slug, r.expected, r.done) for r in both} == {("strategi", 1, 0), ("brottsforebyggande", 2, 1)}
    alone = selectors.compliance(taby, term, today=dt.date(2025, 7, 1), plan=crime)
    assert [(r.plan.slug, r.done) for r in alone] == [("brottsforebyggande", 1)]
    assert [line.plan.slug for line in selectors.year_figures(taby, 2025, plan=strategy)] == ["strategi"]


def test_the_annual_report_for_a_past_year_is_the_same_before_and_after_a_revision(taby: Any) -> None:
    plan = timeline.plan(taby, "strategi", "Strategi")
    v1 = timeline.version(plan, 1, levels=STRATEGY, valid_from=dt.date(2025, 1, 1), adopted_on=dt.date(2024, 11, 5),
                          rows=[Row("prevent-talks", "prevent", "per_term(2)", ["skolor", "fritid"]),
                                Row("protect-plan", "protect", "per_year(1)", ["soc"])])
    skolor = timeline.organisation(taby, "skolor")
    for day in (dt.date(2025, 2, 3), dt.date(2025, 9, 9), dt.date(2025, 10, 1)):
        ActivityLog.objects.create(municipality=taby, activity=v1.activities.get(key="prevent-talks"),
                                   organisation=skolor, date=day, description="Samtal i klass",
                                   in_annual_report=True)

    def rendered() -> str:
        return render_to_string("report/_body.html", {"report": report.annual_report(taby, 2025)})

    before = rendered()
    assert "Samtal i klass" in before
    timeline.version(plan, 2, levels=STRATEGY, valid_from=dt.date(2026, 1, 1), adopted_on=dt.date(2025, 12, 15),
                     rows=[Row("prevent-talks", "prevent", "per_term(6)", ["skolor"]),
                           Row("hinder-new", "hinder", "continuous", ["polisen"])])
    assert rendered() == before
    lines = {(line.activity.key, line.unit.key if line.unit else None): line.expected
             for line in selectors.year_figures(taby, 2026)}
    assert lines == {("prevent-talks", "skolor"): 12, ("hinder-new", "polisen"): 2}
