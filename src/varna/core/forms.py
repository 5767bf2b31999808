from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from varna.core.formsystem import Form
from varna.core.models import Municipality, Organisation, Role


class LoginForm(Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class OneTimeCodeForm(Form):
    # Apps show the code as "123 456": a space in the middle is part of what people copy.
    code = forms.RegexField(
        label=_("Six-digit code from your authenticator app"), regex=r"^\s*\d{3}[ -]?\d{3}\s*$", max_length=12,
        error_messages={"invalid": _("Enter the six digits shown in your authenticator app.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_code(self) -> str:
        return "".join(ch for ch in self.cleaned_data["code"] if ch.isdigit())


class EnrolmentCodeForm(OneTimeCodeForm):
    code = forms.RegexField(
        label=_("Six-digit code from the e-mail"), regex=r"^\s*\d{3}[ -]?\d{3}\s*$", max_length=12,
        error_messages={"invalid": _("Enter the six digits from the e-mail Värna sent you.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class BackupCodeForm(Form):
    code = forms.RegexField(
        label=_("Backup code"), regex=r"^[\sA-Za-z0-9-]{10,20}$", max_length=20,
        error_messages={"invalid": _("A backup code has ten letters and digits, such as abcde-23456.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false",
                                      "autofocus": True}),
    )


class GrantRoleForm(Form):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(label=_("Name"), max_length=200, required=False,
                                help_text=_("Only needed when the person has no account yet."))
    role = forms.ChoiceField(label=_("Role"),
                             choices=[c for c in Role.choices if c[0] != Role.NATIONAL_ANALYST])
    organisation = forms.ModelChoiceField(label=_("Unit"), queryset=Organisation.objects.none(), required=False)

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model_choice_field("organisation").queryset = Organisation.objects.filter(municipality=municipality)


class InvitationAcceptForm(Form):
    """A new account's name and password; the e-mail address is the invitation's and can't be changed."""

    full_name = forms.CharField(label=_("Your name"), max_length=200,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    password = forms.CharField(label=_("Choose a password"), strip=False,
                               help_text=_("At least 12 characters. Not one you use elsewhere."),
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password_again = forms.CharField(label=_("The password again"), strip=False,
                                     widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", _("The two passwords are not the same."))
        return data


class SecondFactorResetForm(OneTimeCodeForm):
    """The administrator's own fresh code: resetting someone's second factor is a step-up action."""

    code = forms.RegexField(
        label=_("Six-digit code from your own authenticator app"), regex=r"^\s*\d{3}[ -]?\d{3}\s*$",
        max_length=12, error_messages={"invalid": _("Enter the six digits shown in your authenticator app.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))
