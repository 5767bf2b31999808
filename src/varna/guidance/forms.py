"""The contact directory's forms: they validate what is typed; the services decide and record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varna.core.formsystem import Form
from varna.guidance import texts
from varna.guidance.models import MAX_AGE, ContactKind, VerificationMethod
from varna.guidance.phone import PhoneError, check_swedish_phone
from varna.guidance.services import Verification

_PHONE_ERRORS = {
    "characters": _("Write the number with digits, spaces and hyphens only, e.g. 08-123 456 78."),
    "country": _("Write a Swedish number, e.g. 08-123 456 78 or +46 8 123 456 78."),
    "length": _("The number has too few or too many digits for a Swedish number."),
    "short": _("A number without an area code must be a national short number such as 112, 1177 or 114 14."),
}


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VerificationForm(Form):
    """How the details were checked: asked with every verification and every change."""

    method = forms.ChoiceField(label=_("How did you check the details?"),
                               choices=[("", _("Choose …")), *VerificationMethod.choices])
    source = forms.CharField(label=_("Checked against"), max_length=300,
                             help_text=_("The web page's address, the person or office you spoke to, or the e-mail "
                                         "you received (sender and date)."))
    checked_on = forms.DateField(label=_("Checked on"), widget=_date_input())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("checked_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_checked_on(self) -> dt.date:
        day = self.cleaned_data["checked_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day

    def verification(self) -> Verification:
        data = self.cleaned_data
        return Verification(method=data["method"], source=data["source"], checked_on=data["checked_on"])


class ContactForm(VerificationForm):
    """A contact's details, then how they were checked."""

    key = forms.SlugField(label=_("Key"), max_length=60,
                          help_text=_("Short and stable, e.g. social-services-intake. The guide's routes refer to "
                                      "it; use the national contact's key to replace that contact in your guide."))
    name = forms.CharField(label=_("Name"), max_length=200)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Choose …")), *ContactKind.choices])
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    url = forms.URLField(label=_("Web address"), required=False, assume_scheme="https",
                         validators=[URLValidator(schemes=["https"])],
                         error_messages={"invalid": _("Enter a web address that starts with https://.")})
    opening_hours = forms.CharField(label=_("Opening hours"), max_length=200, required=False)
    description = forms.CharField(label=_("Who it is for and what they do"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    asker_roles = forms.MultipleChoiceField(label=_("Who may contact them"), required=False,
                                            widget=forms.CheckboxSelectMultiple,
                                            help_text=_("Leave all unticked if anyone may."))
    min_age = forms.IntegerField(label=_("From age"), required=False, min_value=0, max_value=MAX_AGE)
    max_age = forms.IntegerField(label=_("Up to age"), required=False, min_value=0, max_value=MAX_AGE)
    source_date = forms.DateField(label=_("Date the source gives"), required=False, widget=_date_input(),
                                  help_text=_("When the page or document was last updated, if it says."))

    field_order = ["key", "name", "organisation", "kind", "phone", "url", "opening_hours", "description",
                   "asker_roles", "min_age", "max_age", "method", "source", "checked_on", "source_date"]

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("asker_roles").choices = list(texts.ASKERS.items())
        if editing:
            # The guide's routes refer to the key: it stays what it is.
            del self.fields["key"]

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if not phone:
            return ""
        try:
            return check_swedish_phone(phone)
        except PhoneError as exc:
            raise forms.ValidationError(_PHONE_ERRORS[str(exc)]) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("phone") and not data.get("url") and "phone" not in self.errors and "url" not in self.errors:
            self.add_error("phone", _("Give a phone number or a web address, so that people can reach them."))
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", _("The upper age must not be below the lower age."))
        day = data.get("source_date")
        if day is not None and day > timezone.localdate():
            self.add_error("source_date", _("The date cannot be in the future."))
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in ("name", "organisation", "kind", "phone", "url", "opening_hours",
                                              "description", "asker_roles", "min_age", "max_age", "source_date")}


class RetireForm(Form):
    """Nothing to fill in: the confirmation page names the contact, and posting it is the confirmation."""


class DirectorySettingsForm(Form):
    stale_after_days = forms.IntegerField(
        label=_("A contact needs checking after (days)"), min_value=30, max_value=1095,
        help_text=_("Contacts not verified for this long are mailed to the coordinators weekly and noted quietly "
                    "on the public pages. 365 days (a year) unless you choose otherwise."))
