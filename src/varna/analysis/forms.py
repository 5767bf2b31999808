"""Forms of the analysis: input validation only; the services check permissions, tenancy and the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from varna.analysis import selectors
from varna.analysis.models import TEXT_MAX, Certainty, Evidence, ExternalSource, Indicator, ReportingDuty
from varna.core.formsystem import Form
from varna.core.models import Municipality
from varna.plans.forms import ApproveForm

_TEXTAREA = forms.Textarea(attrs={"rows": 5})


class AnalysisForm(Form):
    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("For example: Situation picture and analysis 2025."))
    period_from = forms.ChoiceField(label=_("First term of the period"))
    period_to = forms.ChoiceField(label=_("Last term of the period"))
    summary = forms.CharField(label=_("Summary"), max_length=TEXT_MAX, required=False, widget=_TEXTAREA,
                              help_text=_("What the working group concluded, in a few sentences. No names."))

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        terms = selectors.term_choices(municipality)
        self.choice_field("period_from").choices = terms
        self.choice_field("period_to").choices = terms


class ProblemForm(Form):
    title = forms.CharField(label=_("The problem in one line"), max_length=200)
    what = forms.CharField(label=_("What is happening"), max_length=TEXT_MAX, widget=_TEXTAREA,
                           help_text=_("Describe what happens, never who it happens to: no names, numbers or "
                                       "addresses."))
    where = forms.CharField(label=_("Where"), max_length=300, required=False,
                            help_text=_("Districts or kinds of places (a school yard, a square, online)."))
    who = forms.CharField(label=_("Who is affected"), max_length=300, required=False,
                          help_text=_("Groups, e.g. pupils in years 7–9 or residents of a district."))
    since = forms.ChoiceField(label=_("Since when"), required=False)
    certainty = forms.ChoiceField(label=_("How sure is the working group"), choices=Certainty.choices,
                                  widget=forms.RadioSelect, initial=Certainty.MEDIUM)

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("since").choices = [("", _("Not known")), *selectors.term_choices(municipality)]


class EvidenceForm(Form):
    kind = forms.ChoiceField(label=_("Kind of evidence"), choices=Evidence.Kind.choices, widget=forms.RadioSelect)
    term = forms.ChoiceField(label=_("Term (observations)"), required=False)
    breakdown = forms.ChoiceField(label=_("Published table (observations)"), required=False)
    survey_question = forms.ChoiceField(label=_("Survey question"), required=False)
    monitoring_item = forms.TypedChoiceField(label=_("Monitoring item"), required=False, coerce=int,
                                             empty_value=None)
    figure = forms.TypedChoiceField(label=_("External figure"), required=False, coerce=int, empty_value=None)
    note = forms.CharField(label=_("What it shows"), max_length=300, required=False)

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from varna.monitoring import selectors as monitoring
        from varna.situation import selectors as situation

        self.choice_field("term").choices = [("", "–")] + selectors.term_choices(municipality)
        captions = {"category": _("People involved per category"), "district": _("People involved per district"),
                    "milieu": _("People involved per milieu"), "age": _("People involved per age band"),
                    "observations": _("Observations per category")}
        self.choice_field("breakdown").choices = [("", "–")] + [(k, captions[k]) for k in selectors.EVIDENCE_TABLES]
        from varna.situation.survey_bank import BY_KEY

        self.choice_field("survey_question").choices = [("", "–")] + [
            (f"{s.pk}:{q}", f"{s.title}: {BY_KEY[q].text}") for s in situation.surveys_of(municipality)
            for q in s.questions if q in BY_KEY]
        self.choice_field("monitoring_item").choices = [("", "–")] + [
            (i.pk, i.title[:120]) for i in monitoring.items_of(municipality).order_by("-published_at")[:100]]
        self.choice_field("figure").choices = [("", "–")] + [
            (f.pk, f"{f.series}, {f.area + ', ' if f.area else ''}{f.period} ({f.source.publisher})")
            for f in selectors.figures_of(municipality)[:500]]


class LinkForm(Form):
    activity = forms.ChoiceField(label=_("Activity that addresses the problem"))

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("activity").choices = selectors.activity_choices(municipality)


class DecisionForm(ApproveForm):
    """The decision that approved the analysis on its own (the same record as a plan version's)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["valid_from"]


class WithPlanForm(Form):
    plan = forms.ChoiceField(label=_("Approved with the plan"))

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from varna.plans import selectors as plans

        self.choice_field("plan").choices = [(p.slug, p.title) for p in plans.plans_of(municipality)]


class IndicatorForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("What is counted"), choices=Indicator.Kind.choices, widget=forms.RadioSelect)
    key = forms.ChoiceField(label=_("Category, district or milieu"), required=False)
    survey_answer = forms.ChoiceField(label=_("Survey question and answer"), required=False)
    series = forms.ChoiceField(label=_("External series"), required=False)
    activity = forms.ChoiceField(label=_("Activity (completion)"), required=False)
    direction = forms.ChoiceField(label=_("Better when"), choices=Indicator.Direction.choices,
                                  widget=forms.RadioSelect, initial=Indicator.Direction.DOWN)
    baseline_term = forms.ChoiceField(label=_("Baseline term"))
    baseline = forms.DecimalField(label=_("Baseline value"), required=False, max_digits=14, decimal_places=2,
                                  help_text=_("Empty: the figure of the baseline term."))
    target = forms.DecimalField(label=_("Target"), required=False, max_digits=14, decimal_places=2)
    target_term = forms.ChoiceField(label=_("Target by term"), required=False)

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from varna.situation import selectors as situation
        from varna.situation.survey_bank import BY_KEY, Kind

        keys: list[tuple[str, str]] = [("", "–")]
        for kind, label in ((Indicator.Kind.CATEGORY, _("Category")), (Indicator.Kind.MILIEU, _("Milieu"))):
            keys += [(f"{kind}:{k}", f"{label}: {name}") for k, name in situation.breakdown_values(municipality, kind)]
        keys += [(f"district:{d.key}", f"{_('District')}: {d.name}") for d in situation.districts_of(municipality)]
        self.choice_field("key").choices = keys
        answers: list[tuple[str, str]] = [("", "–")]
        asked = {q for s in situation.surveys_of(municipality) for q in s.questions}
        for key in sorted(asked):
            question = BY_KEY.get(key)
            if question is not None and question.options and question.kind != Kind.DISTRICT:
                answers += [(f"{key}:{k}", f"{question.text}: {v}") for k, v in question.options]
        self.choice_field("survey_answer").choices = answers
        self.choice_field("series").choices = [("", "–")] + [(s, s) for s in selectors.series_of(municipality)]
        self.choice_field("activity").choices = [("", "–")] + selectors.activity_choices(municipality)
        terms = selectors.term_choices(municipality)
        self.choice_field("baseline_term").choices = terms
        self.choice_field("target_term").choices = [("", "–")] + terms


class SourceForm(Form):
    """An external source entered by hand, with one figure (more can be imported from a file)."""

    kind = forms.ChoiceField(label=_("Kind of source"), choices=ExternalSource.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    publisher = forms.CharField(label=_("Published by"), max_length=200)
    url = forms.URLField(label=_("Address"), required=False, assume_scheme="https")
    published_on = forms.DateField(label=_("Published or retrieved on"), widget=forms.DateInput(attrs={"type": "date"}))
    series = forms.CharField(label=_("Measure"), max_length=200)
    area = forms.CharField(label=_("Area"), max_length=120, required=False)
    period = forms.CharField(label=_("Period"), max_length=20, help_text=_("For example 2025 or 2025-1."))
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    unit = forms.CharField(label=_("Unit"), max_length=40, help_text=_("For example reported crimes or percent."))


class DutyForm(Form):
    organisation = forms.ChoiceField(label=_("Unit"))
    rhythm = forms.ChoiceField(label=_("Reports"), choices=ReportingDuty.Rhythm.choices)
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from varna.core.selectors import organisations_of

        self.choice_field("organisation").choices = [(o.key, o.name) for o in organisations_of(municipality)]


class ImportForm(Form):
    """An external source as a CSV file of aggregate figures, with where it comes from."""

    kind = forms.ChoiceField(label=_("Kind of source"), choices=ExternalSource.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    publisher = forms.CharField(label=_("Published by"), max_length=200,
                                help_text=_("For example Brå, Polismyndigheten or the survey's publisher."))
    url = forms.URLField(label=_("Address"), required=False, assume_scheme="https")
    published_on = forms.DateField(label=_("Published or retrieved on"), widget=forms.DateInput(attrs={"type": "date"}))
    default_unit = forms.CharField(label=_("Unit"), max_length=40,
                                   help_text=_("Used where the file has no unit column, e.g. reported crimes."))
    file = forms.FileField(label=_("File (CSV)"), help_text=_(
        "A table of aggregates: a column for the measure (Mått, Brottskategori, Fråga), optionally area and "
        "unit, and either a Period and a Value column or one column per period (2023, 2024). Never rows about "
        "persons."))

    def clean_file(self) -> tuple[str, bytes]:
        from varna.core import uploads

        upload = self.cleaned_data["file"]
        uploads.check_upload(upload)
        return upload.name, uploads.read_upload(upload)
