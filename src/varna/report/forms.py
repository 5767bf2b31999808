from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from varna.core.formsystem import Form
from varna.report.models import SCORES


class AssessmentForm(Form):
    number = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=12)
    score = forms.TypedChoiceField(label=_("Score"), choices=[("", _("Not assessed")), *SCORES], coerce=int,
                                   empty_value=None, required=False)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(label=_("Evidence in Värna"), required=False, max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 2}),
                               help_text=_("Links to meetings, logs or trainings that show it, one per line."))


AssessmentFormSet = forms.formset_factory(AssessmentForm, extra=0, max_num=12)
