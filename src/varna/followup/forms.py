from __future__ import annotations

from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from varna.core import uploads
from varna.core.formsystem import Form
from varna.core.models import Organisation
from varna.core.terms import Term
from varna.followup import services
from varna.plans.models import Activity, Plan

# Extension → how the file's first bytes must look. Office Open XML and OpenDocument files are ZIP archives.
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "txt": (),
}


class ActivityChoiceField(forms.ModelChoiceField[Activity]):
    several_plans = False

    def label_from_instance(self, obj: Activity) -> str:
        label = f"{obj.level.name}: {obj.direction}"
        return f"{obj.version.plan.title} – {label}" if self.several_plans else label


class ActivityLogForm(Form):
    activity = ActivityChoiceField(label=_("Activity"), queryset=Activity.objects.none())
    organisation = forms.ModelChoiceField(
        label=_("Unit"), queryset=Organisation.objects.none(), required=False,
        empty_label=_("The responsible units together"),
        help_text=_("Staff and managers log for their own unit."))
    # The rules (no future date, the length, the number of participants, an http(s) link, the guard) are the
    # service's, which names the field at fault; the browser is told the bounds too.
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label=_("What was done"),
                                  widget=forms.Textarea(attrs={"rows": 4, "maxlength": services.DESCRIPTION_MAX}),
                                  help_text=_("No names or other personal data about individuals."))
    participants = forms.IntegerField(label=_("Number of participants"), required=False, widget=forms.NumberInput(
        attrs={"min": 0, "max": services.MAX_PARTICIPANTS}))
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https",
                          error_messages={"invalid": services.LINK_INVALID})
    attachment = forms.FileField(label=_("Attachment"), required=False)

    def __init__(self, *args: Any, activities: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachment"].help_text = _(
            "At most %(size)s: PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG or text.") % {
            "size": filesizeformat(uploads.max_bytes())}
        activity = self.fields["activity"]
        if not isinstance(activity, ActivityChoiceField):  # declared above; narrowed for the type checker
            raise TypeError("the activity field is an ActivityChoiceField")
        activity.queryset = activities
        activity.several_plans = len({a.version.plan_id for a in activities}) > 1
        self.model_choice_field("organisation").queryset = organisations

    def clean_attachment(self) -> Any:
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        uploads.check_upload(upload)
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in _SIGNATURES:
            raise forms.ValidationError(_("This kind of file is not accepted."))
        head = upload.read(16)
        upload.seek(0)
        signatures = _SIGNATURES[extension]
        if signatures and not head.startswith(signatures):
            raise forms.ValidationError(_("The file's content does not match its name."))
        if not signatures and b"\x00" in upload.read(8192):
            raise forms.ValidationError(_("The file's content does not match its name."))
        upload.seek(0)
        return upload


class PlanChoiceField(forms.ModelChoiceField):
    """Filter by plan, by its address name; empty means every plan of the municipality."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(label=_("Plan"), queryset=Plan.objects.none(), required=False, empty_label=_("All plans"),
                         to_field_name="slug", **kwargs)


class ComplianceFilterForm(Form):
    plan = PlanChoiceField()
    term = forms.ChoiceField(label=_("Term"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Organisation.objects.none(), required=False,
                                  empty_label=_("All units"), to_field_name="key")

    def __init__(self, *args: Any, terms: list[Term], levels: list[tuple[str, str]], units: Any, plans: Any,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model_choice_field("plan").queryset = plans
        self.choice_field("term").choices = [(t.key, t.label) for t in terms]
        self.choice_field("level").choices = [("", _("All levels")), *levels]
        self.model_choice_field("unit").queryset = units

    def clean_term(self) -> Term | None:
        code = self.cleaned_data.get("term")
        return Term.parse(code) if code else None


class LogFilterForm(Form):
    """The activity log's filters; the page and its exports read the same query string."""

    plan = PlanChoiceField()
    activity = forms.ChoiceField(label=_("Activity"), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Organisation.objects.none(), required=False,
                                  empty_label=_("All units"), to_field_name="key")
    term = forms.ChoiceField(label=_("Term"), required=False)

    def __init__(self, *args: Any, activities: list[tuple[str, str]], units: Any, terms: list[Term], plans: Any,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model_choice_field("plan").queryset = plans
        self.choice_field("activity").choices = [("", _("All activities")), *activities]
        self.model_choice_field("unit").queryset = units
        self.choice_field("term").choices = [("", _("All terms")), *((t.key, t.label) for t in terms)]
