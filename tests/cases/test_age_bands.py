"""Cases record age and gender in the national lists (ADR 0018); cases of before keep what they said.

Täby, not Sollentuna: its own 2024 milieus and a coordinator of its own."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.utils import translation

from varna.cases import selectors, services
from varna.cases.forms import CaseForm
from varna.cases.models import Case
from varna.knowledge import services as knowledge

migration = importlib.import_module("varna.cases.migrations.0002_national_age_bands_and_genders")


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def taby_cases(taby: Any, tove: Any) -> Any:
    knowledge.vocabulary_install(actor=tove, municipality=taby, edition="2024")
    return taby


def _old_case(municipality: Any, actor: Any, age_band: str, gender: str) -> Case:
    """A case as the database held it before the lists were unified: values no service writes any more."""
    case = services.case_open(actor=actor, municipality=municipality, age_band="unknown", gender="other",
                              milieu_key="mixed-ideology")
    Case.objects.filter(pk=case.pk).update(age_band=age_band, gender=gender)
    return Case.objects.get(pk=case.pk)


def test_stored_values_move_to_the_band_that_contains_them_and_21_29_stays(taby_cases: Any, tove: Any) -> None:
    before = [("under_15", "female"), ("15_17", "male"), ("18_20", "other"), ("21_29", "unknown"),
              ("30_plus", "male"), ("unknown", "unknown")]
    cases = [_old_case(taby_cases, tove, age, gender) for age, gender in before]
    migration.forward(apps, None)
    after = [Case.objects.values_list("age_band", "gender").get(pk=c.pk) for c in cases]
    assert after == [("under_15", "female"), ("15_17", "male"), ("18_24", "other"), ("21_29", "other"),
                     ("25_plus", "male"), ("unknown", "other")]
    migration.forward(apps, None)  # a second run changes nothing
    assert [Case.objects.values_list("age_band", "gender").get(pk=c.pk) for c in cases] == after
    migration.backward(apps, None)
    assert [Case.objects.values_list("age_band", "gender").get(pk=c.pk) for c in cases] == [
        ("under_15", "female"), ("15_17", "male"), ("18_20", "unknown"), ("21_29", "unknown"),
        ("30_plus", "male"), ("unknown", "unknown")]


def test_a_retired_band_or_an_unknown_gender_is_refused_for_a_new_case(taby_cases: Any, tove: Any) -> None:
    with pytest.raises(services.CaseError, match="age bands offered"):
        services.case_open(actor=tove, municipality=taby_cases, age_band="21_29", gender="female")
    with pytest.raises(services.CaseError, match="age bands offered"):
        services.case_open(actor=tove, municipality=taby_cases, age_band="18_20", gender="female")
    with pytest.raises(services.CaseError, match="genders offered"):
        services.case_open(actor=tove, municipality=taby_cases, age_band="18_24", gender="unknown")
    assert not Case.objects.exists()
    form = CaseForm({"age_band": "21_29", "gender": "female"}, municipality=taby_cases)
    assert not form.is_valid()
    assert "age_band" in form.errors


def test_a_case_of_before_keeps_its_retired_band_and_cannot_get_it_back_once_changed(
        taby_cases: Any, tove: Any) -> None:
    case = _old_case(taby_cases, tove, "21_29", "other")
    assert case.is_minor is False
    assert case.engine_age_band == "adult"
    form = CaseForm(municipality=taby_cases, initial={"age_band": case.age_band})
    assert [key for key, _l in form.fields["age_band"].choices][-1] == "21_29"
    services.case_update(actor=tove, case=case, expected_lock=case.lock_version, age_band="21_29", gender="male",
                         milieu_key="mixed-ideology", path_key="")
    case.refresh_from_db()
    assert (case.age_band, case.gender) == ("21_29", "male")
    services.case_update(actor=tove, case=case, expected_lock=case.lock_version, age_band="25_plus",
                         gender="male", milieu_key="mixed-ideology", path_key="")
    case.refresh_from_db()
    with pytest.raises(services.CaseError, match="age bands offered"):
        services.case_update(actor=tove, case=case, expected_lock=case.lock_version, age_band="21_29",
                             gender="male", milieu_key="mixed-ideology", path_key="")
    assert Case.objects.get(pk=case.pk).age_band == "25_plus"


def test_the_statistics_count_in_the_national_bands_with_the_retired_one_last(taby_cases: Any, tove: Any) -> None:
    for _n in range(9):
        services.case_open(actor=tove, municipality=taby_cases, age_band="18_24", gender="female")
    _old_case(taby_cases, tove, "21_29", "other")
    year = Case.objects.first().opened_at.year
    _total, lists = selectors.case_statistics(taby_cases, year=year)
    by_key = dict(lists)
    assert [label for label, _shown in by_key["age_band"]] == [
        "Under 15", "15–17", "18–24", "25 or older", "Age unknown", "21–29 (recorded before December 2026)"]
    assert [label for label, _shown in by_key["gender"]] == ["Girls/women", "Boys/men", "Other or unknown"]
    # The single case of 21–29 is hidden like every small count.
    assert dict(by_key["age_band"])["21–29 (recorded before December 2026)"] == "–"
