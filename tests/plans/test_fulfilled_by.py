"""Links are plan data: what a meeting, a training or a confirmation fulfils comes from the plan (`fulfilled_by`).

Shown with Täby, which has two plans with keys of its own and nothing of Sollentuna's.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone, translation

from tests.plans.second_municipality import crime_prevention_plan, import_approved, strategy_plan
from varna.core.models import Group, GroupMembership, Organisation
from varna.followup.models import ActivityLog
from varna.implementation import selectors as implementation_selectors
from varna.implementation import services as implementation_services
from varna.meetings import services as meeting_services
from varna.meetings.models import Meeting
from varna.plans import demo, selectors, services, yaml_io
from varna.plans.models import Plan
from varna.training import services as training_services

SRC = Path(__file__).resolve().parents[2] / "src" / "varna"


@pytest.fixture
def taby_people(make_person: Any, taby: Any, tove: Any) -> dict[str, Any]:
    return {"coordinator": tove, "steering": make_person("styr@taby.example", "steering_group", taby),
            "manager": make_person("chef@taby.example", "manager", taby, unit="utb")}


@pytest.fixture
def taby_plans(taby: Any, taby_people: dict[str, Any]) -> dict[str, Any]:
    people = {"municipality": taby, "coordinator": taby_people["coordinator"], "approver": taby_people["steering"]}
    return {"strategy": import_approved(strategy_plan(), **people),
            "crime": import_approved(crime_prevention_plan(), **people)}


def _group(municipality: Any, kind: str, *members: Any) -> Group:
    group = Group.objects.create(municipality=municipality, kind=kind, name=f"Täbys {kind}")
    for member in members:
        GroupMembership.objects.create(group=group, user=member)
    return group


def _meeting(coordinator: Any, municipality: Any, *, hours: int) -> Any:
    if not Group.objects.filter(municipality=municipality, kind=Group.Kind.WORKING).exists():
        _group(municipality, Group.Kind.WORKING, coordinator)
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(hours=hours)
    return meeting_services.meeting_create(actor=coordinator, municipality=municipality, starts_at=starts,
                                           ends_at=starts + dt.timedelta(hours=1), place="Rådhuset")


def _hold(coordinator: Any, municipality: Any, kind: str = Group.Kind.WORKING) -> Any:
    meeting = _meeting(coordinator, municipality, hours=-3)
    if kind != Group.Kind.WORKING:
        # Meetings convene the working group; a meeting of another group is the same meeting with its group.
        Meeting.objects.filter(pk=meeting.pk).update(group=_group(municipality, kind, coordinator))
        meeting.refresh_from_db()
    return meeting_services.meeting_mark_held(actor=coordinator, meeting=meeting, present=[coordinator.pk])


def _logged(municipality: Any, source: str) -> set[tuple[str, str]]:
    return {(log.activity.version.plan.slug, log.activity_key)
            for log in ActivityLog.objects.filter(municipality=municipality, source=source)}


def test_a_held_working_group_meeting_fulfils_the_linked_activities_of_both_plans(
        taby: Any, taby_plans: dict[str, Any], tove: Any) -> None:
    _hold(tove, taby)
    assert _logged(taby, "meeting") == {("vbe-plan", "samverkansmote"), ("brottsforebyggande", "lagesbildsmote")}


def test_a_steering_group_meeting_fulfils_only_what_names_the_steering_group(
        taby: Any, taby_plans: dict[str, Any], tove: Any) -> None:
    _hold(tove, taby, Group.Kind.STEERING)
    assert _logged(taby, "meeting") == {("brottsforebyggande", "lagesbildsmote")}


def test_a_training_fulfils_the_activity_that_names_its_topic_and_nothing_else(
        taby: Any, taby_plans: dict[str, Any], tove: Any) -> None:
    day = timezone.localdate()  # the plans were adopted today: in force from today
    for topic in ("signs_symbols", "parents", "democracy"):
        training_services.event_create(actor=tove, municipality=taby, title=f"Kurs {topic}", topic=topic,
                                       audience="staff", date=day)
    assert _logged(taby, "training") == {("vbe-plan", "kunskapslyft"), ("brottsforebyggande", "foraldrakvallar")}


def test_a_managers_confirmation_fulfils_only_the_activity_of_the_rounds_own_plan(
        taby: Any, taby_plans: dict[str, Any], taby_people: dict[str, Any]) -> None:
    round_ = implementation_selectors.current_round(taby)
    implementation_services.unit_confirm(actor=taby_people["manager"], municipality=taby,
                                         organisation=Organisation.objects.get(municipality=taby, key="utb"))
    expected = {"vbe-plan": "chefsgenomgang", "brottsforebyggande": "plangenomgang"}[round_.version.plan.slug]
    assert _logged(taby, "implementation") == {(round_.version.plan.slug, expected)}
    log = ActivityLog.objects.get(source="implementation")
    # utb is responsible for the strategy's activity: counted for the unit; not for the other plan's.
    assert log.organisation == (Organisation.objects.get(municipality=taby, key="utb")
                                if expected == "chefsgenomgang" else None)


def test_sollentunas_links_do_nothing_for_another_municipality(
        taby: Any, taby_people: dict[str, Any], tove: Any, demo_plan: Any, sollentuna: Any) -> None:
    # Täby's plan uses none of the links: a meeting and a training there log nothing, in either municipality.
    import_approved(strategy_plan(meeting_link=False), municipality=taby, coordinator=tove,
                    approver=taby_people["steering"])
    _hold(tove, taby)
    assert not ActivityLog.objects.filter(source="meeting").exists()


def test_meeting_page_tells_the_coordinator_when_nothing_is_fulfilled_by_meetings(
        verified_client: Any, taby: Any, taby_people: dict[str, Any], tove: Any) -> None:
    import_approved(strategy_plan(meeting_link=False), municipality=taby, coordinator=tove,
                    approver=taby_people["steering"])
    meeting = _meeting(tove, taby, hours=72)
    page = verified_client(tove).get(f"/taby/meetings/{meeting.pk}/").content.decode()
    held = verified_client(tove).get(f"/taby/meetings/{meeting.pk}/held/").content.decode()
    for html in (page, held):
        assert "Ingen aktivitet i en antagen plan uppfylls av möten i ”Täbys working”" in html


def test_meeting_page_lists_what_a_held_meeting_will_count_for(
        verified_client: Any, taby: Any, taby_plans: dict[str, Any], tove: Any) -> None:
    meeting = _meeting(tove, taby, hours=72)
    html = verified_client(tove).get(f"/taby/meetings/{meeting.pk}/").content.decode()
    assert "Samverkan i nätverket" in html
    assert "Gemensam lägesbild" in html
    assert "Brottsförebyggande plan" in html


def test_training_form_names_the_topics_that_fulfil_nothing(
        verified_client: Any, taby: Any, taby_plans: dict[str, Any], tove: Any) -> None:
    html = verified_client(tove).get("/taby/training/new/").content.decode()
    unlinked = re.search(r"loggar ingenting i uppföljningen:(.*?)</p>", html, re.S).group(1)
    assert "Demokratiutbildning" in unlinked
    assert "Föräldrautbildning" not in unlinked


def _with_link(pair: dict[str, str]) -> str:
    document = strategy_plan()
    document["levels"][0]["activities"][0]["fulfilled_by"] = [pair]
    return yaml_io.dump(document)


@pytest.mark.parametrize(("pair", "message"), [
    ({"meeting": "board"}, "“meeting” has no “board”"),
    ({"webinar": "staff"}, "nothing called “webinar” can fulfil an activity"),
    ({"training": "signs_symbols", "meeting": "working"}, "name exactly one thing"),
])
def test_a_link_to_something_that_does_not_exist_is_refused_with_field_and_line(
        taby: Any, tove: Any, pair: dict[str, str], message: str) -> None:
    text = _with_link(pair)
    with translation.override("en"), pytest.raises(yaml_io.PlanFormatError) as caught:
        services.plan_import(actor=tove, municipality=taby, text=text)
    (problem,) = caught.value.problems
    assert problem.path.startswith("levels/0/activities/0/fulfilled_by/0")
    assert message in problem.message
    assert "fulfilled_by" in text.splitlines()[problem.line - 2] or pair.keys() & {
        text.splitlines()[problem.line - 1].strip(" -").split(":")[0]}
    assert not Plan.objects.filter(municipality=taby).exists()


def test_links_survive_export_new_draft_and_are_compared_between_versions(
        taby: Any, taby_plans: dict[str, Any], tove: Any) -> None:
    approved = taby_plans["strategy"]
    exported = yaml_io.parse(services.plan_export(actor=tove, version=approved))
    activity = exported["levels"][0]["activities"][0]
    assert activity["fulfilled_by"] == [{"meeting": "working"}]
    draft = services.version_create_draft(actor=tove, plan=approved.plan)
    copy = draft.activities.get(key="samverkansmote")
    assert [(f.source, f.detail) for f in copy.fulfilled_by.all()] == [("meeting", "working")]
    services.activity_save(
        actor=tove, version=draft, level=copy.level, key=copy.key, direction=copy.direction, action=copy.action,
        responsible=list(copy.responsible.all()), responsible_text="", cadence_kind=copy.cadence_kind,
        cadence_count=copy.cadence_count, when_text="", expected_lock=None, activity=copy,
        fulfilled_by=[("meeting", "expert")])
    changes = selectors.compare_versions(approved, draft)["changed"]
    assert [(c.key, c.fields) for c in changes] == [("samverkansmote", ["fulfilled_by"])]


def test_the_activity_form_sets_the_links(verified_client: Any, taby: Any, taby_plans: dict[str, Any],
                                          tove: Any) -> None:
    draft = services.version_create_draft(actor=tove, plan=taby_plans["strategy"].plan)
    activity = draft.activities.get(key="skyddsrutin")
    url = f"/taby/plans/vbe-plan/versions/{draft.number}/activities/{activity.key}/edit/"
    client = verified_client(tove)
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "lock_version": draft.lock_version, "level": activity.level.pk, "key": activity.key,
        "direction": activity.direction, "action": activity.action, "responsible": [
            o.pk for o in activity.responsible.all()], "cadence_kind": "per_year", "cadence_count": 1,
        "fulfilled_by": ["training:staff", "meeting:working"]})
    assert response.status_code == 302
    assert sorted((f.source, f.detail) for f in activity.fulfilled_by.all()) == [
        ("meeting", "working"), ("training", "staff")]
    bad = client.post(url, {"lock_version": draft.lock_version + 1, "level": activity.level.pk, "key": activity.key,
                            "direction": "x", "action": "x", "cadence_kind": "per_year", "cadence_count": 1,
                            "fulfilled_by": ["meeting:board"]})
    assert bad.status_code == 200
    assert activity.fulfilled_by.count() == 2


def test_the_demo_declares_its_links_in_its_yaml(sollentuna: Any) -> None:
    demo.load(sollentuna)
    links = {(a.key, f"{f.source}:{f.detail}") for a in selectors.approved_activities_of(sollentuna)
             for f in a.fulfilled_by.all()}
    assert ("prevent-working-group-meetings", "meeting:working") in links
    assert ("implement-managers", "implementation:managers") in links
    assert ("prevent-signs-symbols-training", "training:signs_symbols") in links


def test_no_setting_or_code_holds_an_activity_key_of_the_demo() -> None:
    assert not any(name.endswith("_ACTIVITY_KEYS") for name in dir(settings))
    keys = {a["key"] for level in yaml_io.parse(demo.DEMO_FILE.read_text(encoding="utf-8"))["levels"]
            for a in level["activities"]}
    offenders = [(str(path.relative_to(SRC)), key) for path in SRC.rglob("*.py")
                 for key in keys if key in path.read_text(encoding="utf-8")]
    assert offenders == []
