"""The wizard's state: the answers travel in the form itself, one question per screen.

Nothing is stored on the server: each step is a POST whose hidden fields carry the earlier answers, so
the answers never appear in a URL (and so in no access log), in the session, in a cookie or in a row.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

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


@dataclass
class WizardState:
    answers: dict[str, str] = field(default_factory=dict)
    signs: list[str] = field(default_factory=list)
    # The step the user should see next, and whether they left the current question unanswered.
    step: str = STEPS[0]
    missing_answer: bool = False

    def hidden_fields(self, *, leave_out: str | None = None) -> list[tuple[str, str]]:
        """The answers as (name, value) pairs for hidden inputs, without the question on screen."""
        pairs = [(name, value) for name, value in self.answers.items() if name != leave_out]
        if leave_out != "signs":
            pairs += [("signs", sign) for sign in self.signs]
        return pairs


def _read(data: QueryDict | Mapping[str, object], known_signs: Collection[str]) -> WizardState:
    state = WizardState()
    for name in QUESTION_STEPS:
        value = data.get(name)
        # A value that isn't one of the choices is treated as not answered: the question is asked again.
        if isinstance(value, str) and value in CHOICES[name]:
            state.answers[name] = value
    signs = data.getlist("signs") if isinstance(data, QueryDict) else []
    state.signs = sorted({sign for sign in signs if sign in known_signs})
    return state


def advance(data: QueryDict, known_signs: Collection[str]) -> WizardState:
    """Read a posted step and work out which screen comes next."""
    state = _read(data, known_signs)
    current = data.get("step")
    first_missing = next((name for name in QUESTION_STEPS if name not in state.answers), None)
    if current == RESULT:
        # From the result page: back to the last question, or the same result again (the print version).
        if data.get("back"):
            state.step = "immediate_danger" if state.answers.get("immediate_danger") == YES else "signs"
        elif "asker" in state.answers and "age_band" in state.answers:
            state.step = RESULT
        else:
            state.step = first_missing or STEPS[0]
        return state
    if current not in STEPS:
        current = None

    if current is not None and data.get("back"):
        index = STEPS.index(current)
        state.step = STEPS[max(index - 1, 0)]
        return state
    if current in QUESTION_STEPS and current not in state.answers:
        state.step, state.missing_answer = current, True
        return state
    if first_missing is not None and (current is None or STEPS.index(first_missing) <= STEPS.index(current)):
        # An earlier answer is missing (an old or altered form): ask it again.
        state.step = first_missing
        return state
    if current is None:
        state.step = first_missing or STEPS[0]
        return state
    if current == "immediate_danger" and state.answers["immediate_danger"] == YES:
        # Danger now: no more questions between the person and the number to call.
        state.step = RESULT
        return state
    if current == "signs" or current == STEPS[-1]:
        state.step = RESULT
        return state
    state.step = STEPS[STEPS.index(current) + 1]
    return state
