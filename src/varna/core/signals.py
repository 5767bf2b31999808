"""Logins, logouts and failed logins are audited wherever they happen (site, admin, API)."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from varna.core import audit
from varna.core.clientip import client_ip
from varna.core.models import UserSession


@receiver(user_logged_in)
def _audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(actor=user, action="core.user.logged_in", obj=user, ip_address=client_ip(request))
    session = getattr(request, "session", None)
    if session is not None:
        if session.session_key is None:
            session.save()
        UserSession.objects.update_or_create(session_key=session.session_key, defaults={
            "user": user, "ip_address": client_ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200]})


@receiver(user_logged_out)
def _audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(actor=user, action="core.user.logged_out", obj=user, ip_address=client_ip(request))
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        UserSession.objects.filter(session_key=session.session_key).delete()


@receiver(user_login_failed)
def _audit_login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    # Record the address tried, never the password.
    attempted = str(credentials.get("email") or credentials.get("username") or "")[:254]
    audit.record(actor=None, action="core.user.login_failed", data={"email": attempted}, ip_address=client_ip(request))
