"""Writes for single sign-on: who a provider's login is in Värna, and the roles its groups give.

The rules (tested as attacks in tests/sso):
- A provider's login only ever reaches its own municipality: an account that holds a role anywhere else (or is
  an operator) is refused, whichever provider asserts its e-mail address.
- A person is known by the provider's subject; an e-mail address ties a first login to an existing account only
  when that account has no roles outside the provider's municipality.
- No mapping row, no role: a provider without mappings creates (if allowed) accounts that see nothing.
- Roles given by a provider follow its groups claim at every login (added and removed, audited); roles an
  administrator granted in Värna are never touched. Roles that need a second administrator's approval are never
  given by a claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from varna.core import audit
from varna.core import selectors as core_selectors
from varna.core import services as core_services
from varna.core.actors import SYSTEM
from varna.core.models import User
from varna.core.permissions import NotPermitted
from varna.sso.models import ExternalIdentity, IdentityProvider, IdentityProviderDevice, ProvisionedRole


class SsoError(Exception):
    """A login through a provider that Värna refuses; the message is for the person (and translated)."""


class SsoPermissionError(SsoError, NotPermitted):
    """Refused by a permission predicate (a 403 wherever it is not turned into a message)."""


@dataclass(frozen=True)
class SsoLogin:
    user: User
    device: IdentityProviderDevice | None  # set when the provider's login counts as two factors


def strings(value: Any) -> list[str]:
    """A claim as a list of strings (one string, a list of them, or nothing usable)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, str)]
    return []


def refusal_record(*, provider: IdentityProvider, reason: str, **data: Any) -> None:
    """Audit a login through `provider` that stopped before anyone was known (bad state, bad signature)."""
    audit.record(actor=None, action="sso.login.refused", municipality=provider.municipality, obj=provider,
                 data={"reason": reason, **data})


def _refuse(provider: IdentityProvider, reason: str, message: str, **data: Any) -> SsoError:
    audit.record(actor=None, action="sso.login.refused", municipality=provider.municipality, obj=provider,
                 data={"reason": reason, **data})
    return SsoError(message)


def login_from_claims(*, provider: IdentityProvider, subject: str, claims: dict[str, Any],
                      assurance: list[str]) -> SsoLogin:
    """The account a verified assertion or ID token stands for, with its roles brought in step with the groups.

    `claims` are already verified (signature, audience, expiry, replay); `assurance` holds the acr/amr or
    AuthnContextClassRef values of this login. Raises SsoError (audited) when the login must not go on."""
    if not provider.enabled:
        raise _refuse(provider, "disabled", _("This way of logging in is not in use."))
    if not subject:
        raise _refuse(provider, "no_subject", _("The identity provider did not say who you are."))
    email = (strings(claims.get(provider.email_claim))[:1] or [""])[0].strip().lower()
    identity = ExternalIdentity.objects.filter(provider=provider, subject=subject).select_related("user").first()
    user = identity.user if identity else (User.objects.filter(email=email).first() if email else None)
    # Someone with an open invitation of this municipality (a partner coming through the federation) may come in
    # without an account: the account made here has no role, and the invitation still needs its link to be accepted.
    invited = user is None and bool(email) and core_selectors.open_invitation_exists(email, provider.municipality)
    if user is None and provider.unknown_users == IdentityProvider.UnknownUsers.REFUSE and not invited:
        raise _refuse(provider, "unknown", _("You have no account in Värna yet. Ask your municipality's "
                                             "administrator to give you a role, then log in again."),
                      email=email)
    if user is None and not email:
        raise _refuse(provider, "no_email", _("The identity provider did not give an e-mail address."))
    if user is not None and not user.is_active:
        raise _refuse(provider, "inactive", _("This account is closed."), user=user.email)
    if user is not None and (user.is_staff or user.is_superuser
                             or core_selectors.has_roles_outside(user, provider.municipality)):
        # Another municipality's account (or an operator's) must never be reached through this provider.
        raise _refuse(provider, "roles_elsewhere", _(
            "This account is used outside %(municipality)s, so it can't log in through this identity provider. "
            "Log in with your Värna password.") % {"municipality": provider.municipality.name}, user=user.email)
    return _provision(provider=provider, subject=subject, claims=claims, assurance=assurance, user=user,
                      identity=identity, email=email)


@transaction.atomic
def _provision(*, provider: IdentityProvider, subject: str, claims: dict[str, Any], assurance: list[str],
               user: User | None, identity: ExternalIdentity | None, email: str) -> SsoLogin:
    name = (strings(claims.get(provider.name_claim))[:1] or [""])[0][:200]
    if user is None:
        user = core_services.user_get_or_create(email=email, full_name=name)
    organisation_name = ""
    if provider.organisation_claim:
        organisation_name = (strings(claims.get(provider.organisation_claim))[:1] or [""])[0][:200]
    if identity is None:
        identity = ExternalIdentity.objects.create(provider=provider, subject=subject, user=user)
        audit.record(actor=user, action="sso.identity.linked", municipality=provider.municipality, obj=provider,
                     data={"user": user.email})
    identity.last_login_at = timezone.now()
    identity.organisation_name = organisation_name
    identity.save(update_fields=["last_login_at", "organisation_name"])
    _sync_roles(provider=provider, user=user, groups=strings(claims.get(provider.groups_claim)), name=name)
    device = None
    if provider.two_factor_set & set(assurance):
        device, _created = IdentityProviderDevice.objects.get_or_create(
            user=user, provider=provider, defaults={"name": provider.name[:64], "confirmed": True})
    audit.record(actor=user, action="sso.login.succeeded", municipality=provider.municipality, obj=provider,
                 data={"two_factor": device is not None})
    return SsoLogin(user=user, device=device)


def _sync_roles(*, provider: IdentityProvider, user: User, groups: list[str], name: str) -> None:
    from varna.core.services import roles_needing_approval

    municipality = provider.municipality
    wanted = {(m.role, m.organisation_id) for m in provider.role_mappings.all()
              if m.group_value in groups and m.role not in roles_needing_approval()}
    held = {(p.membership.role, p.membership.organisation_id): p
            for p in ProvisionedRole.objects.filter(provider=provider, membership__user=user)
            .select_related("membership", "membership__organisation")}
    added, removed = [], []
    for role, organisation_id in sorted(wanted - held.keys(), key=str):
        if core_selectors.membership_exact(user, municipality, role, organisation_id) is not None:
            continue  # granted in Värna already: stays the administrator's, not the provider's
        organisation = core_selectors.organisations_of(municipality).filter(pk=organisation_id).first() \
            if organisation_id else None
        membership = core_services.membership_grant(actor=SYSTEM, municipality=municipality, user=user, role=role,
                                                    organisation=organisation, name=name)
        ProvisionedRole.objects.create(provider=provider, membership=membership)
        added.append(role)
    for key in held.keys() - wanted:
        core_services.membership_revoke(actor=SYSTEM, membership=held[key].membership)
        removed.append(key[0])
    if added or removed:
        audit.record(actor=user, action="sso.roles.changed", municipality=municipality, obj=provider,
                     data={"user": user.email, "added": sorted(added), "removed": sorted(removed)})


def mappable_roles() -> list[str]:
    """Roles a groups claim may give: not those that need a second administrator (ASVS V4.3.3), nor the national
    analyst's (which belongs to no municipality)."""
    from varna.core.models import Role
    from varna.core.services import roles_needing_approval

    return [role for role in Role.values if role not in roles_needing_approval() and role != Role.NATIONAL_ANALYST]


_PROVIDER_FIELDS = ["slug", "name", "protocol", "enabled", "issuer", "client_id", "scopes", "saml_metadata_url",
                    "saml_idp_entity_id",
                    "saml_allow_idp_initiated", "email_claim", "name_claim", "groups_claim", "organisation_claim",
                    "unknown_users", "two_factor_values"]


@transaction.atomic
def provider_save(*, actor: Any, municipality: Any, provider: IdentityProvider, client_secret: str = "",
                  mapping_lines: list[Any] | None = None) -> IdentityProvider:
    """Create or change a provider of `municipality` (the secret only when a new one is typed) and, if given,
    replace its role mapping. Audited with what changed, never with the secret."""
    from varna.core.permissions import can_manage_people

    if not can_manage_people(actor, municipality):
        raise SsoPermissionError(_("Only an administrator of the municipality manages its identity providers."))
    if provider.pk and provider.municipality_id != municipality.pk:
        raise SsoError(_("This identity provider belongs to another municipality."))
    created = provider.pk is None
    provider.municipality = municipality
    if client_secret:
        provider.client_secret = client_secret
    provider.full_clean()
    provider.save()
    sp_key_ensure(provider=provider)
    data: dict[str, Any] = {field: getattr(provider, field) for field in _PROVIDER_FIELDS}
    data["secret_changed"] = bool(client_secret)
    if mapping_lines is not None:
        units = {o.key: o for o in core_selectors.organisations_of(municipality)}
        provider.role_mappings.all().delete()
        for line in mapping_lines:
            provider.role_mappings.get_or_create(group_value=line.group_value, role=line.role,
                                                 organisation=units.get(line.unit_key) if line.unit_key else None)
        data["mapping"] = [f"{line.group_value}={line.role}@{line.unit_key}" for line in mapping_lines]
    audit.record(actor=actor, action="sso.provider.created" if created else "sso.provider.changed",
                 municipality=municipality, obj=provider, data=data)
    return provider


def metadata_refresh(*, actor: Any, provider: IdentityProvider) -> IdentityProvider:
    """Read a SAML provider's metadata again from its address (a new signing certificate before the old one
    expires). Kept as it was if the new metadata can't be read or checked; audited either way (so not one
    transaction: the refusal's record stays)."""
    from varna.core.permissions import can_manage_people
    from varna.sso import saml

    if not can_manage_people(actor, provider.municipality):
        raise SsoPermissionError(_("Only an administrator of the municipality manages its identity providers."))
    if provider.protocol != IdentityProvider.Protocol.SAML or not provider.saml_metadata_url:
        raise SsoError(_("This identity provider has no metadata address."))
    try:
        xml = saml.fetch_metadata(provider.saml_metadata_url)
        metadata = saml.read_idp_metadata(xml)
    except saml.SamlError as exc:
        audit.record(actor=actor, action="sso.metadata.refresh_failed", municipality=provider.municipality,
                     obj=provider, data={"reason": str(exc)[:200]})
        raise SsoError(_("The metadata can't be used: %(reason)s.") % {"reason": exc}) from exc
    before = provider.saml_certificate_not_after
    provider.saml_metadata_xml, provider.saml_idp_entity_id = xml, metadata.entity_id
    provider.saml_certificate_not_after, provider.saml_metadata_fetched_at = metadata.certificate_not_after, \
        timezone.now()
    provider.save(update_fields=["saml_metadata_xml", "saml_idp_entity_id", "saml_certificate_not_after",
                                 "saml_metadata_fetched_at"])
    audit.record(actor=actor, action="sso.metadata.refreshed", municipality=provider.municipality, obj=provider,
                 data={"entity_id": metadata.entity_id, "certificate_before": before.isoformat() if before else None,
                       "certificate_now": metadata.certificate_not_after.isoformat()})
    return provider


def sp_key_ensure(*, provider: IdentityProvider) -> IdentityProvider:
    """Give a SAML provider Värna's own signing key pair if it has none yet (a provider saved before single
    logout existed gets one the first time its metadata is asked for). Audited; the key itself never is."""
    from varna.sso import saml

    if provider.protocol != IdentityProvider.Protocol.SAML or (provider.saml_sp_private_key
                                                                and provider.saml_sp_certificate):
        return provider
    pair = saml.generate_sp_key_pair(f"Värna {provider.municipality.slug} {provider.slug}")
    provider.saml_sp_private_key, provider.saml_sp_certificate = pair.key_pem, pair.cert_pem
    provider.save(update_fields=["saml_sp_private_key", "saml_sp_certificate"])
    audit.record(actor=None, action="sso.sp_key.created", municipality=provider.municipality, obj=provider,
                 data={"provider": provider.slug})
    return provider


def logout_refused(*, provider: IdentityProvider, reason: str) -> None:
    audit.record(actor=None, action="sso.logout.refused", municipality=provider.municipality, obj=provider,
                 data={"reason": reason})


def logout_from_idp(*, provider: IdentityProvider, subject: str) -> int:
    """The IdP says this person logged out there (its LogoutRequest is already verified): end all their Värna
    sessions. Only a person linked to this provider is touched; an unknown subject ends nothing."""
    identity = ExternalIdentity.objects.filter(provider=provider, subject=subject).select_related("user").first()
    ended = core_services.sessions_end_all(user=identity.user) if identity else 0
    audit.record(actor=identity.user if identity else None, action="sso.logout.idp", municipality=provider.municipality,
                 obj=provider, data={"known": identity is not None, "sessions_ended": ended})
    return ended
