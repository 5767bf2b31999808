"""School terms: the one term type of Värna. Pure Python apart from gettext.

Terms follow the Swedish school calendar: spring (VT) is January–June, autumn (HT) July–December. A school
year starts with an autumn term and ends with the following spring term (HT 2025 + VT 2026).

Every term is stored, sent and received as one key: ``YYYY-1`` for the spring term, ``YYYY-2`` for the
autumn term (``2026-1`` is VT 2026). The key sorts chronologically as a string, so the database can take
the min/max of a term column and a range is a string comparison.

Until the end of 2027 :meth:`Term.parse` still reads the older ``2026-spring``/``2026-autumn`` form that
follow-up links and CSV files used before the vocabulary was unified (ADR 0018), and ``VT2026``/``HT 2026``
as people type them. Nothing writes those forms any more.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum


class Season(StrEnum):
    SPRING = "spring"
    AUTUMN = "autumn"


_DIGIT = {Season.SPRING: "1", Season.AUTUMN: "2"}
_KEY = re.compile(r"^(\d{4})-([12])$")
_LEGACY_KEY = re.compile(r"^(\d{4})-(spring|autumn)$")
_TYPED = re.compile(r"^(VT|HT)(\d{4})$")


@dataclass(frozen=True)
class Term:
    """One school term. Orders chronologically; `key` is the stored, URL, CSV and API form (``2026-1``)."""

    year: int
    season: Season

    def __post_init__(self) -> None:
        object.__setattr__(self, "season", Season(self.season))

    # --- construction -----------------------------------------------------------------------------
    @classmethod
    def of(cls, day: dt.date) -> Term:
        return cls(day.year, Season.SPRING if day.month <= 6 else Season.AUTUMN)

    @classmethod
    def parse(cls, text: str) -> Term:
        """``2026-1``/``2026-2``; also the deprecated ``2026-spring`` and the typed ``VT2026``/``HT 2026``."""
        text = (text or "").strip()
        if match := _KEY.match(text):
            return cls(int(match[1]), Season.SPRING if match[2] == "1" else Season.AUTUMN)
        if match := _LEGACY_KEY.match(text):
            return cls(int(match[1]), Season(match[2]))
        if match := _TYPED.match(text.upper().replace(" ", "")):
            return cls(int(match[2]), Season.SPRING if match[1] == "VT" else Season.AUTUMN)
        raise ValueError(f"not a term: {text!r}")

    @staticmethod
    def is_key(text: str) -> bool:
        """Whether `text` is a term key in the one stored form (not the legacy or typed forms)."""
        return bool(_KEY.match(text or ""))

    @classmethod
    def normalise(cls, text: str) -> str:
        """The key of whatever form :meth:`parse` accepts (raises ``ValueError`` for anything else)."""
        return cls.parse(text).key

    # --- properties -------------------------------------------------------------------------------
    @property
    def key(self) -> str:
        return f"{self.year}-{_DIGIT[self.season]}"

    @property
    def label(self) -> str:
        """``VT 2026``/``HT 2026`` in Swedish, ``Spring 2026``/``Autumn 2026`` in English."""
        from django.utils.translation import gettext

        text = gettext("Spring %(year)s") if self.season == Season.SPRING else gettext("Autumn %(year)s")
        return text % {"year": self.year}

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1) if self.season == Season.SPRING else dt.date(self.year, 7, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 6, 30) if self.season == Season.SPRING else dt.date(self.year, 12, 31)

    @property
    def school_year(self) -> int:
        """The calendar year in which this term's school year begins (its autumn)."""
        return self.year if self.season == Season.AUTUMN else self.year - 1

    @property
    def is_autumn(self) -> bool:
        return self.season == Season.AUTUMN

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    # --- iteration --------------------------------------------------------------------------------
    def _index(self) -> int:
        return self.year * 2 + (1 if self.is_autumn else 0)

    @classmethod
    def _from_index(cls, index: int) -> Term:
        return cls(index // 2, Season.AUTUMN if index % 2 else Season.SPRING)

    def next(self) -> Term:
        return self._from_index(self._index() + 1)

    def previous(self) -> Term:
        return self._from_index(self._index() - 1)

    def __lt__(self, other: Term) -> bool:
        return self._index() < other._index()

    def __le__(self, other: Term) -> bool:
        return self._index() <= other._index()

    def __gt__(self, other: Term) -> bool:
        return self._index() > other._index()

    def __ge__(self, other: Term) -> bool:
        return self._index() >= other._index()

    def __str__(self) -> str:
        return self.label

    @classmethod
    def range(cls, first: Term, last: Term) -> Iterator[Term]:
        """Every term from `first` to `last`, both included."""
        for index in range(first._index(), last._index() + 1):
            yield cls._from_index(index)

    @classmethod
    def school_year_terms(cls, school_year: int) -> tuple[Term, Term]:
        """The autumn and spring terms of the school year that starts in `school_year`."""
        return cls(school_year, Season.AUTUMN), cls(school_year + 1, Season.SPRING)


def term_label(key: str) -> str:
    """The label of a stored key; anything that is not a key is shown as it is."""
    return Term.parse(key).label if Term.is_key(key) else key


def terms_between(first: str, last: str) -> list[str]:
    """The keys of every term from `first` to `last`, both included."""
    return [t.key for t in Term.range(Term.parse(first), Term.parse(last))]
