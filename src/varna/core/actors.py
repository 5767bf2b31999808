"""The actor of work no person asked for. Imports nothing of Django's models, so that an AppConfig may use it."""

from __future__ import annotations

from typing import Any


class SystemActor:
    """The actor of work no person asked for at that moment: a scheduled job, an operator's command, the demo
    loader, a municipality's own setup when it is created. Services take it where they would take a user, so
    that every write names its actor and checks its predicate; it holds every role (see `roles_in`), is never
    authenticated (the audit log records it without a person) and never comes from a request."""

    is_authenticated = False
    is_anonymous = False
    is_active = True
    is_superuser = False
    is_staff = False
    pk = None
    id = None
    email = ""
    organisation_name = ""

    def __init__(self, job: str = "system") -> None:
        self.job = job

    def __repr__(self) -> str:
        return f"SystemActor({self.job!r})"

    def get_username(self) -> str:
        return self.job


SYSTEM = SystemActor()


def is_system(actor: Any) -> bool:
    return isinstance(actor, SystemActor)
