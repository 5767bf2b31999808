"""A draft's way to its approver, in a municipality other than the demo's: the coordinator sends it (who, when,
audited), it is frozen and shows on the steering group's task list; the steering group approves it or returns it
with a comment, which puts it back on the coordinator's task list, editable again."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.plans import timeline
from tests.plans.timeline import Row
from varna.core.models import AuditEvent
from varna.plans import services
from varna.plans.models import PlanVersion

pytestmark = pytest.mark.django_db

TITLE = "Strategi mot extremism"
# Services speak the site's language, Swedish.
ROLE = "Din roll kan inte godkänna versioner av den här planen."
EMPTY = "En plan utan aktiviteter kan inte godkännas."


def _tasks(html: str) -> list[str]:
    match = re.search(r'<ul [^>]*id="attention"[^>]*>(.*?)</ul>', html, re.S)
    return [re.sub(r"\s+", " ", i).strip() for i in re.findall(r"<a [^>]*>(.*?)</a>", match.group(1), re.S)] \
        if match else []


@pytest.fixture
def draft(taby: Any, tove: Any) -> PlanVersion:
    plan = timeline.plan(taby, "strategi", TITLE)
    timeline.version(plan, 1, levels=[("forebygga", "Förebygga"), ("skydda", "Skydda")],
                     rows=[Row("samtal-skolor", "forebygga", "per_term(1)", ["skolor"]),
                           Row("skyddsrutin", "skydda", "per_year(1)", ["trygg"])],
                     valid_from=dt.date(2025, 1, 1), adopted_on=dt.date(2024, 12, 1))
    assert plan.approval_role == "steering_group"
    return services.version_create_draft(actor=tove, plan=plan)


@pytest.fixture
def stina(make_person: Any, taby: Any) -> Any:
    """The steering group in Täby: approves Täby's plans."""
    return make_person("stina@taby.example", "steering_group", taby)


def test_sending_records_who_and_when_audits_it_and_freezes_the_draft(draft: PlanVersion, tove: Any) -> None:
    sent = services.version_send_for_approval(actor=tove, version=draft)
    assert sent.awaiting_approval
    assert sent.sent_by == tove
    assert sent.sent_at is not None
    event = AuditEvent.objects.get(action="plans.version.sent_for_approval")
    assert event.actor == tove
    assert event.data == {"number": 2, "approver": "steering_group"}
    frozen = "Utkastet har skickats för godkännande och kan inte ändras förrän det skickas tillbaka."
    level = draft.levels.get(key="forebygga")
    with pytest.raises(services.PlanError, match=frozen):
        services.level_save(actor=tove, level=level, name="Förebygga tidigt", introduction="", expected_lock=None)
    with pytest.raises(services.PlanError, match=frozen):
        services.activity_delete(actor=tove, activity=draft.activities.get(key="skyddsrutin"))
    with pytest.raises(services.PlanError, match=frozen):
        services.version_delete_draft(actor=tove, version=draft)
    assert draft.levels.get(key="forebygga").name == "Förebygga"
    assert draft.activities.count() == 2
    with pytest.raises(services.PlanError, match=frozen):  # a second click
        services.version_send_for_approval(actor=tove, version=PlanVersion.objects.get(pk=draft.pk))


def test_only_the_editor_sends_and_only_the_approver_returns(draft: PlanVersion, tove: Any, stina: Any,
                                                             make_person: Any, taby: Any, alice: Any) -> None:
    staff = make_person("sam@taby.example", "staff", taby)
    for outsider in (staff, stina, alice):  # alice: Sollentuna's coordinator
        with pytest.raises(services.PlanError, match="Bara samordnaren kan redigera planen."):
            services.version_send_for_approval(actor=outsider, version=draft)
    with pytest.raises(services.PlanError, match="inget att skicka tillbaka"):
        services.version_return(actor=stina, version=draft, comment="Ändra nivåerna.")
    services.version_send_for_approval(actor=tove, version=draft)
    for outsider in (tove, staff, alice):  # Täby's plan is approved by its steering group, not its coordinator
        with pytest.raises(services.PlanError, match=ROLE):
            services.version_return(actor=outsider, version=draft, comment="Ändra nivåerna.")
    assert PlanVersion.objects.get(pk=draft.pk).awaiting_approval
    assert not AuditEvent.objects.filter(action="plans.version.returned").exists()


def test_an_empty_draft_cannot_be_sent(draft: PlanVersion, tove: Any) -> None:
    draft.activities.all().delete()
    with pytest.raises(services.PlanError, match=EMPTY):
        services.version_send_for_approval(actor=tove, version=draft)
    assert not PlanVersion.objects.get(pk=draft.pk).awaiting_approval


@given(blank=st.text(alphabet=" \t\n\r\u00a0\u2003", max_size=20))
def test_a_return_without_a_comment_is_refused(blank: str) -> None:
    # Whitespace of any kind is no comment: the editor would not know what to change.
    with pytest.raises(services.PlanError, match="Skriv vad som behöver ändras innan utkastet kan godkännas."):
        services.return_comment_check(blank)
    assert services.return_comment_check(f"{blank}Ändra{blank}") == "Ändra"
    with pytest.raises(services.PlanError, match="högst 2000 tecken"):
        services.return_comment_check("x" * 2001)


def test_the_task_lists_follow_the_draft_there_and_back(verified_client: Any, draft: PlanVersion, tove: Any,
                                                        stina: Any) -> None:
    decide = f"Besluta om utkast 2 av ”{TITLE}”"
    returned = f"Utkast 2 av ”{TITLE}” skickades tillbaka: läs kommentaren och skicka det igen"
    assert decide not in _tasks(verified_client(stina).get("/taby/").content.decode())  # not sent yet

    client = verified_client(tove)
    editor = client.get("/taby/plans/strategi/versions/2/edit/").content.decode()
    assert 'href="/taby/plans/strategi/versions/2/send/"' in editor
    check = client.get("/taby/plans/strategi/versions/2/send/").content.decode()
    assert "Skicka utkast 2 för godkännande" in check
    assert "Styrgrupp" in check
    response = client.post("/taby/plans/strategi/versions/2/send/")
    assert response.status_code == 302
    assert response["Location"] == "/taby/plans/strategi/versions/2/edit/"
    editor = client.get(response["Location"]).content.decode()
    assert "Utkast 2 skickades för godkännande." in editor
    assert "Skickad för godkännande av tove" in editor
    assert "/activities/new/" not in editor
    assert 'href="/taby/plans/strategi/versions/2/send/"' not in editor
    # No form is offered for a frozen draft, even by its address.
    for path in ("activities/new/", "activities/skyddsrutin/edit/", "levels/skydda/edit/", "delete/"):
        frozen = client.get(f"/taby/plans/strategi/versions/2/{path}")
        assert frozen.status_code == 302, path
        assert frozen["Location"] == "/taby/plans/strategi/versions/2/edit/", path

    client = verified_client(stina)
    home = client.get("/taby/").content.decode()
    assert decide in _tasks(home)
    assert "/taby/plans/strategi/versions/2/approve/" in home
    approve = client.get("/taby/plans/strategi/versions/2/approve/").content.decode()
    assert 'href="/taby/plans/strategi/versions/2/return/"' in approve
    empty = client.post("/taby/plans/strategi/versions/2/return/", {"comment": "   "})
    assert empty.status_code == 200
    assert "Detta fält måste fyllas i." in empty.content.decode()
    response = client.post("/taby/plans/strategi/versions/2/return/",
                           {"comment": "Skyddsrutinen behöver en ansvarig enhet till."})
    assert response.status_code == 302
    assert response["Location"] == "/taby/"
    assert decide not in _tasks(client.get("/taby/").content.decode())
    version = PlanVersion.objects.get(pk=draft.pk)
    assert version.was_returned
    assert version.returned_by == stina
    assert version.sent_by is None
    assert version.return_comment == "Skyddsrutinen behöver en ansvarig enhet till."
    assert AuditEvent.objects.get(action="plans.version.returned").actor == stina

    client = verified_client(tove)
    assert returned in _tasks(client.get("/taby/").content.decode())
    editor = client.get("/taby/plans/strategi/versions/2/edit/").content.decode()
    assert "Skyddsrutinen behöver en ansvarig enhet till." in editor
    assert "/activities/new/" in editor
    services.level_save(actor=tove, level=version.levels.get(key="skydda"), name="Skydda och stödja",
                        introduction="", expected_lock=None)
    client.post("/taby/plans/strategi/versions/2/send/")
    assert returned not in _tasks(client.get("/taby/").content.decode())
    assert decide in _tasks(verified_client(stina).get("/taby/").content.decode())


def test_the_approver_approves_a_sent_draft_and_who_sent_it_stays_on_record(draft: PlanVersion, tove: Any,
                                                                            stina: Any) -> None:
    services.version_send_for_approval(actor=tove, version=draft)
    approved = services.version_approve(actor=stina, version=PlanVersion.objects.get(pk=draft.pk),
                                        decision=services.Decision(body_kind="steering_group", body="Styrgruppen",
                                                                   date=dt.date(2026, 3, 2)))
    assert approved.status == "approved"
    assert approved.sent_by == tove
    assert not approved.awaiting_approval
    with pytest.raises(services.PlanError):
        services.version_return(actor=stina, version=approved, comment="För sent.")


def test_other_municipalities_and_other_roles_cannot_reach_the_pages(verified_client: Any, draft: PlanVersion,
                                                                     tove: Any, stina: Any, alice: Any,
                                                                     make_person: Any, taby: Any) -> None:
    services.version_send_for_approval(actor=tove, version=draft)
    assert verified_client(alice).get("/taby/plans/strategi/versions/2/return/").status_code == 404
    assert verified_client(alice).post("/taby/plans/strategi/versions/2/send/").status_code == 404
    staff = make_person("sam@taby.example", "staff", taby)
    assert verified_client(staff).post("/taby/plans/strategi/versions/2/return/",
                                       {"comment": "Nej."}).status_code == 403
    # The coordinator is no approver of Täby's plan: the return page is refused to them.
    assert verified_client(tove).post("/taby/plans/strategi/versions/2/return/",
                                      {"comment": "Ångrar mig."}).status_code == 403
    assert PlanVersion.objects.get(pk=draft.pk).awaiting_approval
