"""The wizard's state: one address per question, and the answers in a short-lived encrypted cookie.

Every question has its own address (GOV.UK's "one thing per page"): the browser GETs it, the person's
answer is POSTed to the same address, and the server answers with a redirect (303) to the next question
or to the result. Back, reload and the phone's back gesture therefore only ever repeat a GET.

Nothing is stored on the server. The answers so far travel in one cookie that is encrypted (Fernet, with a
key derived from ``SECRET_KEY`` for this purpose only), limited to the guide's own path, sent to no other
page, unreadable by scripts, gone when the browser closes, and valid for ``LIFETIME`` seconds from the last
answer; an older or altered cookie counts as no answers at all. A cookie never appears in an address, so no
access log or Referer header carries the answers (ADR 0004).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import time
from collections.abc import Collection
from dataclasses import dataclass, field, replace

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.http import QueryDict

from varna.guidance import engine

QUESTION_STEPS: tuple[str, ...] = ("asker", "age_band", "immediate_danger", "planning_violence", "wants_to_leave")
STEPS: tuple[str, ...] = (*QUESTION_STEPS, "signs")
RESULT = "result"
YES, NO = "yes", "no"
CHOICES: dict[str, tuple[str, ...]] = {
    "asker": engine.ASKERS,
    "age_band": engine.AGE_BANDS,
    "immediate_danger": (YES, NO),
    "planning_violence": (YES, NO),
    "wants_to_leave": (YES, NO),
}
# The last part of each question's address (the first question is the guide's own address).
SLUGS: dict[str, str] = {
    "asker": "",
    "age_band": "alder",
    "immediate_danger": "fara",
    "planning_violence": "vald",
    "wants_to_leave": "lamna-en-grupp",
    "signs": "tecken",
}
STEP_BY_SLUG: dict[str, str] = {slug: step for step, slug in SLUGS.items()}

# The name says "token", so Django's error reports redact it like any secret (SafeExceptionReporterFilter).
COOKIE = "varna_guide_token"
# Long enough to think a question over, short enough that a shared computer soon forgets.
LIFETIME = 30 * 60
# A cookie is a few hundred bytes; anything much larger was not written by us.
_MAX_TOKEN = 4096


@dataclass(frozen=True)
class WizardState:
    answers: dict[str, str] = field(default_factory=dict)
    signs: tuple[str, ...] = ()
    # Whether the signs question was answered (leaving every box empty is an answer too).
    signs_answered: bool = False

    @property
    def acute(self) -> bool:
        return self.answers.get("immediate_danger") == YES

    def path(self) -> tuple[str, ...]:
        """The questions this person is asked: immediate danger skips the rest (112 comes first)."""
        if self.acute:
            return STEPS[: STEPS.index("immediate_danger") + 1]
        return STEPS

    def is_answered(self, step: str) -> bool:
        return self.signs_answered if step == "signs" else step in self.answers

    def first_unanswered(self, *, before: str = RESULT) -> str | None:
        """The first question on the way to ``before`` that has no answer yet (None: the way is clear)."""
        for step in self.path():
            if step == before:
                return None
            if not self.is_answered(step):
                return step
        return None

    def previous(self, step: str) -> str | None:
        """Where the Back link of ``step`` leads; None on the first question."""
        if step == RESULT:
            return self.path()[-1]
        index = STEPS.index(step)
        return STEPS[index - 1] if index else None

    def following(self, step: str) -> str:
        """The screen after ``step`` has been answered."""
        path = self.path()
        if step not in path or step == path[-1]:
            return RESULT
        return path[path.index(step) + 1]

    def answer(self, step: str, data: QueryDict, known_signs: Collection[str]) -> WizardState | None:
        """The state with the posted answer to ``step``; None if it is missing or not one of the choices."""
        if step == "signs":
            # Unknown keys are dropped, as an altered form's would be; no box ticked is an answer too.
            signs = tuple(sorted({sign for sign in data.getlist("signs") if sign in known_signs}))
            return replace(self, signs=signs, signs_answered=True)
        value = data.get(step)
        if not isinstance(value, str) or value not in CHOICES[step]:
            return None
        return replace(self, answers={**self.answers, step: value})


def _fernet() -> Fernet:
    return _fernet_for(settings.SECRET_KEY)


@functools.cache
def _fernet_for(secret: str) -> Fernet:
    # A key of its own (not the field-encryption key): a leaked guide cookie must never help read a case.
    digest = hashlib.sha256(b"varna.guidance.wizard-cookie\x00" + secret.encode("utf-8")).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def dump(state: WizardState, *, now: float | None = None) -> str:
    """The state as the cookie's value: encrypted and stamped with the time (``now``, for tests)."""
    payload = json.dumps({"a": state.answers, "s": list(state.signs), "d": state.signs_answered},
                         separators=(",", ":")).encode("utf-8")
    stamp = int(time.time() if now is None else now)
    return _fernet().encrypt_at_time(payload, stamp).decode("ascii")


def load(token: str | None, known_signs: Collection[str]) -> WizardState:
    """The state in a cookie; no, an expired, an altered or a foreign cookie is the empty state."""
    if not token or len(token) > _MAX_TOKEN:
        return WizardState()
    try:
        payload = json.loads(_fernet().decrypt(token.encode("ascii"), ttl=LIFETIME))
    except (InvalidToken, UnicodeError, ValueError):
        return WizardState()
    if not isinstance(payload, dict):
        return WizardState()
    raw_answers = payload["a"] if isinstance(payload.get("a"), dict) else {}
    # Read back through the same checks as a posted answer: the cookie is only ever trusted as far as a form.
    answers = {name: value for name, value in raw_answers.items()
               if name in CHOICES and isinstance(value, str) and value in CHOICES[name]}
    raw_signs = payload["s"] if isinstance(payload.get("s"), list) else []
    signs = tuple(sorted({sign for sign in raw_signs if isinstance(sign, str) and sign in known_signs}))
    return WizardState(answers=answers, signs=signs, signs_answered=payload.get("d") is True)
