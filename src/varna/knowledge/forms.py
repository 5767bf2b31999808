from typing import Any

from django import forms
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varna.core import uploads
from varna.core.formsystem import Form
from varna.core.models import Municipality
from varna.knowledge import vocabulary
from varna.knowledge.models import Milieu, Tier, validate_lexicon_image


class LexiconSearchForm(Form):
    q = forms.CharField(label=_("Search the lexicon"), max_length=100, required=False)


class SignForm(Form):
    text = forms.CharField(label=_("Sign"), max_length=300)
    description = forms.CharField(label=_("In plain words"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("Shown under the sign in the guide. Write for someone who is worried."))
    text_en = forms.CharField(label=_("Sign in English"), max_length=300, required=False)
    description_en = forms.CharField(label=_("In plain words, in English"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}))


class _MilieuChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.retired_at is not None:
            return _("%(name)s (no longer used since %(day)s)") % {
                "name": obj.name, "day": timezone.localdate(obj.retired_at).isoformat()}
        return str(obj.name)


class LexiconEntryForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    milieu = _MilieuChoiceField(label=_("Milieu"), queryset=Milieu.objects.none(), required=False,
                                empty_label=_("Several or none"))
    description = forms.CharField(label=_("What it is"), widget=forms.Textarea(attrs={"rows": 4}))
    why_it_matters = forms.CharField(label=_("Why it matters"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 4}))
    image = forms.FileField(label=_("Image"), required=False, validators=[validate_lexicon_image])
    remove_image = forms.BooleanField(label=_("Remove the current image"), required=False)

    def __init__(self, *args: Any, municipality: Municipality, current_milieu: Milieu | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["image"].help_text = _("PNG, JPEG, GIF or WebP, at most %(size)s.") % {
            "size": filesizeformat(uploads.max_bytes())}
        # A retired milieu is not offered for anything new (ADR 0018); an entry that has one keeps it, labelled.
        offered = Q(retired_at__isnull=True)
        if current_milieu is not None:
            offered |= Q(pk=current_milieu.pk)
        self.model_choice_field("milieu").queryset = Milieu.objects.filter(offered, municipality=municipality)


KIND_LABELS = {"category": _("Observation categories"), "milieu": _("Milieus"), "sign": _("Warning signs")}


class VocabularyEntryForm(Form):
    """One entry of the vocabulary. The key is asked for only when the entry is new: it is for good."""

    key = forms.SlugField(label=_("Key"), max_length=60,
                          help_text=_("Short, lower case, with hyphens (for example hate-crime). It can't be "
                                      "changed later: observations keep it."))
    label = forms.CharField(label=_("Name"), max_length=200)
    label_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    national_key = forms.ChoiceField(label=_("Counts nationally as"), required=False,
                                     help_text=_("The national template's entry this one is added up under in "
                                                 "the national view. Empty: under the municipalities' own."))
    tier = forms.ChoiceField(label=_("Tier"), choices=Tier.choices)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, required=False)

    def __init__(self, *args: Any, kind: str, new: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("national_key").choices = [("", _("None (the municipality's own)")), *(
            (key, vocabulary.national_label(kind, key)) for key in vocabulary.national_keys(kind))]
        if not new:
            del self.fields["key"]
        if kind != "sign" or not new:
            del self.fields["tier"]
        if kind == "sign":
            self.fields["label"] = forms.CharField(label=_("Sign"), max_length=300)
            self.fields["label_en"] = forms.CharField(label=_("Sign in English"), max_length=300, required=False)
            self.order_fields(["key", "label", "label_en", "tier", "national_key", "order"])


class VocabularyInstallForm(Form):
    edition = forms.ChoiceField(label=_("Template edition"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("edition").choices = vocabulary.editions()
