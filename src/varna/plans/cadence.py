"""How often an activity happens, as data: `per_term(2)`, `continuous`, `when_needed`, ...

Pure Python so that the follow-up module, the importer and the tests share one definition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class CadenceKind(StrEnum):
    PER_TERM = "per_term"
    PER_YEAR = "per_year"
    CONTINUOUS = "continuous"
    WHEN_NEEDED = "when_needed"
    ON_REQUEST = "on_request"
    PER_CURRICULUM = "per_curriculum"


COUNTED_KINDS = frozenset({CadenceKind.PER_TERM, CadenceKind.PER_YEAR})


class CadenceError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Cadence:
    kind: CadenceKind
    count: int | None = None

    def __post_init__(self) -> None:
        if self.kind in COUNTED_KINDS:
            if not isinstance(self.count, int) or not 1 <= self.count <= 52:
                raise CadenceError(f"{self.kind} needs a count between 1 and 52")
        elif self.count is not None:
            raise CadenceError(f"{self.kind} takes no count")

    def __str__(self) -> str:
        return f"{self.kind}({self.count})" if self.kind in COUNTED_KINDS else str(self.kind)

    @classmethod
    def parse(cls, text: str) -> Cadence:
        """Parse the machine form, e.g. `per_term(2)` or `continuous`."""
        match = re.fullmatch(r"\s*([a-z_]+)\s*(?:\(\s*(\d+)\s*\))?\s*", text or "")
        if not match:
            raise CadenceError(f"not a cadence: {text!r}")
        try:
            kind = CadenceKind(match.group(1))
        except ValueError as exc:
            raise CadenceError(f"unknown cadence kind: {match.group(1)!r}") from exc
        count = int(match.group(2)) if match.group(2) else None
        return cls(kind, count)

    def as_dict(self) -> dict[str, object]:
        return {"kind": str(self.kind), **({"count": self.count} if self.count is not None else {})}


_NUMBER_WORDS = {
    "en": 1, "ett": 1, "one": 1, "once": 1, "två": 2, "two": 2, "twice": 2, "tre": 3, "three": 3,
    "fyra": 4, "four": 4, "fem": 5, "five": 5, "sex": 6, "six": 6,
}


def from_wording(text: str) -> Cadence | None:
    """Best guess of the cadence behind a plan's own words ("Två gånger per termin" → per_term(2)).

    Returns None when the words say nothing recognisable; the editor then picks by hand.
    Counted cadences win over "continuously", which wins over "when needed": a row that says
    "Kontinuerligt pågående och vid behov" is expected to happen every term.
    """
    words = (text or "").lower()
    number = None
    number_match = re.search(r"\b(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")\b\s*(?:gång(?:er)?|times?)?", words)
    once_a = re.search(r"\b(once|twice)\b", words)
    if once_a:
        number = _NUMBER_WORDS[once_a.group(1)]
    elif number_match and re.search(r"gång|time", words):
        token = number_match.group(1)
        number = int(token) if token.isdigit() else _NUMBER_WORDS[token]
    if number is not None and 1 <= number <= 52:
        if re.search(r"termin|term|semester", words):
            return Cadence(CadenceKind.PER_TERM, number)
        if re.search(r"\bår\b|per år|om året|year|annual", words):
            return Cadence(CadenceKind.PER_YEAR, number)
    if re.search(r"årlig|varje år|annually|every year|yearly", words):
        return Cadence(CadenceKind.PER_YEAR, 1)
    if re.search(r"läroplan|curricul|olweus|likabehandlingsplan", words):
        return Cadence(CadenceKind.PER_CURRICULUM)
    if re.search(r"kontinuerlig|pågående|löpande|continu|ongoing", words):
        return Cadence(CadenceKind.CONTINUOUS)
    if re.search(r"efterfrågan|begäran|on request|when asked", words):
        return Cadence(CadenceKind.ON_REQUEST)
    if re.search(r"vid behov|när det behövs|when needed|as needed", words):
        return Cadence(CadenceKind.WHEN_NEEDED)
    return None
