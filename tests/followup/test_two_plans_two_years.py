"""Done-when for plans over time: Täby runs two plans of different structures over 2025 and 2026.

The municipality-wide plan follows the 2024 national strategy's four areas, the crime-prevention plan
(SFS 2023:196) has a structure of its own. Both are adopted in December 2024; the strategy is revised in
May 2026 with effect from 1 September. Meetings and training fulfil activities in both plans through
`fulfilled_by`. Every step goes through the services, on the day it happens (time-machine).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tests.plans.second_municipality import crime_prevention_plan, strategy_plan
from varna.core.models import Group, GroupMembership
from varna.core.terms import Season, Term
from varna.followup import selectors as followup
from varna.meetings import services as meetings
from varna.meetings.models import AgendaItem
from varna.plans import selectors as plans
from varna.plans import services as plan_services
from varna.plans import yaml_io
from varna.report import selectors as report
from varna.training import services as training

PLAN_TITLES = ("Plan mot våldsbejakande extremism", "Brottsförebyggande plan")


def _decision(reference: str) -> Any:
    from django.utils import timezone

    return plan_services.Decision(body_kind="council", body=reference, date=timezone.localdate())


def _adopt(document: dict[str, Any], *, municipality: Any, coordinator: Any, approver: Any, valid_from: dt.date,
           reference: str) -> Any:
    draft = plan_services.plan_import(actor=coordinator, municipality=municipality, text=yaml_io.dump(
        {**document, "version": {k: v for k, v in document["version"].items() if k != "approved_at"}}))
    return plan_services.version_approve(actor=approver, version=draft, valid_from=valid_from,
                                         decision=_decision(reference))


def _hold_meeting(coordinator: Any, municipality: Any) -> None:
    starts = timezone.now().replace(microsecond=0) - dt.timedelta(hours=3)
    meeting = meetings.meeting_create(actor=coordinator, municipality=municipality, starts_at=starts,
                                      ends_at=starts + dt.timedelta(hours=1), place="Rådhuset")
    meetings.meeting_mark_held(actor=coordinator, meeting=meeting, present=[coordinator.pk])


def _expected(municipality: Any, term: Term, today: dt.date) -> dict[tuple[str, str, str | None], tuple]:
    return {(r.plan.slug, r.activity.key, r.unit.key if r.unit else None): (r.expected, r.done, r.versions)
            for r in followup.compliance(municipality, term, today=today)}


def _annual_report(municipality: Any, year: int) -> str:
    with translation.override("sv"):
        return render_to_string("report/_body.html", {"report": report.annual_report(municipality, year)})


@pytest.fixture
def story(taby: Any, tove: Any, make_person: Any) -> dict[str, Any]:
    steering = make_person("styr@taby.example", "steering_group", taby)
    group = Group.objects.create(municipality=taby, kind=Group.Kind.WORKING, name="Arbetsgruppen i Täby")
    GroupMembership.objects.create(group=group, user=tove)
    people = {"municipality": taby, "coordinator": tove, "approver": steering}
    with time_machine.travel("2024-12-10 10:00", tick=False):
        strategy = _adopt(strategy_plan(), valid_from=dt.date(2025, 1, 1), reference="KF 2024-12-10 § 88",
                          **people)
        crime = _adopt(crime_prevention_plan(), valid_from=dt.date(2025, 1, 1), reference="KS 2024-12-10 § 14",
                       **people)
    for day in ("2025-03-12 15:00", "2025-10-08 15:00"):
        with time_machine.travel(day, tick=False):
            _hold_meeting(tove, taby)
    with time_machine.travel("2025-04-02 12:00", tick=False):
        for topic in ("signs_symbols", "parents"):
            training.event_create(actor=tove, municipality=taby, title=f"Utbildning {topic}", topic=topic,
                                  audience="staff", date=timezone.localdate())
    return {"municipality": taby, "coordinator": tove, "steering": steering, "strategy": strategy.plan,
            "crime": crime.plan}


def test_two_plans_over_two_years_with_a_revision_in_the_second(story: dict[str, Any]) -> None:
    taby, tove, steering = story["municipality"], story["coordinator"], story["steering"]
    strategy = story["strategy"]

    # 2025: each term's expectations come from version 1 of each plan; the meetings and the trainings of
    # 2025 fulfil activities in both plans through their fulfilled_by.
    spring = _expected(taby, Term(2025, Season.SPRING), dt.date(2025, 7, 1))
    assert spring[("vbe-plan", "samverkansmote", "trygg")] == (1, 1, (1,))
    assert spring[("brottsforebyggande", "lagesbildsmote", "trygg")] == (2, 1, (1,))
    assert spring[("vbe-plan", "kunskapslyft", "utb")][1:] == (1, (1,))  # the signs-and-symbols training
    assert spring[("brottsforebyggande", "foraldrakvallar", "utb")][1:] == (1, (1,))  # the parents' evening
    autumn = _expected(taby, Term(2025, Season.AUTUMN), dt.date(2026, 1, 10))
    assert autumn[("vbe-plan", "samverkansmote", "trygg")] == (1, 1, (1,))
    report_2025 = _annual_report(taby, 2025)
    for title in PLAN_TITLES:
        assert title in report_2025

    # 2026: the strategy is revised in May, in force from 1 September, with a meeting three times a term.
    with time_machine.travel("2026-05-20 09:00", tick=False):
        draft = plan_services.version_create_draft(actor=tove, plan=strategy)
        activity = draft.activities.get(key="samverkansmote")
        plan_services.activity_save(
            actor=tove, version=draft, level=activity.level, key=activity.key, direction=activity.direction,
            action=activity.action, responsible=list(activity.responsible.all()),
            responsible_text=activity.responsible_text, cadence_kind="per_term", cadence_count=3,
            when_text="Tre gånger per termin", expected_lock=None, activity=activity)
        plan_services.version_approve(actor=steering, version=draft, decision=_decision("KF 2026-05-20 § 31"),
                                      valid_from=dt.date(2026, 9, 1))
        # Adopted, not yet in force: the plan shows it as coming, and follow-up still uses version 1.
        assert plans.version_in_force(strategy).number == 1
        assert plans.upcoming_version(strategy)[1].start == dt.date(2026, 9, 1)
        now = _expected(taby, Term(2026, Season.SPRING), timezone.localdate())
        assert now[("vbe-plan", "samverkansmote", "trygg")][0] == 1

    for day in ("2026-03-04 15:00", "2026-10-07 15:00", "2026-11-18 15:00"):
        with time_machine.travel(day, tick=False):
            _hold_meeting(tove, taby)

    # The autumn of 2026 is split: July–August under version 1 (once a term), September–December under
    # version 2 (three times): 1 × 62/184 + 3 × 122/184 ≈ 2. The other plan is untouched by the revision.
    split = _expected(taby, Term(2026, Season.AUTUMN), dt.date(2027, 1, 10))
    assert split[("vbe-plan", "samverkansmote", "trygg")] == (2, 2, (1, 2))
    assert split[("brottsforebyggande", "lagesbildsmote", "trygg")] == (2, 2, (1,))
    spring_2027 = _expected(taby, Term(2027, Season.SPRING), dt.date(2027, 7, 1))
    assert spring_2027[("vbe-plan", "samverkansmote", "trygg")][::2] == (3, (2,))

    # The first year's annual report is exactly what it was before the revision.
    assert _annual_report(taby, 2025) == report_2025
    report_2026 = _annual_report(taby, 2026)
    assert "version 1 (2026-01-01 – 2026-08-31), version 2 (2026-09-01 – 2026-12-31)" in report_2026


def test_no_page_shows_the_two_plans_without_saying_which_is_which(story: dict[str, Any],
                                                                   verified_client: Any) -> None:
    taby, tove = story["municipality"], story["coordinator"]
    client = verified_client(tove)
    with time_machine.travel("2025-06-20 12:00", tick=False):
        dashboard = client.get("/taby/followup/?term=2025-1").content.decode()
        log = client.get("/taby/followup/log/").content.decode()
        agenda_source = meetings.meeting_create(
            actor=tove, municipality=taby, starts_at=timezone.now() + dt.timedelta(hours=2),
            ends_at=timezone.now() + dt.timedelta(hours=3), place="Rådhuset")
        agenda = [i.title for i in agenda_source.agenda_items.filter(kind=AgendaItem.Kind.OVERDUE_ACTIVITY)]
    rows = re.findall(r"<tr>(.*?)</tr>", dashboard.split("<tbody>")[1], re.S)
    assert rows
    assert all(any(title in row for title in PLAN_TITLES) for row in rows)
    assert {title for title in PLAN_TITLES if title in dashboard} == set(PLAN_TITLES)
    log_rows = re.findall(r"<tr>(.*?)</tr>", log.split("<tbody>")[1], re.S)
    assert log_rows
    assert all(any(title in row for title in PLAN_TITLES) for row in log_rows)
    assert all(title.startswith(PLAN_TITLES) for title in agenda), agenda
    client = verified_client(tove)  # a fresh session: the one above expired with 2025
    page = client.get("/taby/report/?year=2025").content.decode()
    only = client.get("/taby/report/?year=2025&plan=brottsforebyggande").content.decode()
    for title in PLAN_TITLES:
        assert f">{title}</h3>" in page
    assert ">Brottsförebyggande plan</h3>" in only
    assert ">Plan mot våldsbejakande extremism</h3>" not in only
