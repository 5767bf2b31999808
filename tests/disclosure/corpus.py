"""The personal-data guard's corpus: realistic Swedish texts with personal data (each must be refused) and
without (each must pass). Shared by the tests and ``benchmarks/pii_guard.py``.

* ``guard_personal.tsv`` / ``guard_clean.txt``: free texts from every part of Värna outside cases
  (minutes, decisions, actions, monitoring and training notes, survey answers, plan comments, the
  activity log), with the probe classes issue 15 found open;
* ``personal_descriptions.tsv``-style ``personal_descriptions.txt`` / ``clean_descriptions.txt``:
  observation descriptions from the situation picture.

In every file a ``\\n`` in a text stands for a line break and a line starting with "#" is a comment.
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent / "data"


def _lines(name: str) -> list[str]:
    return [line.replace("\\n", "\n") for line in (DATA / name).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def personal(*, observations: bool = True) -> list[tuple[str, str]]:
    """(kind, text) pairs: the guard must report ``kind`` in ``text``."""
    names = ["guard_personal.tsv"] + (["personal_descriptions.txt"] if observations else [])
    return [tuple(line.split("\t", 1)) for name in names for line in _lines(name)]  # type: ignore[misc]


def clean(*, observations: bool = True) -> list[str]:
    """Texts the guard must let through."""
    return _lines("guard_clean.txt") + (_lines("clean_descriptions.txt") if observations else [])
