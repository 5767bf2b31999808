"""Identity providers of a municipality, as data: who may log in through which IdP, and which roles follow.

Nothing about an IdP lives in settings. A provider belongs to one municipality; its login can only ever give
roles in that municipality (varna.sso.services.login_from_claims)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from varna.core.fields import EncryptedTextField
from varna.core.models import Membership, Municipality, Organisation, Role


class IdentityProvider(models.Model):
    class Protocol(models.TextChoices):
        OIDC = "oidc", _("OpenID Connect")
        SAML = "saml", _("SAML 2.0")

    class UnknownUsers(models.TextChoices):
        REFUSE = "refuse", _("Refuse people who have no account in Värna")
        CREATE = "create", _("Create an account without any role")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="identity_providers")
    slug = models.SlugField(_("address name"), max_length=60)
    name = models.CharField(_("name shown on the login page"), max_length=100)
    protocol = models.CharField(_("protocol"), max_length=4, choices=Protocol.choices, default=Protocol.OIDC)
    enabled = models.BooleanField(_("in use"), default=True)
    # OpenID Connect
    issuer = models.URLField(_("issuer"), blank=True,
                             help_text=_("The provider's issuer; its configuration is read from "
                                         "<issuer>/.well-known/openid-configuration."))
    client_id = models.CharField(_("client ID"), max_length=200, blank=True)
    client_secret = EncryptedTextField(_("client secret"), blank=True)
    scopes = models.CharField(_("scopes"), max_length=200, default="openid email profile")
    # SAML 2.0: the IdP's metadata as uploaded, and what Värna read from it when it was saved.
    saml_metadata_xml = models.TextField(_("IdP metadata (XML)"), blank=True)
    # Where the metadata was fetched from, if it was (a federation's or the IdP's own address), and when.
    saml_metadata_url = models.URLField(
        _("IdP metadata address"), max_length=500, blank=True,
        help_text=_("Instead of pasting the XML: an https:// address Värna reads it from now and on "
                    "“Read the metadata again”. At most 1 MB, within 10 seconds."))
    saml_metadata_fetched_at = models.DateTimeField(_("metadata read"), null=True, blank=True)
    saml_idp_entity_id = models.CharField(_("IdP entity ID"), max_length=500, blank=True)
    saml_certificate_not_after = models.DateTimeField(_("IdP signing certificate valid until"), null=True,
                                                      blank=True)
    saml_allow_idp_initiated = models.BooleanField(
        _("accept logins started at the IdP"), default=False,
        help_text=_("Off: an answer is accepted only when it replies to a login started in Värna, in the same "
                    "browser."))
    # Värna's own signing key for this provider (single logout messages), made when the provider is set up for
    # SAML; the private key encrypted like the cases' fields, the certificate published in Värna's SP metadata.
    saml_sp_private_key = EncryptedTextField(_("SP signing key"), blank=True)
    saml_sp_certificate = models.TextField(_("SP signing certificate (PEM)"), blank=True)
    # Claims (OIDC) or attributes (SAML)
    email_claim = models.CharField(_("e-mail claim"), max_length=200, default="email")
    name_claim = models.CharField(_("name claim"), max_length=200, default="name")
    groups_claim = models.CharField(_("groups claim"), max_length=200, default="groups")
    organisation_claim = models.CharField(_("organisation claim"), max_length=200, blank=True)
    unknown_users = models.CharField(_("people without an account"), max_length=10, choices=UnknownUsers.choices,
                                     default=UnknownUsers.REFUSE)
    two_factor_values = models.CharField(
        _("values that count as two factors"), max_length=500, blank=True,
        help_text=_("acr or amr values (OpenID Connect) or AuthnContextClassRef values (SAML), separated by "
                    "spaces. A login with one of them needs no second factor in Värna; otherwise roles that see "
                    "cases still ask for one."))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "slug"],
                                               name="idp_slug_unique_per_municipality")]

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality})"

    @property
    def two_factor_set(self) -> frozenset[str]:
        return frozenset(self.two_factor_values.split())


class RoleMapping(models.Model):
    """A value of the groups claim that gives a role (in the provider's municipality). No row, no role."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="role_mappings")
    group_value = models.CharField(_("group value"), max_length=300)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                     verbose_name=_("unit"))

    class Meta:
        verbose_name = _("role mapping")
        verbose_name_plural = _("role mappings")
        ordering = ["group_value", "role"]
        constraints = [models.UniqueConstraint(fields=["provider", "group_value", "role", "organisation"],
                                               name="role_mapping_unique")]

    def __str__(self) -> str:
        return f"{self.group_value} → {self.get_role_display()}"


class ExternalIdentity(models.Model):
    """A person as one provider knows them (its subject), tied to a Värna account."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.PROTECT, related_name="identities")
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities")
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [models.UniqueConstraint(fields=["provider", "subject"], name="external_identity_unique")]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.provider}"


class ProvisionedRole(models.Model):
    """A role membership that a provider's groups claim gave, so that it goes when the claim no longer does.
    Roles granted in Värna by an administrator have no row here and are never touched by a login."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="provisioned_roles")
    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.membership} ← {self.provider}"


class IdentityProviderDevice(Device):
    """Stands for "this login was made at a provider whose assurance the municipality counts as two factors".

    django-otp treats the session as verified when it holds a confirmed device of the user; this one takes no
    code (``verify_token`` is always False) and is handed to ``otp_login`` only by the provider's callback."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="+")

    class Meta(Device.Meta):
        verbose_name = _("identity provider login")

    def is_interactive(self) -> bool:
        return False

    def verify_token(self, token: str) -> bool:
        return False
