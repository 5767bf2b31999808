"""Värna's one form system: every form in the product derives from ``Form`` or ``ModelForm`` here.

What it guarantees, whatever the app:

- every visible widget carries Designsystemet's ``ds-input`` class (text, selects, text areas, radios and
  checkboxes alike), so inputs are Designsystemet's size (44 px targets, see ``varna.css``);
- a drop-down never shows Django's "---------": the empty choice reads "Välj ..." ("Choose ...");
- a required drop-down with no initial value starts on that empty choice, so nothing is pre-selected on the
  person's behalf (opening a case must not record "Under 15" because it happened to be first);
- ``{{ form }}`` renders each field through ``field.html`` and the error summary through
  ``form_errors.html`` (``FORM_RENDERER`` in settings points at ``FormRenderer`` below).

A test (``tests/core/test_formsystem.py``) fails when a form class in ``varna`` bypasses these bases.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeGuard, cast

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

# What Django and model fields put first in a choice list when nothing is chosen.
_DASHES = "---------"


def choose_label() -> Any:
    return _("Choose ...")


class FormRenderer(TemplatesSetting):
    """The project's template settings (so ``field.html`` is found), with Värna's field and form templates."""

    form_template_name = "form.html"
    field_template_name = "field.html"


def choices_of(field: forms.ChoiceField) -> list[tuple[Any, Any]]:
    """A choice field's choices as a list of (value, label)."""
    # Django keeps them as a list or a lazy iterator; the stubs' type also allows the forms it normalises away.
    return list(cast(Iterable[tuple[Any, Any]], field.choices))


def _is_single_select(field: forms.Field) -> TypeGuard[forms.ChoiceField]:
    return (isinstance(field, forms.ChoiceField) and isinstance(field.widget, forms.Select)
            and not field.widget.allow_multiple_selected)


def _has_initial(form: forms.BaseForm, name: str, field: forms.Field) -> bool:
    return field.initial not in (None, "") or form.initial.get(name) not in (None, "")


def style_field(form: forms.BaseForm, name: str, field: forms.Field) -> None:
    """Apply the rules above to one field; safe to call again (choices set later are caught too)."""
    widget = field.widget
    if widget.is_hidden:
        return
    classes = widget.attrs.get("class", "").split()
    if "ds-input" not in classes:
        widget.attrs["class"] = " ".join(["ds-input", *classes])
    if not _is_single_select(field):
        return
    if isinstance(field, forms.ModelChoiceField):
        # Django drops the empty label of a required field that has an initial value; otherwise it shows one.
        if field.empty_label is not None and str(field.empty_label) == _DASHES:
            field.empty_label = choose_label()
        return
    choices = choices_of(field)
    if any(value == "" and str(label) == _DASHES for value, label in choices):
        field.choices = [(value, choose_label() if value == "" and str(label) == _DASHES else label)
                         for value, label in choices]
    elif field.required and not _has_initial(form, name, field) and not any(v == "" for v, _l in choices):
        field.choices = [("", choose_label()), *choices]


def style(form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        style_field(form, name, field)


class _FormSystem(forms.BaseForm):
    """Styles in __init__, and again when a field is rendered or cleaned (subclasses set choices late).

    Also the typed accessors subclasses use when they narrow a field after construction (Django's
    ``self.fields`` is a ``dict[str, Field]``, so ``.queryset`` or ``.choices`` on it is untyped otherwise).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)

    def __getitem__(self, name: str) -> Any:
        if name in self.fields:
            style_field(self, name, self.fields[name])
        return super().__getitem__(name)

    def full_clean(self) -> None:
        style(self)
        super().full_clean()

    def clean(self) -> dict[str, Any]:
        # Django's own clean() returns cleaned_data; its stubs allow None for overrides that return nothing.
        super().clean()
        return self.cleaned_data

    def choice_field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        if not isinstance(field, forms.ChoiceField):
            raise TypeError(f"{type(self).__name__}.{name} is not a choice field")
        return field

    def model_choice_field(self, name: str) -> forms.ModelChoiceField[Any]:
        field = self.fields[name]
        if not isinstance(field, forms.ModelChoiceField):
            raise TypeError(f"{type(self).__name__}.{name} is not a model choice field")
        return field


class Form(_FormSystem, forms.Form):
    pass


class ModelForm(_FormSystem, forms.ModelForm):
    pass
