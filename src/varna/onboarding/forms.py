"""Input for the setup pages: validation only, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from varna.core.formsystem import Form
from varna.core.models import Group, Municipality, Organisation, Role, User, municipality_code_validator
from varna.guidance import engine, texts

# The roles an administrator invites to (the national analyst's role belongs to no municipality).
INVITABLE_ROLES = [(value, label) for value, label in Role.choices if value != Role.NATIONAL_ANALYST]
EMPTY = [("", _("Choose…"))]


class MunicipalityForm(Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    code = forms.CharField(label=_("Municipality code"), max_length=4, min_length=4,
                           validators=[municipality_code_validator],
                           help_text=_("The four digits Statistics Sweden gives the municipality, e.g. 0186."),
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{4}"}))
    slug = forms.SlugField(label=_("Address name"), max_length=60, required=False,
                           help_text=_("Made from the name when left empty, e.g. upplands-vasby."))
    administrators = forms.CharField(
        label=_("First administrators"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One e-mail address per line. Each gets an invitation link. Two are best: some roles need "
                    "a second administrator's approval."))

    def clean_administrators(self) -> list[str]:
        from django.core.validators import validate_email

        addresses = [line.strip() for line in self.cleaned_data["administrators"].splitlines() if line.strip()]
        if len(addresses) > 10:
            raise forms.ValidationError(_("At most ten addresses."))
        for address in addresses:
            try:
                validate_email(address)
            except forms.ValidationError as exc:
                raise forms.ValidationError(_("Not an e-mail address: %(address)s") % {"address": address}) from exc
        return addresses

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if Municipality.objects.filter(code=code).exists():
            raise forms.ValidationError(_("A municipality with this code already exists."))
        return code


class UnitForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=EMPTY + list(Organisation.Kind.choices))
    parent = forms.ModelChoiceField(label=_("Part of"), queryset=Organisation.objects.none(), required=False,
                                    empty_label=_("No other unit"))
    headcount = forms.IntegerField(label=_("Number of staff"), min_value=0, max_value=100_000, required=False,
                                   help_text=_("The people who work in the unit: coverage of training and "
                                               "implementation is a share of this number."))

    def __init__(self, *args: Any, municipality: Municipality, exclude: Organisation | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Organisation.objects.filter(municipality=municipality)
        self.model_choice_field("parent").queryset = units.exclude(pk=exclude.pk) if exclude else units


class GroupForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EMPTY + list(Group.Kind.choices))
    name = forms.CharField(label=_("Name"), max_length=200)


class _EmailChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        # The address, never an account's own name, which another municipality may have written.
        return obj.email


class MemberForm(Form):
    user = _EmailChoiceField(label=_("Person"), queryset=User.objects.none(), empty_label=_("Choose…"),
                                  help_text=_("People with a role in the municipality. Invite anyone else below."))
    organisation = forms.ModelChoiceField(label=_("Representing"), queryset=Organisation.objects.none(),
                                          required=False, empty_label=_("No unit"))

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model_choice_field("user").queryset = (
            User.objects.filter(memberships__municipality=municipality).distinct().order_by("email"))
        self.model_choice_field("organisation").queryset = Organisation.objects.filter(municipality=municipality)


class InviteForm(Form):
    email = forms.EmailField(label=_("E-mail address"))
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=EMPTY + INVITABLE_ROLES)
    organisation = forms.ModelChoiceField(label=_("Unit"), queryset=Organisation.objects.none(), required=False,
                                          empty_label=_("No unit"))

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model_choice_field("organisation").queryset = Organisation.objects.filter(municipality=municipality)


class GroupInviteForm(Form):
    email = forms.EmailField(label=_("E-mail address"))
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(label=_("Representing"), queryset=Organisation.objects.none(),
                                          required=False, empty_label=_("No unit"))

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model_choice_field("organisation").queryset = Organisation.objects.filter(municipality=municipality)


class DistrictsForm(Form):
    names = forms.CharField(label=_("Districts"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 8}),
                            help_text=_("One district per line, as the municipality names them (paste the list)."))

    def clean_names(self) -> list[str]:
        names = [line.strip() for line in self.cleaned_data["names"].splitlines() if line.strip()]
        if not names:
            raise forms.ValidationError(_("Write at least one district."))
        return names


class KnowledgeForm(Form):
    edition = forms.ChoiceField(label=_("Edition of the national vocabulary"),
                                help_text=_("The categories, milieus and signs to start from. Both can be "
                                            "edited afterwards, and entries added or retired."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from varna.knowledge import vocabulary

        super().__init__(*args, **kwargs)
        self.choice_field("edition").choices = vocabulary.editions()


class RoutingForm(Form):
    text = forms.CharField(label=_("Routing rules"), max_length=200_000, strip=False,
                           widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "ds-input code"}),
                           help_text=_("The rule language is described at the top of the national template. "
                                       "Nothing is saved until the guide's engine accepts the rules."))


class PreviewForm(Form):
    """The answers a worried person gives in the guide, to preview what they would be told."""

    asker = forms.ChoiceField(label=_("Who is asking"), choices=[(k, texts.ASKERS[k]) for k in engine.ASKERS],
                              initial="relative")
    age_band = forms.ChoiceField(label=_("The person's age"), choices=[(k, texts.AGE_BANDS[k])
                                                                        for k in engine.AGE_BANDS],
                                 initial="under_18")
    signs = forms.MultipleChoiceField(label=_("What they have seen"), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    immediate_danger = forms.BooleanField(label=_("Someone is in danger now"), required=False)
    planning_violence = forms.BooleanField(label=_("Someone plans or threatens violence"), required=False)
    wants_to_leave = forms.BooleanField(label=_("Someone wants to leave a group"), required=False)

    def __init__(self, *args: Any, signs: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("signs").choices = signs
