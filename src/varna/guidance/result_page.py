"""The result page of the guide, put together from pieces rendered in advance.

Everything on the result page except the person's own answers is public: the contact cards, the
sentences for levels, reasons and duties, the sign list entries, the headings and the buttons. Those
pieces are rendered once per municipality, content version, day (a contact's "not checked" warning
depends on the date) and language, for *every* step, sign, level, duty and answer value the rules can
produce, before anyone's answer is looked at. A request then only picks pieces by its route (see
``engine.route_table``) and joins them, which is what makes the page cheap.

Because every possible piece is rendered up front, what is kept in memory is the same whoever used the
guide and whatever they answered: nothing here is keyed by, or filled in because of, an answer
(ADR 0004). The per-request part (where "Change my answers" leads) is never stored.

The page's layout is ``guidance/_result_frame.html``: rendered once per variant (print view; with or
without duties, the stale-contact note, marked signs) with *holes* where the per-request HTML goes.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, override

from varna.core.models import Municipality
from varna.guidance import engine, texts
from varna.guidance.models import Contact
from varna.guidance.selectors import emergency_contact
from varna.knowledge.models import Sign

# The frame variants: which optional sections a result shows.
FRAME_FLAGS: tuple[str, ...] = ("print_view", "duties", "any_stale", "signs")
HOLES: frozenset[str] = frozenset({"level", "duties", "steps", "answers", "signs", "back"})


class _Holes(dict[str, SafeString]):
    """``{{ hole.steps }}`` in a frame renders as a marker that ``Frame.fill`` replaces."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def __missing__(self, name: str) -> SafeString:
        # A random token per build, so that no published text can ever look like a hole.
        return mark_safe(f"\x00{self.token}:{name}\x00")  # noqa: S308 # nosec B308, B703


@dataclass(frozen=True)
class Frame:
    """A rendered template with holes: even positions are fixed HTML, odd positions name a hole."""

    chunks: tuple[str, ...]

    @classmethod
    def render(cls, template_name: str, context: Mapping[str, Any]) -> Frame:
        token = uuid.uuid4().hex
        html = render_to_string(template_name, {**context, "hole": _Holes(token)})
        chunks = tuple(re.split(f"\x00{token}:(\\w+)\x00", html))
        unknown = set(chunks[1::2]) - HOLES
        if unknown:
            # A misspelt hole would otherwise leave part of the page empty without a word.
            raise ValueError(f"{template_name} has unknown holes: {', '.join(sorted(unknown))}")
        return cls(chunks)

    def fill(self, **html: SafeString) -> SafeString:
        """The page with each hole replaced by the given HTML, which must already be safe (escaped)."""
        chunks = list(self.chunks)
        for index in range(1, len(chunks), 2):
            piece = html[chunks[index]]
            if not isinstance(piece, SafeString):
                raise TypeError(f"hole {chunks[index]!r} needs escaped HTML (a SafeString), not {type(piece).__name__}")
            chunks[index] = piece
        # The fixed chunks are autoescaped template output and every hole is already escaped HTML.
        return SafeString("".join(chunks))  # nosec B703


@dataclass(frozen=True)
class ResultPage:
    """The pieces of the result page in one language, for one municipality, content version and day."""

    title: str
    frames: dict[tuple[bool, ...], Frame]
    levels: dict[str, SafeString]
    steps: dict[engine.Step, SafeString]
    cards: dict[str, SafeString]
    stale_contacts: frozenset[str]
    duties: dict[str, SafeString]
    signs: dict[str, SafeString]
    sign_order: dict[str, int]
    askers: dict[str, SafeString]
    age_bands: dict[str, SafeString]
    answers: dict[tuple[str, bool], SafeString]

    def content(self, route: engine.Route, *, asker: str, age_band: str, answers: Mapping[str, bool],
                signs: Iterable[str], print_view: bool, back: SafeString) -> SafeString:
        """The page's main content for one route; ``back`` is the (escaped) address of the last question asked.

        ``answers`` holds the yes/no answers given, in the order of the questions.
        """
        marked = sorted(signs, key=self.sign_order.__getitem__)
        any_stale = any(step.contact_key in self.stale_contacts for step in route.steps)
        frame = self.frames[(print_view, bool(route.duties), any_stale, bool(marked))]
        told = [self.askers[asker], self.age_bands[age_band]]
        told += [self.answers[name, yes] for name, yes in answers.items()]
        return frame.fill(
            level=self.levels[route.level],
            duties=_join(self.duties[duty] for duty in route.duties),
            steps=_join(self.steps[step] for step in route.steps),
            answers=_join(told),
            signs=_join(self.signs[key] for key in marked),
            back=back,
        )


def _join(pieces: Iterable[SafeString]) -> SafeString:
    """Pieces of escaped HTML (all from this module's build) one after the other."""
    return SafeString("".join(pieces))  # nosec B703


def _html(template_name: str, context: dict[str, Any]) -> SafeString:
    # Autoescaped template output; strip() only drops the template file's surrounding whitespace.
    return mark_safe(render_to_string(template_name, context).strip())  # noqa: S308 # nosec B308, B703


def build_result_page(*, municipality: Municipality, rules: engine.RuleSet, signs: Iterable[Sign],
                      directory: Mapping[str, Contact], language: str) -> ResultPage:
    """Render every piece of the result page in ``language``: all of them, whatever anyone answers."""
    signs = list(signs)
    public = {"municipality": municipality}
    emergency = emergency_contact(directory)
    with override(language):
        cards = {key: _html("guidance/_contact.html", {"contact": contact}) for key, contact in directory.items()}
        steps = {
            step: _html("guidance/_result_step.html", {
                "item": {"key": step.contact_key, "card": cards[step.contact_key],
                         "reason": texts.reason_text(step.reason_key), "urgent": step.urgent}})
            for step in rules.possible_steps if step.contact_key in directory
        }
        frames = {
            flags: Frame.render("guidance/_result_frame.html", {**public, "frame": dict(zip(FRAME_FLAGS, flags,
                                                                                          strict=True))})
            for flags in itertools.product((False, True), repeat=len(FRAME_FLAGS))
        }
        yes_no = {True: gettext("Yes"), False: gettext("No")}
        return ResultPage(
            title=f"{gettext('Where to turn')} – {gettext('Where do I turn?')}",
            frames=frames,
            levels={level: _html("guidance/_result_level.html", {"emergency": emergency, "item": {
                "key": level, "name": texts.LEVELS[level][0], "text": texts.LEVELS[level][1]}})
                for level in engine.LEVELS},
            steps=steps,
            cards=cards,
            # National numbers are kept up to date nationally: only the municipality's own may warn.
            stale_contacts=frozenset(key for key, contact in directory.items() if contact.needs_warning),
            duties={duty: _html("guidance/_result_duty.html", {"item": texts.duty_text(duty)})
                    for duty in rules.duty_ids},
            signs={sign.key: _html("guidance/_result_sign.html", {**public, "item": sign}) for sign in signs},
            sign_order={sign.key: position for position, sign in enumerate(signs)},
            askers={key: _html("guidance/_result_answer.html", {"item": {"text": label}})
                    for key, label in texts.ASKERS.items()},
            age_bands={key: _html("guidance/_result_answer.html", {"item": {"age_band": label}})
                       for key, label in texts.AGE_BANDS.items()},
            answers={(name, yes): _html("guidance/_result_answer.html", {"item": {
                "text": texts.QUESTIONS[name], "answer": yes_no[yes]}})
                for name in engine.ANSWERS for yes in (True, False)},
        )
