from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from varna.core import uploads
from varna.core.formsystem import Form
from varna.knowledge.models import Milieu, validate_lexicon_image


class LexiconSearchForm(Form):
    q = forms.CharField(label=_("Search the lexicon"), max_length=100, required=False)


class SignForm(Form):
    text = forms.CharField(label=_("Sign"), max_length=300)
    description = forms.CharField(label=_("In plain words"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("Shown under the sign in the guide. Write for someone who is worried."))
    text_en = forms.CharField(label=_("Sign in English"), max_length=300, required=False)
    description_en = forms.CharField(label=_("In plain words, in English"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}))


class LexiconEntryForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    milieu = forms.ModelChoiceField(label=_("Milieu"), queryset=Milieu.objects.none(), required=False,
                                    empty_label=_("Several or none"))
    description = forms.CharField(label=_("What it is"), widget=forms.Textarea(attrs={"rows": 4}))
    why_it_matters = forms.CharField(label=_("Why it matters"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 4}))
    image = forms.FileField(label=_("Image"), required=False, validators=[validate_lexicon_image])
    remove_image = forms.BooleanField(label=_("Remove the current image"), required=False)

    def __init__(self, *args: object, municipality: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["image"].help_text = _("PNG, JPEG, GIF or WebP, at most %(size)s.") % {
            "size": filesizeformat(uploads.max_bytes())}
        self.fields["milieu"].queryset = Milieu.objects.filter(municipality=municipality)
