from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varna.cases.models import AccessReview, AccessReviewItem, Case, ConcernLevel, LegalBasis, Referral
from varna.core.formsystem import Form
from varna.core.models import Municipality, Organisation, User
from varna.core.vocabulary import Gender, age_band_choices
from varna.knowledge import selectors as knowledge

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_OPTIONAL = [("", _("Not known or not relevant"))]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CaseForm(Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    age_band = forms.ChoiceField(label=_("Age band"), choices=age_band_choices)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    milieu_key = forms.ChoiceField(label=_("Milieu"), required=False)
    path_key = forms.ChoiceField(label=_("Path in"), required=False)

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A case keeps a milieu its municipality has since retired (ADR 0018); nothing new may choose one.
        # Likewise an age band retired when the bands were unified.
        self.choice_field("age_band").choices = age_band_choices(keep=self.initial.get("age_band") or "")
        own = self.initial.get("milieu_key")
        self.choice_field("milieu_key").choices = _OPTIONAL + [
            (m.key, m.label) for m in knowledge.milieus_of(municipality, include_retired=True)
            if not m.is_retired or m.key == own]
        self.choice_field("path_key").choices = _OPTIONAL + [(p.key, p.name) for p in knowledge.paths_of(municipality)]


class StatusForm(Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("New status"), choices=Case.Status.choices)


class ConcernForm(Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    level = forms.ChoiceField(label=_("Concern level"), required=False,
                              choices=[("", _("As the signs give"))] + list(ConcernLevel.choices))
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Required when you set a level of your own."))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("level") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the level differs from the one the signs give."))
        return data


class SignForm(Form):
    sign_key = forms.ChoiceField(label=_("Sign"))
    observed_on = forms.DateField(label=_("Observed on"), widget=_date_input())
    source = forms.ModelChoiceField(label=_("Reported by"), queryset=Organisation.objects.none(), required=False)

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("sign_key").choices = [(s.key, s.display_text) for s in knowledge.signs_of(municipality)]
        self.model_choice_field("source").queryset = Organisation.objects.filter(municipality=municipality)

    def clean_observed_on(self) -> Any:
        day = self.cleaned_data["observed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class NoteForm(Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000,
                           help_text=_("Write about what was done and decided. No names or identity numbers."))


class _PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name or obj.email} <{obj.email}>"


class ParticipantForm(Form):
    user = _PersonChoiceField(label=_("Person"), queryset=User.objects.none())

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model_choice_field("user").queryset = people


class PartnerInviteForm(Form):
    """Someone from another organisation (police, region psychiatry), invited by e-mail to this case only."""

    email = forms.EmailField(label=_("E-mail address"))
    name = forms.CharField(label=_("Name"), max_length=200)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none(),
                                          help_text=_("Shown next to their name wherever it appears."))

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model_choice_field("organisation").queryset = Organisation.objects.filter(municipality=municipality)


class IdentityForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    identity_number = forms.CharField(label=_("Personal identity number"), max_length=20, required=False)
    contact = forms.CharField(label=_("Contact details"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class StepUpForm(Form):
    purpose = forms.CharField(label=_("Purpose"), max_length=500, min_length=10,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("Why you need this now. It is saved in the access log."))
    code = forms.CharField(label=_("One-time code"), max_length=10,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
                           help_text=_("A new code from your authenticator app."))


class ReferralForm(Form):
    kind = forms.ChoiceField(label=_("Referral to"))
    legal_basis = forms.ModelChoiceField(label=_("Legal basis"), queryset=LegalBasis.objects.none())
    sent_on = forms.DateField(label=_("Sent on"), widget=_date_input())
    consent_given_by = forms.ChoiceField(label=_("Who consented"), required=False,
                                         choices=[("", "–")] + list(Referral.Consenter.choices))
    consent_given_on = forms.DateField(label=_("Consent given on"), required=False, widget=_date_input())
    consent_scope = forms.CharField(label=_("What the consent covers"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, kinds: list[tuple[str, StrOrPromise]], legal_bases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("kind").choices = kinds
        self.model_choice_field("legal_basis").queryset = legal_bases

    def clean(self) -> dict:
        data = super().clean()
        basis = data.get("legal_basis")
        if basis is not None and basis.is_consent and not (
                data.get("consent_given_by") and data.get("consent_given_on") and data.get("consent_scope")):
            raise forms.ValidationError(_("Consent needs who consented, when, and to what."))
        return data


class ReferralAnswerForm(Form):
    answer = forms.ChoiceField(label=_("Answer"), choices=[(Referral.Answer.ACCEPTED, _("Accepted")),
                                                           (Referral.Answer.DECLINED, _("Declined"))])
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    answered_on = forms.DateField(label=_("Answered on"), widget=_date_input())

    def clean(self) -> dict:
        data = super().clean()
        if data.get("answer") == Referral.Answer.DECLINED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the referral was declined."))
        return data


class LegalHoldForm(Form):
    hold = forms.BooleanField(label=_("Keep the case: legal hold"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class LegalBasisForm(Form):
    key = forms.SlugField(label=_("Key"), max_length=60)
    statute = forms.CharField(label=_("Statute"), max_length=200)
    section = forms.CharField(label=_("Section"), max_length=100, required=False)
    explanation = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 3}))
    is_consent = forms.BooleanField(label=_("This is consent"), required=False)
    reporting_duty = forms.BooleanField(label=_("Comes with a duty to report"), required=False)
    last_verified = forms.DateField(label=_("Last verified"), widget=_date_input())


class LogFilterForm(Form):
    """Sent by POST: a case code is case data and must not end up in a URL."""

    user = forms.EmailField(label=_("User (e-mail)"), required=False)
    code = forms.CharField(label=_("Case code"), max_length=12, required=False)
    start = forms.DateField(label=_("From"), required=False, widget=_date_input())
    end = forms.DateField(label=_("To"), required=False, widget=_date_input())


class ReviewStartForm(Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=AccessReview.Reason.choices)
    period_start = forms.DateField(label=_("From"), widget=_date_input())
    period_end = forms.DateField(label=_("To"), widget=_date_input())
    sample_percent = forms.IntegerField(label=_("Sample of users (%)"), min_value=1, max_value=100, initial=10)


class ReviewMarkForm(Form):
    verdict = forms.ChoiceField(label=_("Verdict"), choices=[
        (AccessReviewItem.Verdict.JUSTIFIED, _("Justified")),
        (AccessReviewItem.Verdict.NOT_JUSTIFIED, _("Not justified"))])
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)
