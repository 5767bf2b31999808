import pytest
from hypothesis import given
from hypothesis import strategies as st

from varna.plans.cadence import COUNTED_KINDS, Cadence, CadenceError, CadenceKind, from_wording

cadences = st.one_of(
    st.builds(Cadence, st.sampled_from(sorted(COUNTED_KINDS)), st.integers(1, 52)),
    st.builds(Cadence, st.sampled_from([k for k in CadenceKind if k not in COUNTED_KINDS])),
)


@given(cadences)
def test_machine_form_round_trips(cadence: Cadence) -> None:
    assert Cadence.parse(str(cadence)) == cadence


@given(st.text(max_size=30))
def test_parse_accepts_only_cadences(text: str) -> None:
    try:
        cadence = Cadence.parse(text)
    except CadenceError:
        return
    assert str(cadence) == text.strip().replace(" ", "") or Cadence.parse(str(cadence)) == cadence


@pytest.mark.parametrize("bad", ["per_term", "per_term(0)", "per_year(53)", "continuous(2)", "weekly", ""])
def test_invalid_cadences_are_refused(bad: str) -> None:
    with pytest.raises(CadenceError):
        Cadence.parse(bad)


@pytest.mark.parametrize(("wording", "expected"), [
    ("Två gånger per termin", "per_term(2)"),
    ("en gång per år", "per_year(1)"),
    ("Kontinuerligt pågående och vid behov", "continuous"),
    ("Vid behov", "when_needed"),
    ("Vid efterfrågan av skolorna", "on_request"),
    ("Enligt gällande läroplan", "per_curriculum"),
    ("twice per term", "per_term(2)"),
    ("3 gånger per termin", "per_term(3)"),
])
def test_plan_wording_suggests_a_cadence(wording: str, expected: str) -> None:
    assert str(from_wording(wording)) == expected


@given(st.text(max_size=60))
def test_wording_guess_never_fails(text: str) -> None:
    result = from_wording(text)
    assert result is None or isinstance(result, Cadence)
