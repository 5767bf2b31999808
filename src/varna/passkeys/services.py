"""Registering and using passkeys, with py_webauthn (the `webauthn` package) doing the ceremony checks:
challenge, origin, relying-party ID, user presence, signature and the signature counter."""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from varna.core import audit
from varna.core.permissions import NotPermitted
from varna.passkeys.models import Passkey
from varna.passkeys.selectors import passkeys_of

MAX_PASSKEYS = 10


class PasskeyError(Exception):
    """Refused; the message is for the person."""


class PasskeyPermissionError(PasskeyError, NotPermitted):
    """Refused by a permission predicate (a 403 wherever it is not turned into a message)."""


def _descriptors(user: Any) -> list[PublicKeyCredentialDescriptor]:
    return [PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.credential_id)) for p in passkeys_of(user)]


def registration_options(*, user: Any, rp_id: str) -> tuple[dict[str, Any], str]:
    """(options for navigator.credentials.create, the challenge to keep in the session)."""
    options = generate_registration_options(
        rp_id=rp_id, rp_name="Värna", user_name=user.email, user_display_name=user.full_name or user.email,
        exclude_credentials=_descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(resident_key=ResidentKeyRequirement.DISCOURAGED,
                                                               user_verification=UserVerificationRequirement.PREFERRED))
    return json.loads(options_to_json(options)), bytes_to_base64url(options.challenge)


def passkey_register(*, actor: Any, credential: str, challenge: str, rp_id: str, origin: str,
                     name: str) -> Passkey:
    """Add the passkey the browser made for `actor` (PasskeyError, audited, when the answer doesn't hold)."""
    try:
        return _register(actor=actor, credential=credential, challenge=challenge, rp_id=rp_id, origin=origin,
                         name=name)
    except PasskeyError:
        audit.record(actor=actor, action="core.passkey.refused", obj=actor, data={"step": "register"})
        raise


@transaction.atomic
def _register(*, actor: Any, credential: str, challenge: str, rp_id: str, origin: str, name: str) -> Passkey:
    if passkeys_of(actor).count() >= MAX_PASSKEYS:
        raise PasskeyError(_("You have ten passkeys already. Remove one first."))
    try:
        verified = verify_registration_response(credential=credential, expected_challenge=base64url_to_bytes(challenge),
                                                expected_rp_id=rp_id, expected_origin=origin)
    except (InvalidRegistrationResponse, ValueError, KeyError, TypeError) as exc:
        raise PasskeyError(_("The passkey could not be added. Try again.")) from exc
    credential_id = bytes_to_base64url(verified.credential_id)
    if Passkey.objects.filter(credential_id=credential_id).exists():
        raise PasskeyError(_("This passkey is added already."))
    passkey = Passkey.objects.create(user=actor, name=(name.strip() or _("Passkey"))[:64], confirmed=True,
                                     credential_id=credential_id, public_key=verified.credential_public_key,
                                     sign_count=verified.sign_count)
    audit.record(actor=actor, action="core.passkey.added", obj=actor, data={"passkey": passkey.name})
    return passkey


def authentication_options(*, user: Any, rp_id: str) -> tuple[dict[str, Any], str]:
    options = generate_authentication_options(rp_id=rp_id, allow_credentials=_descriptors(user),
                                              user_verification=UserVerificationRequirement.PREFERRED)
    return json.loads(options_to_json(options)), bytes_to_base64url(options.challenge)


def passkey_authenticate(*, user: Any, credential: str, challenge: str, rp_id: str, origin: str) -> Passkey:
    """The person's passkey that answered the challenge, its counter moved on; PasskeyError otherwise (audited,
    outside the refused transaction so that the failure stays in the log)."""
    try:
        return _authenticate(user=user, credential=credential, challenge=challenge, rp_id=rp_id, origin=origin)
    except PasskeyError:
        audit.record(actor=user, action="core.two_factor.failed", obj=user, data={"device": "passkey"})
        raise


@transaction.atomic
def _authenticate(*, user: Any, credential: str, challenge: str, rp_id: str, origin: str) -> Passkey:
    try:
        credential_id = json.loads(credential)["rawId"]
    except (ValueError, KeyError, TypeError):
        credential_id = ""
    passkey = passkeys_of(user).select_for_update().filter(credential_id=credential_id).first()
    try:
        if passkey is None:
            raise InvalidAuthenticationResponse("not one of this person's passkeys")
        verified = verify_authentication_response(
            credential=credential, expected_challenge=base64url_to_bytes(challenge), expected_rp_id=rp_id,
            expected_origin=origin, credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count)
    except (InvalidAuthenticationResponse, ValueError, KeyError, TypeError) as exc:
        raise PasskeyError(_("The passkey was not accepted. Try again, or use your authenticator app.")) from exc
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = timezone.now()
    passkey.save(update_fields=["sign_count", "last_used_at"])
    return passkey


@transaction.atomic
def passkey_remove(*, actor: Any, passkey: Passkey) -> None:
    if passkey.user_id != actor.pk:
        raise PasskeyError(_("You can only remove your own passkeys."))
    audit.record(actor=actor, action="core.passkey.removed", obj=actor, data={"passkey": passkey.name})
    passkey.delete()
