"""The national map's choices: which measure, for which term."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from varna.core.formsystem import Form
from varna.core.terms import term_label
from varna.national.maps import DEFAULT_MEASURE

MEASURE_CHOICES = [
    ("observations", _("People involved in observations")),
    ("plans", _("Age of the latest approved action plan")),
    ("training", _("People reached by training")),
]


class MapForm(Form):
    measure = forms.ChoiceField(label=_("Shade the map by"), choices=MEASURE_CHOICES, required=False)
    # One whole term, never a range: tables of overlapping ranges could be subtracted (ADR 0016).
    term = forms.ChoiceField(label=_("Term"), required=False, help_text=_("For observations and training."))

    def __init__(self, *args: Any, terms: list[str], default_term: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default_term = default_term
        self.choice_field("term").choices = [(t, term_label(t)) for t in sorted({*terms, default_term})]

    def chosen(self) -> tuple[str, str]:
        """What to show: each valid choice, and the default for a missing or invalid one (the form's
        errors say which), so that no address gives anything but the page."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        return data.get("measure") or DEFAULT_MEASURE, data.get("term") or self.default_term
