"""Input validation for observations, filters and imports. The personal-data guard runs here too, so a
person sees what to change before anything reaches the service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varna.core import uploads
from varna.core.formsystem import Form
from varna.core.models import Municipality, Organisation
from varna.core.terms import term_label
from varna.disclosure import guard as personal_data_guard
from varna.knowledge import selectors as knowledge
from varna.situation import services
from varna.situation.choices import AGE_BANDS, COUNT_FIELDS, GENDERS, MAX_PEOPLE_PER_CELL, AgeBand, Gender, count_field
from varna.situation.models import DESCRIPTION_MAX, District


class _VocabularyChoiceField(forms.ChoiceField):
    """Shows the municipality's entries; which key may be saved is the service's rule (a retired entry
    stays on the observation that has it), so the form and the API refuse a key with the same words."""

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)


class _VocabularyMultipleChoiceField(forms.MultipleChoiceField):
    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)


class ObservationForm(Form):
    """Parses what a person entered. The rules (dates, counts, vocabulary, length, the guard) are the
    service's, which raises :class:`services.InvalidValue` naming the field; the view shows it there."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none(), to_field_name="key",
                                      error_messages={"invalid_choice": services.UNKNOWN_DISTRICT})
    # Choices are the municipality's vocabulary (knowledge base, ADR 0018), set in __init__.
    category = _VocabularyChoiceField(label=_("Category"))
    milieu = _VocabularyChoiceField(label=_("Milieu"))
    signs = _VocabularyMultipleChoiceField(label=_("Signs seen"), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    source_organisation = forms.ModelChoiceField(label=_("Source organisation"), required=False,
                                                 queryset=Organisation.objects.none(), to_field_name="key",
                                                 error_messages={"invalid_choice": services.UNKNOWN_ORGANISATION})
    # The length is the service's rule; the browser is told it too.
    description = forms.CharField(
        label=_("Short description"), required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": DESCRIPTION_MAX}),
        help_text=_("At most 500 characters. No names, identity numbers, phone numbers, e-mail or street "
                    "addresses: describe roles and places in general terms."))

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vocabulary = self.vocabulary = knowledge.vocabulary_of(municipality)
        # An edited observation keeps a retired entry it already has; nothing new may choose one.
        own = self.initial
        self.kept = {"category": [own.get("category")], "milieu": [own.get("milieu")], "signs": own.get("signs") or []}
        self.choice_field("category").choices = [("", "")] + vocabulary.choices("category", keep=[own.get("category")])
        self.choice_field("milieu").choices = [("", "")] + vocabulary.choices("milieu", keep=[own.get("milieu")])
        self.choice_field("signs").choices = vocabulary.choices("sign", keep=own.get("signs") or [])
        self.model_choice_field("district").queryset = District.objects.filter(municipality=municipality)
        self.model_choice_field("source_organisation").queryset = Organisation.objects.filter(municipality=municipality)
        for name, gender, age in COUNT_FIELDS:
            # The range is the service's rule (services.count_problem); the browser is told it too.
            self.fields[name] = forms.IntegerField(
                label=f"{Gender(gender).label}, {AgeBand(age).label}", required=False, initial=0,
                widget=forms.NumberInput(attrs={"min": 0, "max": MAX_PEOPLE_PER_CELL}))

    def count_rows(self) -> list[tuple[object, list[forms.BoundField]]]:
        """The count fields as a gender × age-band grid for the template."""
        return [(g.label, [self[count_field(g.value, a.value)] for a in AGE_BANDS]) for g in GENDERS]

    def age_headers(self) -> list[object]:
        return [band.label for band in AGE_BANDS]

    def clean_description(self) -> str:
        text = self.cleaned_data["description"].strip()
        messages = personal_data_guard.problems(text, label=_("description"))
        if messages:
            raise forms.ValidationError(messages)
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, _g, _a in COUNT_FIELDS:
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        # The service's rules, every problem on its field at once; the service checks them again on saving.
        parsed = {name: value for name, value in data.items() if name in services.EDITABLE}
        for problem in services.value_problems(parsed, vocabulary=self.vocabulary, today=timezone.localdate(),
                                               kept=self.kept):
            self.add_error(problem.field, str(problem))
        return data

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in services.EDITABLE}


def _every(kind: str, vocabulary: Any) -> list[tuple[str, str]]:
    return [(entry.key, entry.label) for entry in vocabulary.of(kind)]


def _term_choices(terms: list[str]) -> list[tuple[str, str]]:
    return [("", "")] + [(t, term_label(t)) for t in terms]


class DashboardFilterForm(Form):
    """The dashboard's choices. The working group's own view may take any term range and filters (its
    members may list the observations themselves); published figures come from the catalogue only: one
    whole term, no other filter (ADR 0016), so a reader outside the working group chooses just a term."""

    term = forms.ChoiceField(label=_("Term"), required=False)
    term_from = forms.ChoiceField(label=_("From term"), required=False)
    term_to = forms.ChoiceField(label=_("To term"), required=False)
    district = forms.ModelChoiceField(label=_("District"), required=False, queryset=District.objects.none(),
                                      to_field_name="key", empty_label=_("All districts"))
    milieu = forms.ChoiceField(label=_("Milieu"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    published = forms.BooleanField(label=_("Show as published (one whole term; counts of 7 or fewer hidden, "
                                           "others rounded to 5)"), required=False)

    def __init__(self, *args: Any, municipality: Municipality, terms: list[str], internal: bool,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.internal = internal
        vocabulary = knowledge.vocabulary_of(municipality)  # retired entries too: past terms used them
        self.choice_field("milieu").choices = [("", _("All milieus")), *_every("milieu", vocabulary)]
        self.choice_field("category").choices = [("", _("All categories")), *_every("category", vocabulary)]
        self.model_choice_field("district").queryset = District.objects.filter(municipality=municipality)
        self.choice_field("term_from").choices = _term_choices(terms)
        self.choice_field("term_to").choices = _term_choices(terms)
        self.choice_field("term").choices = [(t, term_label(t)) for t in reversed(terms)]
        if internal:
            del self.fields["term"]
        else:
            # Outside the working group everything is published: one whole term, nothing else to choose.
            for name in ("term_from", "term_to", "district", "milieu", "category", "published"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, last = data.get("term_from"), data.get("term_to")
        if first and last and first > last:
            self.add_error("term_to", _("The last term must not come before the first."))
        if data.get("published"):
            if first != last or any(data.get(name) for name in ("district", "milieu", "category")):
                raise forms.ValidationError(_(
                    "Published figures are made for one whole term without other filters, so that tables "
                    "can't be subtracted from each other: choose the same term in “From term” and “To term” "
                    "and clear the district, milieu and category."))
            data["term"] = first
        return data

    def published_term(self, terms: list[str]) -> str:
        """The one term that published figures are for: the chosen one, else the latest."""
        chosen = self.cleaned_data.get("term", "") if self.is_bound and self.is_valid() else ""
        return chosen or (terms[-1] if terms else "")


class ImportForm(Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("At most %(size)s. Use the template: one observation per row.") % {
            "size": filesizeformat(uploads.max_bytes())}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        uploads.check_upload(upload)
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


class SurveyForm(Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    opens_on = forms.DateField(label=_("Opens"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Closes"), widget=forms.DateInput(attrs={"type": "date"}))
    questions = forms.MultipleChoiceField(label=_("Questions from the bank"), widget=forms.CheckboxSelectMultiple)
    audiences = forms.MultipleChoiceField(label=_("Audiences (one link each)"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from varna.situation.survey_bank import BANK, Audience

        super().__init__(*args, **kwargs)
        self.choice_field("questions").choices = [(q.key, q.text) for q in BANK]
        self.choice_field("audiences").choices = Audience.choices

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The survey must close after it opens."))
        return data


class SurveyAnswerForm(Form):
    """Every question optional: a respondent may skip any."""

    def __init__(self, *args: Any, survey: Any, **kwargs: Any) -> None:
        from varna.situation.survey_bank import BY_KEY, Kind

        super().__init__(*args, **kwargs)
        districts = [(d.key, d.name) for d in District.objects.filter(municipality=survey.municipality)]
        for key in survey.questions:
            question = BY_KEY[key]
            if question.kind == Kind.TEXT:
                self.fields[key] = forms.CharField(label=question.text, required=False, max_length=500,
                                                   widget=forms.Textarea(attrs={"rows": 3}))
            else:
                options = districts if question.kind == Kind.DISTRICT else question.options
                self.fields[key] = forms.ChoiceField(label=question.text, required=False, choices=options,
                                                     widget=forms.RadioSelect)

    def clean(self) -> dict[str, Any]:
        from varna.situation.survey_bank import BY_KEY, Kind

        data = super().clean()
        for key, value in list(data.items()):
            if BY_KEY[key].kind == Kind.TEXT and value:
                messages = personal_data_guard.problems(value, label=str(BY_KEY[key].text))
                if messages:
                    self.add_error(key, messages)
        if not any(value not in (None, "") for value in data.values()) and not self.errors:
            # Every question may be skipped, but not all of them: an empty answer says nothing and would
            # count as a respondent in the response rate.
            raise forms.ValidationError(_("Answer at least one question before you send your answers."),
                                        code="empty")
        return data


class GeoJSONForm(Form):
    file = forms.FileField(label=_("District boundaries (GeoJSON)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A FeatureCollection of polygons, each with properties.key set to a district key. At most %(size)s."
        ) % {"size": filesizeformat(uploads.max_bytes())}

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        uploads.check_upload(upload)
        try:
            return uploads.read_upload(upload).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from exc
