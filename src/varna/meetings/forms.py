from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varna.core.formsystem import Form
from varna.core.models import User
from varna.meetings.models import Action, Decision


class MeetingForm(Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Leave empty to use the group's name."))
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("The meeting must end after it starts."))
        return data

    def times(self) -> tuple[dt.datetime, dt.datetime]:
        zone = timezone.get_current_timezone()
        day = self.cleaned_data["date"]
        return (dt.datetime.combine(day, self.cleaned_data["starts"], zone),
                dt.datetime.combine(day, self.cleaned_data["ends"], zone))


class AgendaItemForm(Form):
    title = forms.CharField(label=_("Item"), max_length=300)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class HeldForm(Form):
    present = forms.MultipleChoiceField(label=_("Present"), required=False, widget=forms.CheckboxSelectMultiple)
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 8}),
                              help_text=_("No names or other personal data about individuals of concern."))

    def __init__(self, *args: Any, attendees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("present").choices = [
            (str(a.user_id), f"{a.user} ({a.organisation})" if a.organisation else str(a.user)) for a in attendees]


class MinutesForm(Form):
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 10}))


class DecisionForm(Form):
    text = forms.CharField(label=_("Decision"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ActionForm(Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    decision = forms.ModelChoiceField(label=_("Decision"), queryset=Decision.objects.none(), required=False)

    def __init__(self, *args: Any, owners: Any, decisions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model_choice_field("owner").queryset = owners
        self.model_choice_field("decision").queryset = decisions


class ActionStatusForm(Form):
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    note = forms.CharField(label=_("Comment"), max_length=500, required=False)
