"""The import's quick check of plainly valid cells gives the same result as the observation form, which
decides every other row: the same values for each accepted row, the same problems for each refused one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from varna.situation import importing, services
from varna.situation.choices import COUNT_FIELDS
from varna.situation.services import RowProblem

DATA = Path(__file__).parent.parent / "disclosure" / "data"
CLEAN = [line for line in (DATA / "clean_descriptions.txt").read_text(encoding="utf-8").splitlines() if line]
PERSONAL = [line.split("\t", 1)[1] for line in (DATA / "personal_descriptions.txt").read_text(
    encoding="utf-8").splitlines() if line and not line.startswith("#")]
COUNTS = [name for name, _g, _a in COUNT_FIELDS]

dates = st.one_of(
    st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31)).map(dt.date.isoformat),  # some future
    st.sampled_from(["2025-02-30", "2025-13-01", "03/10/2025", "3/10/25", "2025-3-1", "20250310", "", "igår",
                     "2025-03-10T10:00", "0000-01-01"]))
cells = {
    "date": dates,
    "district": st.sampled_from(["tureberg", "edsberg", "viby", "atlantis", "", "Tureberg"]),
    "category": st.sampled_from(["propaganda", "online", "threats", "", "nazi", "Propaganda"]),
    "milieu": st.sampled_from(["white-power", "autonomous", "unclear", "", "nazi"]),
    "signs": st.sampled_from(["", "early-graffiti-stickers", "early-graffiti-stickers;heightened-symbols",
                              "heightened-symbols, clear-symbols-worn", "no-such-sign", ";;", " ; early-low-trust "]),
    "source_organisation": st.sampled_from(["", "kfk", "nowhere"]),
    "description": st.one_of(st.sampled_from(CLEAN), st.sampled_from(PERSONAL),
                             st.sampled_from(["", "x" * 500, "x" * 501, "nul\x00tecken", "åäö " * 130]),
                             st.text(max_size=60), st.sampled_from(["  Klotter vid torget. ", "\tx\n"])),
    **{name: st.sampled_from(["", "0", "3", "007", "999", "1000", "-1", "3.0", "3,5", "x", "٣", "1e2"])
       for name in COUNTS},
}


def _form_only(checker: Any, rows: list[tuple[int, dict[str, str]]]
               ) -> tuple[list[dict[str, Any]], list[RowProblem]]:
    """What the import did before the quick check: the form, row by row."""
    valid: list[dict[str, Any]] = []
    problems: list[RowProblem] = []
    for number, values in rows:
        cleaned = checker.form_clean(number, values, problems)
        if cleaned is not None:
            valid.append(cleaned)
    return valid, problems


@pytest.fixture
def organisation(sollentuna: Any) -> Any:
    from varna.core.models import Organisation

    return Organisation.objects.create(municipality=sollentuna, key="kfk", name="Kultur och fritid", kind="leisure")


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=st.lists(st.fixed_dictionaries(cells), min_size=1, max_size=12))
def test_the_quick_check_agrees_with_the_form(sollentuna: Any, districts: Any, organisation: Any,
                                              rows: list[dict[str, str]]) -> None:
    numbered = list(enumerate(rows, start=2))
    valid, problems = importing.validate(sollentuna, numbered)
    assert (valid, problems) == _form_only(importing._RowChecker(sollentuna), numbered)


def test_a_plainly_valid_file_never_needs_the_form(sollentuna: Any, districts: Any) -> None:
    table = importing.read_table("x.csv", importing.template_csv(sollentuna))
    cleaned, unusable = importing._RowChecker(sollentuna).quick(table)
    assert not unusable
    assert cleaned["district"] == [districts[table.row(0)["district"]]]
    assert set(cleaned) == set(services.EDITABLE)
