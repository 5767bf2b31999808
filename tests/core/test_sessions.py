"""A user sees their own sessions and can end the others (a forgotten login on a shared computer)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from varna.core.models import AuditEvent, UserSession

PASSWORD = "correct horse battery"


def _log_in(user: Any, agent: str) -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    assert client.post("/account/login/", {"email": user.email, "password": PASSWORD}).status_code == 302
    return client


def test_a_user_sees_their_sessions_and_ends_another(bob: Any, walter: Any) -> None:
    office = _log_in(bob, "Office browser")
    library = _log_in(bob, "Library browser")
    _log_in(walter, "Walter's browser")
    page = office.get("/account/sessions/")
    body = page.content.decode()
    assert "Office browser" in body
    assert "Library browser" in body
    assert "Walter" not in body
    other = UserSession.objects.get(user=bob, user_agent="Library browser")
    office.post("/account/sessions/", {"session": other.pk})
    assert library.get("/account/sessions/").status_code == 302  # logged out
    assert office.get("/account/sessions/").status_code == 200
    assert AuditEvent.objects.filter(action="core.session.ended", actor=bob).count() == 1


def test_a_user_cannot_end_someone_elses_session(bob: Any, walter: Any) -> None:
    office = _log_in(bob, "Office browser")
    walters = _log_in(walter, "Walter's browser")
    theirs = UserSession.objects.get(user=walter)
    office.post("/account/sessions/", {"session": theirs.pk})
    assert walters.get("/account/sessions/").status_code == 200


def test_end_all_other_sessions_keeps_the_current_one(bob: Any) -> None:
    clients = [_log_in(bob, f"Browser {n}") for n in range(3)]
    clients[0].post("/account/sessions/", {"all_others": "1"})
    assert [c.get("/account/sessions/").status_code for c in clients] == [200, 302, 302]


def test_logging_out_forgets_the_session(bob: Any) -> None:
    client = _log_in(bob, "Office browser")
    client.post("/account/logout/")
    assert not UserSession.objects.filter(user=bob).exists()
