from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varna.core.formsystem import Form
from varna.core.models import Organisation
from varna.core.vocabulary import GENDER_COUNT_FIELDS
from varna.training.models import TrainingEvent


class TrainingEventForm(Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    topic = forms.ChoiceField(label=_("Topic"), choices=TrainingEvent.Topic.choices)
    audience = forms.ChoiceField(label=_("Audience"), choices=TrainingEvent.Audience.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    organiser = forms.ModelChoiceField(label=_("Organising unit"), queryset=Organisation.objects.none(),
                                       required=False)
    organiser_text = forms.CharField(label=_("External organiser"), max_length=200, required=False,
                                     help_text=_("For example an association or a national authority."))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model_choice_field("organiser").queryset = organisations

    def clean_date(self) -> Any:
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("Register a training once it has taken place."))
        return date


class AttendanceForm(Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none(),
                                          required=False, empty_label=_("None (e.g. parents)"))

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model_choice_field("organisation").queryset = organisations
        # One number per gender of the national list, named and labelled by it (``n_female``, ...).
        for name, gender in GENDER_COUNT_FIELDS:
            self.fields[name] = forms.IntegerField(label=gender.label, min_value=0, max_value=10000, required=False)

    def counts(self) -> dict[str, int]:
        """The cleaned numbers by gender key, an empty field counting as 0."""
        return {gender.value: self.cleaned_data.get(name) or 0 for name, gender in GENDER_COUNT_FIELDS}


AttendanceFormSet = forms.formset_factory(AttendanceForm, extra=4, max_num=50)


class CoverageFilterForm(Form):
    topic = forms.ChoiceField(label=_("Topic"), required=False,
                              choices=[("", _("All topics")), *TrainingEvent.Topic.choices])
