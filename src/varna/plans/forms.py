from typing import Any

from django import forms
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from varna.core import uploads
from varna.core.formsystem import Form
from varna.core.models import Municipality, Organisation
from varna.plans import fulfilment
from varna.plans.cadence import COUNTED_KINDS, CadenceKind
from varna.plans.models import DecisionBody, Level, PlanVersion

CADENCE_LABELS = {
    CadenceKind.PER_TERM: _("A number of times per term"),
    CadenceKind.PER_YEAR: _("A number of times per year"),
    CadenceKind.CONTINUOUS: _("Continuously"),
    CadenceKind.WHEN_NEEDED: _("When needed"),
    CadenceKind.ON_REQUEST: _("On request"),
    CadenceKind.PER_CURRICULUM: _("As the curriculum requires"),
}


def cadence_label(kind: str, count: int | None) -> str:
    from django.utils.translation import ngettext

    if kind == CadenceKind.PER_TERM:
        return ngettext("once per term", "%(n)s times per term", count or 0) % {"n": count}
    if kind == CadenceKind.PER_YEAR:
        return ngettext("once per year", "%(n)s times per year", count or 0) % {"n": count}
    return str(CADENCE_LABELS[CadenceKind(kind)])


class ActivityForm(Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    level = forms.ModelChoiceField(label=_("Level"), queryset=Level.objects.none())
    key = forms.SlugField(label=_("Key"), max_length=80,
                          help_text=_("Short and stable, e.g. prevent-parent-training. Used to compare versions."))
    direction = forms.CharField(label=_("Direction of work"), max_length=300)
    action = forms.CharField(label=_("What is done"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible = forms.ModelMultipleChoiceField(label=_("Responsible units"), queryset=Organisation.objects.none(),
                                                 required=False, widget=forms.CheckboxSelectMultiple)
    responsible_text = forms.CharField(label=_("Who is responsible, in words"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))
    cadence_kind = forms.ChoiceField(label=_("How often"), choices=[(k.value, CADENCE_LABELS[k]) for k in CadenceKind])
    cadence_count = forms.IntegerField(label=_("Number of times"), min_value=1, max_value=52, required=False,
                                       help_text=_("Only for “per term” and “per year”."))
    when_text = forms.CharField(label=_("When, in the plan's words"), max_length=300, required=False)
    fulfilled_by = forms.MultipleChoiceField(
        label=_("Fulfilled by"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("What, recorded elsewhere in Värna, counts as done for this activity without being logged "
                    "by hand."))

    def __init__(self, *args: Any, version: PlanVersion, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("fulfilled_by").choices = fulfilment.choices()
        self.model_choice_field("level").queryset = Level.objects.filter(version=version)
        self.model_choice_field("responsible").queryset = Organisation.objects.filter(municipality=municipality)

    def clean(self) -> dict:
        data = super().clean()
        kind, count = data.get("cadence_kind"), data.get("cadence_count")
        if kind in COUNTED_KINDS and not count:
            self.add_error("cadence_count", _("Say how many times."))
        if kind and kind not in COUNTED_KINDS:
            data["cadence_count"] = None
        return data


class LevelForm(Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=100)
    introduction = forms.CharField(label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 6}))


class ApproveForm(Form):
    """The decision that adopted the version, as the minutes record it; who enters it is recorded apart."""

    body_kind = forms.ChoiceField(label=_("Kind of deciding body"), choices=DecisionBody.choices)
    body = forms.CharField(label=_("Deciding body"), max_length=200,
                           help_text=_("As the body is called, e.g. Kommunfullmäktige or Socialnämnden."))
    date = forms.DateField(label=_("Decision date"), widget=forms.DateInput(attrs={"type": "date"}))
    paragraph = forms.CharField(label=_("Paragraph"), max_length=30, required=False,
                                help_text=_("The paragraph of the minutes, e.g. § 20."))
    registry_number = forms.CharField(label=_("Registry number (diarienummer)"), max_length=60, required=False,
                                      help_text=_("For example 2026/0042."))
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("Empty: from the decision date."))


class ReturnForm(Form):
    comment = forms.CharField(label=_("What should change"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("The editor sees this comment on their start page and in the draft."))


class ActivityFilterForm(Form):
    organisation = forms.ModelChoiceField(label=_("Responsible unit"), queryset=Organisation.objects.none(),
                                          required=False, empty_label=_("All units"), to_field_name="key")
    cadence = forms.ChoiceField(label=_("How often"), required=False,
                                choices=[("", _("Any"))] + [(k.value, CADENCE_LABELS[k]) for k in CadenceKind])

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model_choice_field("organisation").queryset = organisations


class ImportForm(Form):
    file = forms.FileField(label=_("Plan file (YAML)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("At most %(size)s, in Värna's plan format.") % {
            "size": filesizeformat(uploads.max_bytes())}

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        uploads.check_upload(upload)
        try:
            return uploads.read_upload(upload).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from exc


class ReviewIntervalForm(Form):
    months = forms.IntegerField(
        label=_("Revise every (months)"), min_value=1, max_value=120, required=False,
        help_text=_("12 for a yearly revision. Leave empty for no set interval."))
