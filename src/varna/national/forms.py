"""The national map's choices: which measure, over which terms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from varna.core.formsystem import Form
from varna.core.terms import term_label
from varna.national.maps import DEFAULT_MEASURE
from varna.national.selectors import TermRange

MEASURE_CHOICES = [
    ("observations", _("People involved in observations")),
    ("plans", _("Age of the latest approved action plan")),
    ("training", _("People reached by training")),
]


class MapForm(Form):
    measure = forms.ChoiceField(label=_("Shade the map by"), choices=MEASURE_CHOICES, required=False)
    term_from = forms.ChoiceField(label=_("From term"), required=False,
                                  help_text=_("For observations and training."))
    term_to = forms.ChoiceField(label=_("To term"), required=False)

    def __init__(self, *args: Any, terms: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("Any"))] + [(t, term_label(t)) for t in terms]
        self.fields["term_from"].choices = choices
        self.fields["term_to"].choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, last = data.get("term_from"), data.get("term_to")
        if first and last and first > last:
            self.add_error("term_to", _("The last term must not come before the first."))
        return data

    def chosen(self) -> tuple[str, TermRange]:
        """What to show: each valid choice, and the default for a missing or invalid one (the form's
        errors say which), so that no address gives anything but the page."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        measure = data.get("measure") or DEFAULT_MEASURE
        if "term_to" in self.errors:
            return measure, TermRange(data.get("term_from") or "", "")
        return measure, TermRange(data.get("term_from") or "", data.get("term_to") or "")
