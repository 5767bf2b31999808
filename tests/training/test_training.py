"""Training events: attendance by organisation and gender, coverage, and fulfilment of the plan."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from varna.core.models import AuditEvent, Organisation
from varna.core.terms import Season, Term
from varna.followup import selectors as followup_selectors
from varna.followup.expectations import Status
from varna.followup.models import ActivityLog
from varna.training import demo, selectors, services
from varna.training.models import TrainingEvent

URL = "/sollentuna/training/"
DAY = dt.date(2026, 10, 5)


def _org(municipality: Any, key: str) -> Organisation:
    return Organisation.objects.get(municipality=municipality, key=key)


def _event(actor: Any, municipality: Any, topic: str = "signs_symbols", organiser: str | None = "samordnare",
           day: dt.date = DAY) -> TrainingEvent:
    return services.event_create(
        actor=actor, municipality=municipality, title="Tecken och symboler", topic=topic, audience="staff", date=day,
        organiser=_org(municipality, organiser) if organiser else None,
        attendance=[services.AttendanceRow(_org(municipality, "fritidsgardar"), {"female": 4, "male": 3}),
                    services.AttendanceRow(_org(municipality, "buk"), {"female": 10, "male": 2, "other": 1}),
                    services.AttendanceRow(None, {"female": 0, "male": 0, "other": 0})])


def test_a_training_fulfils_the_matching_plan_activity(alice: Any, demo_plan: Any, sollentuna: Any) -> None:
    event = _event(alice, sollentuna)
    log = ActivityLog.objects.get(source_ref=f"training.event:{event.pk}")
    assert (log.activity_key, log.organisation.key, log.participants, log.source) == (
        "prevent-signs-symbols-training", "samordnare", 20, "training")
    staff = _event(alice, sollentuna, topic="staff")
    row = next(r for r in followup_selectors.compliance(sollentuna, Term(2026, Season.AUTUMN),
                                                        today=dt.date(2026, 11, 25))
               if r.activity.key == "prevent-staff-training" and r.unit.key == "samordnare")
    assert (row.done, row.status) == (1, Status.DONE)
    assert AuditEvent.objects.filter(action="training.event.created", object_id=str(staff.pk)).exists()


def test_training_of_a_topic_without_plan_activity_logs_nothing(alice: Any, demo_plan: Any, sollentuna: Any) -> None:
    _event(alice, sollentuna, topic="other")
    assert not ActivityLog.objects.exists()


def test_removing_a_training_removes_its_log(alice: Any, demo_plan: Any, sollentuna: Any) -> None:
    event = _event(alice, sollentuna)
    services.event_delete(actor=alice, event=event)
    assert not ActivityLog.objects.exists()
    assert not TrainingEvent.objects.exists()


def test_coverage_per_unit_and_term(alice: Any, demo_plan: Any, sollentuna: Any) -> None:
    _event(alice, sollentuna)
    _event(alice, sollentuna, topic="staff", day=dt.date(2026, 3, 1))
    terms = [Term(2026, Season.SPRING), Term(2026, Season.AUTUMN)]
    rows = {r.organisation.key: r for r in selectors.coverage(sollentuna, terms)}
    assert rows["buk"].by_term == {"2026-1": 13, "2026-2": 13}
    assert rows["buk"].events == 2
    assert rows["fritidsgardar"].total == 14
    assert selectors.totals(sollentuna, terms) == {"female": 28, "male": 10, "other": 2, "participants": 40,
                                                   "events": 2}
    only_signs = selectors.coverage(sollentuna, terms, topic="signs_symbols")
    assert sum(r.total for r in only_signs) == 20


def test_manager_registers_training_in_the_browser(client: Any, maria: Any, demo_plan: Any, sollentuna: Any) -> None:
    client.force_login(maria)
    assert client.get(URL + "new/").status_code == 200
    data = {"title": "Demokratidag", "topic": "democracy", "audience": "pupils", "date": "2026-10-01",
            "organiser": _org(sollentuna, "forskolor-skolor").pk, "organiser_text": "", "description": "",
            "attendance-TOTAL_FORMS": "2", "attendance-INITIAL_FORMS": "0", "attendance-MIN_NUM_FORMS": "0",
            "attendance-MAX_NUM_FORMS": "50", "attendance-0-organisation": _org(sollentuna, "forskolor-skolor").pk,
            "attendance-0-n_female": "12", "attendance-0-n_male": "14", "attendance-0-n_other": "",
            "attendance-1-organisation": "", "attendance-1-n_female": "", "attendance-1-n_male": "",
            "attendance-1-n_other": ""}
    response = client.post(URL + "new/", data)
    assert response.status_code == 302
    event = TrainingEvent.objects.get()
    assert [a.total for a in event.attendance.all()] == [26]
    assert ActivityLog.objects.get().activity_key == "prevent-democracy-education"
    for path in [URL, f"{URL}{event.pk}/", URL + "coverage/", URL + "coverage/?topic=democracy"]:
        assert client.get(path).status_code == 200


def test_roles_and_tenancy(client: Any, verified_client: Any, bob: Any, tove: Any, alice: Any, demo_plan: Any,
                           sollentuna: Any) -> None:
    event = _event(alice, sollentuna)
    client.force_login(bob)
    assert client.get(URL).status_code == 200
    assert client.get(URL + "new/").status_code == 403
    assert client.post(f"{URL}{event.pk}/delete/", {"confirm": "yes"}).status_code == 403
    tove_client = verified_client(tove)
    for path in [URL, f"{URL}{event.pk}/", URL + "coverage/"]:
        assert tove_client.get(path).status_code == 404
    with pytest.raises(services.TrainingPermissionError):
        _event(bob, sollentuna)


def test_future_training_is_refused(alice: Any, demo_plan: Any, sollentuna: Any) -> None:
    with pytest.raises(services.TrainingError):
        _event(alice, sollentuna, day=timezone.localdate() + dt.timedelta(days=2))


def test_demo_training_loads_once(demo_plan: Any, sollentuna: Any) -> None:
    first = demo.load(sollentuna, today=dt.date(2026, 11, 25))
    assert first == "8 training events added"
    assert demo.load(sollentuna, today=dt.date(2026, 11, 25)) == "0 training events added"
    assert TrainingEvent.objects.filter(title__endswith="(demo)").count() == 8
