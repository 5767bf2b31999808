"""The one form system (varna.core.formsystem): every form in Värna uses it, inputs are Designsystemet's,
nothing is chosen for the person, and "---------" never appears."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from typing import Any

import pytest
from django import forms
from django.urls import reverse

import varna
from varna.core import formsystem


def _varna_form_classes() -> list[type]:
    found = []
    for module_info in pkgutil.walk_packages(varna.__path__, "varna."):
        if not module_info.name.endswith(".forms"):
            continue
        module = importlib.import_module(module_info.name)
        for _name, obj in inspect.getmembers(module, inspect.isclass):
            if obj.__module__ == module.__name__ and issubclass(obj, forms.BaseForm):
                found.append(obj)
    return found


def test_every_form_in_varna_uses_the_form_system() -> None:
    classes = _varna_form_classes()
    assert len(classes) > 30
    outside = [f"{c.__module__}.{c.__name__}" for c in classes
               if not issubclass(c, (formsystem.Form, formsystem.ModelForm))]
    assert outside == []


class _Example(formsystem.Form):
    band = forms.ChoiceField(label="Band", choices=[("a", "A"), ("b", "B")])
    kind = forms.ChoiceField(label="Kind", choices=[("", "---------"), ("x", "X")], required=False)
    free = forms.CharField(label="Free", required=False)
    late = forms.ChoiceField(label="Late")
    many = forms.MultipleChoiceField(label="Many", choices=[("m", "M")], widget=forms.CheckboxSelectMultiple,
                                     required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["late"].choices = [("p", "P"), ("q", "Q")]  # set after the base class styled the form


def test_required_choices_start_empty_and_dashes_become_choose() -> None:
    html = str(_Example())
    assert "---------" not in html
    assert html.count("Välj ...") + html.count("Choose ...") == 3
    assert not re.search(r'value="[^"]+" selected', html)
    form = _Example(data={"free": "x"})
    assert not form.is_valid()
    assert set(form.errors) == {"band", "late"}


def test_every_visible_widget_is_a_designsystemet_input_and_lists_are_not() -> None:
    html = str(_Example())
    assert html.count('class="ds-input"') == 5
    assert 'class="choice-list"' in html
    assert '<div id="id_many" class="choice-list">' in html


def test_an_initial_value_is_kept_without_an_empty_choice() -> None:
    form = _Example(initial={"band": "b"})
    assert [value for value, _label in form.fields["band"].choices] == ["a", "b"]


@pytest.mark.django_db
def test_opening_a_case_preselects_no_age_band_or_gender(verified_client: Any, alice: Any, sollentuna: Any) -> None:
    client = verified_client(alice)
    page = client.get(reverse("cases:case_open", kwargs={"municipality": sollentuna.slug})).content.decode()
    assert "---------" not in page
    for name in ("age_band", "gender"):
        select = page.split(f'name="{name}"')[1].split("</select>")[0]
        assert not re.search(r'value="[^"]+" selected', select)
        assert '<option value=""' in select
    response = client.post(reverse("cases:case_open", kwargs={"municipality": sollentuna.slug}), {"milieu_key": ""})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"age_band", "gender"}


@pytest.mark.django_db
def test_granting_a_role_preselects_no_role(verified_client: Any, ada: Any, sollentuna: Any) -> None:
    client = verified_client(ada)
    page = client.get(reverse("core:people", kwargs={"municipality": sollentuna.slug})).content.decode()
    select = page.split('name="role"')[1].split("</select>")[0]
    assert not re.search(r'value="[^"]+" selected', select)
    assert select.index('value=""') < select.index('value="coordinator"')
