from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from varna.core import audit
from varna.core.models import AuditEvent, AuditImmutableError

PASSWORD = "correct horse battery"


def test_audit_event_cannot_be_changed_through_the_orm(db: Any) -> None:
    event = audit.record(actor=None, action="test.thing")
    event.action = "test.other"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()


@pytest.mark.parametrize("statement", ["UPDATE core_auditevent SET action = 'forged'",
                                       "DELETE FROM core_auditevent"])
def test_the_database_refuses_to_change_audit_events(db: Any, statement: str) -> None:
    audit.record(actor=None, action="test.thing")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEvent.objects.get().action == "test.thing"


def test_login_logout_and_failed_login_are_audited(client: Any, bob: Any) -> None:
    client.post("/account/login/", {"email": bob.email, "password": "not the password"})
    client.post("/account/login/", {"email": bob.email, "password": PASSWORD})
    client.post("/account/logout/")
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[-3:] == ["core.user.login_failed", "core.user.logged_in", "core.user.logged_out"]
    failed = AuditEvent.objects.get(action="core.user.login_failed")
    assert failed.data == {"email": bob.email}
    assert "not the password" not in str(failed.data)


def test_role_changes_are_audited(db: Any, sollentuna: Any, ada: Any, bob: Any) -> None:
    from varna.core import services

    membership = services.membership_grant(actor=ada, municipality=sollentuna, user=bob, role="manager")
    services.membership_revoke(actor=ada, membership=membership)
    actions = list(AuditEvent.objects.filter(actor=ada).values_list("action", flat=True))
    assert sorted(actions) == ["core.membership.granted", "core.membership.revoked"]


def test_audit_admin_is_read_only(db: Any) -> None:
    from django.contrib import admin
    from django.test import RequestFactory

    model_admin = admin.site._registry[AuditEvent]
    request = RequestFactory().get("/")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
