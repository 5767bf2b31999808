"""Creating and revoking API tokens, audited."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from varna.api import selectors
from varna.api.models import ApiToken
from varna.core import audit
from varna.core.models import Municipality
from varna.core.permissions import NotPermitted, is_member


class ApiTokenError(Exception):
    pass


class ApiTokenPermissionError(ApiTokenError, NotPermitted):
    """Refused by a permission predicate (a 403 wherever it is not turned into a message)."""


# How long a new token may live, in days; the form offers these, the service refuses others.
LIFETIMES = (30, 90, 180, 365)
DEFAULT_LIFETIME = 90


@transaction.atomic
def token_create(*, actor: Any, municipality: Municipality, name: str,
                 days: int = DEFAULT_LIFETIME) -> tuple[ApiToken, str]:
    """A new token for the actor in `municipality`, ending after `days` (one of LIFETIMES). Returns the token
    and its secret, shown only once."""
    if not is_member(actor, municipality):
        raise ApiTokenPermissionError(_("You have no role in that municipality."))
    name = name.strip()[:100]
    if not name:
        raise ApiTokenError(_("Give the token a name."))
    if days not in LIFETIMES:
        raise ApiTokenError(_("Choose how long the token is valid: at most a year."))
    raw = "varna_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, municipality=municipality, name=name,
                                    token_hash=selectors.hash_token(raw), prefix=raw[:12],
                                    expires_at=timezone.now() + dt.timedelta(days=days))
    audit.record(actor=actor, action="api.token.created", municipality=municipality, obj=token,
                 data={"name": name, "days": days})
    return token, raw


@transaction.atomic
def token_revoke(*, actor: Any, token: ApiToken) -> None:
    if token.user_id != actor.pk:
        raise ApiTokenPermissionError(_("You can only revoke your own tokens."))
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action="api.token.revoked", municipality=token.municipality, obj=token)


def token_used(token: ApiToken) -> None:
    # Not audited per request; the timestamp shows the token is in use.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
