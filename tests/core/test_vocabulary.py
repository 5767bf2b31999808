"""Genders and age bands are one national list in core (ADR 0018), which cases and the situation picture share."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from varna.cases import models as case_models
from varna.core import vocabulary
from varna.core.vocabulary import AGE_BANDS, FORMER_AGE_BAND_KEYS, GENDERS, AgeBand, Gender
from varna.situation import choices
from varna.situation.models import Observation, ObservationRollup

GRID = ["n_female_under_15", "n_female_15_17", "n_female_18_24", "n_female_25_plus", "n_female_unknown",
        "n_male_under_15", "n_male_15_17", "n_male_18_24", "n_male_25_plus", "n_male_unknown",
        "n_other_under_15", "n_other_15_17", "n_other_18_24", "n_other_25_plus", "n_other_unknown"]


def test_cases_and_the_situation_picture_use_the_same_lists() -> None:
    assert choices.AgeBand is case_models.AgeBand is AgeBand
    assert choices.Gender is case_models.Gender is Gender
    field = case_models.Case._meta.get_field("age_band")
    assert [key for key, _label in field.choices] == [*(band.value for band in AGE_BANDS), "21_29"]
    assert [key for key, _label in case_models.Case._meta.get_field("gender").choices] == ["female", "male", "other"]


def test_the_count_grid_is_every_gender_by_every_current_band_and_nothing_else() -> None:
    assert [name for name, _g, _a in choices.COUNT_FIELDS] == GRID
    for model in (Observation, ObservationRollup):
        columns = {f.name for f in model._meta.get_fields() if f.name.startswith("n_")}
        assert columns == set(GRID), model
    assert "21_29" not in {age for _n, _g, age in choices.COUNT_FIELDS}  # a retired band has no column


def test_a_retired_band_is_offered_only_to_the_record_that_holds_it() -> None:
    assert [key for key, _l in vocabulary.age_band_choices()] == ["under_15", "15_17", "18_24", "25_plus", "unknown"]
    assert [key for key, _l in vocabulary.age_band_choices(keep="21_29")][-1] == "21_29"
    assert vocabulary.age_band_choices(keep="18_24") == vocabulary.age_band_choices()
    assert AgeBand.AGE_21_29 in vocabulary.ADULT_AGE_BANDS
    assert AgeBand.AGE_21_29 not in AGE_BANDS


@given(gender=st.sampled_from(GENDERS), band=st.sampled_from(AGE_BANDS))
def test_current_names_are_never_taken_for_former_ones(gender: Gender, band: AgeBand) -> None:
    assert vocabulary.former_count_name(vocabulary.count_field(gender.value, band.value)) is None


@given(gender=st.sampled_from(GENDERS), former=st.sampled_from(sorted(FORMER_AGE_BAND_KEYS)))
def test_a_former_name_is_told_the_current_column_of_the_same_people(gender: Gender, former: str) -> None:
    renamed = vocabulary.former_count_name(f"n_{gender.value}_{former}")
    assert renamed in GRID
    assert renamed == f"n_{gender.value}_{FORMER_AGE_BAND_KEYS[former].value}"


@given(st.text(max_size=30))
def test_anything_else_is_no_former_name(text: str) -> None:
    renamed = vocabulary.former_count_name(text)
    if renamed is not None:  # only exactly n_<gender>_<former key>
        assert text in {f"n_{g.value}_{old}" for g in GENDERS for old in FORMER_AGE_BAND_KEYS}
