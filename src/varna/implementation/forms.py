from django import forms
from django.utils.translation import gettext_lazy as _

from varna.core.formsystem import Form


class ConfirmForm(Form):
    round = forms.IntegerField(widget=forms.HiddenInput, required=False)
    organisation = forms.IntegerField(widget=forms.HiddenInput)
    how = forms.CharField(label=_("How was the unit informed?"), max_length=500, required=False,
                          help_text=_("For example: at the staff meeting on 12 March."))
