from typing import Any

import pytest

from varna.core import audit
from varna.core.models import AuditEvent, Organisation
from varna.core.selectors import audit_events_of, organisations_of, scoped


def test_selector_returns_only_rows_of_the_asked_municipality(sollentuna: Any, taby: Any) -> None:
    Organisation.objects.create(municipality=sollentuna, key="buk", name="BUK")
    Organisation.objects.create(municipality=taby, key="buk", name="Täby BUK")
    assert [o.name for o in organisations_of(sollentuna)] == ["BUK"]
    assert [o.name for o in scoped(Organisation.objects.all(), taby)] == ["Täby BUK"]


def test_audit_selector_never_crosses_municipalities(sollentuna: Any, taby: Any) -> None:
    audit.record(actor=None, action="test.a", municipality=sollentuna)
    audit.record(actor=None, action="test.b", municipality=taby)
    # A new municipality's own setup (its vocabulary template) is audited too; only these two matter here.
    assert [e.action for e in audit_events_of(taby) if e.action.startswith("test.")] == ["test.b"]
    assert [e.action for e in audit_events_of(sollentuna) if e.action.startswith("test.")] == ["test.a"]


@pytest.mark.parametrize("path", ["/sollentuna/manage/audit/", "/sollentuna/manage/people/"])
def test_member_of_another_municipality_gets_404(verified_client: Any, tove: Any, path: str) -> None:
    assert verified_client(tove).get(path).status_code == 404


def test_coordinator_reads_own_audit_log(verified_client: Any, alice: Any) -> None:
    audit.record(actor=alice, action="plans.version.approved", municipality=alice.memberships.get().municipality)
    response = verified_client(alice).get("/sollentuna/manage/audit/")
    assert response.status_code == 200
    assert b"plans.version.approved" in response.content


def test_staff_may_not_read_the_audit_log(client: Any, bob: Any) -> None:
    client.force_login(bob)
    assert client.get("/sollentuna/manage/audit/").status_code == 403


def test_anonymous_is_sent_to_login(client: Any, sollentuna: Any) -> None:
    response = client.get("/sollentuna/manage/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_unknown_municipality_is_404(client: Any, db: Any) -> None:
    assert client.get("/nowhere/").status_code == 404


def test_administrator_grants_a_role_and_it_is_audited(verified_client: Any, ada: Any, sollentuna: Any) -> None:
    client = verified_client(ada)
    response = client.post("/sollentuna/manage/people/", {"email": "new@sollentuna.example", "full_name": "Ny",
                                                          "role": "staff", "organisation": ""})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="core.membership.granted", data__user="new@sollentuna.example")
    assert event.actor == ada
    assert event.municipality == sollentuna


def test_municipality_code_must_be_four_digits(db: Any) -> None:
    from django.core.exceptions import ValidationError

    from varna.core.models import Municipality

    with pytest.raises(ValidationError):
        Municipality(name="X", code="163", slug="x").full_clean()
    Municipality(name="X", code="0163", slug="x").full_clean()
