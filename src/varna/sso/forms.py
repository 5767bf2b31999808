from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from varna.core.formsystem import ModelForm
from varna.sso import mapping
from varna.sso.models import IdentityProvider


class ProviderForm(ModelForm):
    client_secret = forms.CharField(
        label=_("Client secret"), required=False, strip=True, max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Leave empty to keep the secret already saved. It is stored encrypted and never shown again."))
    issuer = forms.URLField(
        label=_("Issuer"), required=False, assume_scheme="https", max_length=200,
        help_text=_("The provider's issuer; its configuration is read from <issuer>/.well-known/openid-configuration."))
    saml_metadata_url = forms.URLField(
        label=_("IdP metadata address"), required=False, assume_scheme="https", max_length=500,
        help_text=_("Instead of pasting the XML: an https:// address Värna reads it from now and on "
                    "“Read the metadata again”. At most 1 MB, within 10 seconds."))
    role_mapping = forms.CharField(
        label=_("Groups that give roles"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One line per group: “group value = role” or “group value = role @ unit key”. A person "
                    "whose groups match no line gets no role."))

    class Meta:
        model = IdentityProvider
        fields = ["name", "slug", "protocol", "enabled", "issuer", "client_id", "scopes", "saml_metadata_url",
                  "saml_metadata_xml",
                  "saml_allow_idp_initiated", "email_claim", "name_claim", "groups_claim", "organisation_claim",
                  "unknown_users", "two_factor_values"]
        widgets = {"saml_metadata_xml": forms.Textarea(attrs={"rows": 6, "spellcheck": "false"})}

    def __init__(self, *args: Any, municipality: Any, roles: list[str], unit_keys: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality
        self._roles, self._unit_keys = roles, unit_keys
        self.mapping_lines: list[mapping.MappingLine] = []

    def clean_issuer(self) -> str:
        issuer = self.cleaned_data.get("issuer", "")
        if issuer and not issuer.startswith("https://") and not settings.VARNA_SSO_ALLOW_HTTP:
            raise forms.ValidationError(_("The issuer must be an https:// address."))
        return issuer

    def clean_role_mapping(self) -> str:
        text = self.cleaned_data.get("role_mapping", "")
        try:
            self.mapping_lines = mapping.parse(text, roles=self._roles, unit_keys=self._unit_keys)
        except mapping.MappingError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("protocol") == IdentityProvider.Protocol.OIDC:
            for field in ("issuer", "client_id"):
                if not data.get(field):
                    self.add_error(field, _("OpenID Connect needs this."))
            if not self.instance.client_secret and not data.get("client_secret"):
                self.add_error("client_secret", _("OpenID Connect needs this."))
        if data.get("protocol") == IdentityProvider.Protocol.SAML:
            url = data.get("saml_metadata_url", "")
            if url and (url != self.initial.get("saml_metadata_url") or not data.get("saml_metadata_xml", "").strip()):
                from django.utils import timezone

                from varna.sso import saml

                try:
                    data["saml_metadata_xml"] = saml.fetch_metadata(url)
                except saml.SamlError as exc:
                    self.add_error("saml_metadata_url", _("The metadata can't be read: %(reason)s.") % {
                        "reason": exc})
                    return data
                self.instance.saml_metadata_xml = data["saml_metadata_xml"]
                self.instance.saml_metadata_fetched_at = timezone.now()
            self._read_metadata(data.get("saml_metadata_xml", ""))
        return data

    def _read_metadata(self, xml: str) -> None:
        from varna.sso import saml

        if not xml.strip():
            self.add_error("saml_metadata_xml", _("SAML needs the identity provider's metadata."))
            return
        try:
            metadata = saml.read_idp_metadata(xml)
        except saml.SamlError as exc:
            self.add_error("saml_metadata_xml", _("The metadata can't be used: %(reason)s.") % {"reason": exc})
            return
        self.instance.saml_idp_entity_id = metadata.entity_id
        self.instance.saml_certificate_not_after = metadata.certificate_not_after
