"""The rule engine behind the public "Vart vänder jag mig?" guide.

Pure Python with no Django import, so it can be property-tested on its own and runs cheaply on every
request. The Django side loads the municipality's rule file once (``load_rules``), reads the sign
catalogue from ``knowledge`` and the contact keys from the contact directory, and calls ``evaluate``.

Rule language (a YAML file per municipality; the demo is ``data/rules/sollentuna.yaml``)::

    version: 1
    municipality: sollentuna
    fallback_contacts:               # used, first present wins, when no rule step survives
      - {contact: coordinator, reason: coordinator_questions}
    answer_levels:                   # optional: raise the level a yes-answer gives (never lower it)
      wants_to_leave: heightened
    rules:
      - id: staff-child-report-of-concern
        note: free text for people who edit the file
        when:                        # every condition given must hold; an omitted one matches anything
          level: {at_least: heightened}      # also at_most, equals; none < early < heightened < clear < acute
          asker: [municipal_staff]           # one of the listed values
          age_band: [under_18]
          answers: {planning_violence: true} # each listed answer must have the given value
        then:                        # at least one of steps / duties
          steps:
            - {contact: social-services-intake, reason: social_services_report_of_concern,
               priority: 18, urgent: false}
          duties: [report_of_concern]

Steps of all matching rules are ordered by (priority, rule position in the file, step position in the
rule). Then the engine enforces, whatever the file says: steps whose contact is not in the directory
are dropped; the first step per contact wins (no duplicates); an acute result puts ``emergency-112``
first (when the directory has it); an empty list gets the first fallback contact that exists. A
directory holding none of the fallback contacts is a configuration error (``GuidanceInputError``), so
every valid call returns at least one step.

The level is computed in code, not in rules: the highest tier among the signs, raised by yes-answers
(immediate danger gives ``acute``, planning violence at least ``clear``, wanting to leave at least
``early``; the file's ``answer_levels`` may raise these further).

The result depends on the signs only through their highest tier, so everything a rule set can answer
with one directory fits in a small table: ``route_table`` works it out up front with ``evaluate`` (one
entry per highest tier, asker, age band and yes/no answers), and ``RouteTable.route`` then answers with a
look-up. It leaves out the drivers, which name the signs.

Drivers say why: the inputs that set the level (``sign:<id>`` for signs of the resulting tier,
``answer:<name>`` for answers whose floor is the level), plus ``answer:``, ``asker:`` and ``age:`` when a
rule that put a step or duty into the result tested them.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jsonschema
import yaml

from varna.core import safe_yaml

LEVELS: tuple[str, ...] = ("none", "early", "heightened", "clear", "acute")
SIGN_TIERS: tuple[str, ...] = ("early", "heightened", "clear")
ASKERS: tuple[str, ...] = ("self", "relative", "friend", "municipal_staff", "other_professional")
AGE_BANDS: tuple[str, ...] = ("under_18", "adult", "unknown")
ANSWERS: tuple[str, ...] = ("immediate_danger", "planning_violence", "wants_to_leave")

EMERGENCY_CONTACT = "emergency-112"
# Reason used when the engine itself has to put 112 first because the rules did not.
EMERGENCY_REASON = "call_112_now"

# Floors that hold whatever the rule file says: the guide must never play down danger, and any
# yes-answer means there is something to be concerned about.
_ANSWER_FLOORS: dict[str, str] = {
    "immediate_danger": "acute",
    "planning_violence": "clear",
    "wants_to_leave": "early",
}

_RANK: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS)}

DEMO_RULES = "sollentuna.yaml"


class GuidanceInputError(ValueError):
    """The input to ``evaluate`` is invalid: unknown sign, asker, age band, or an unusable directory."""


class RuleFileError(ValueError):
    """A rule file is not valid. ``path`` names the bad field, e.g. ``rules[3].when.asker[0]``."""

    def __init__(self, path: str, message: str, *, source: str = "<rules>") -> None:
        self.path = path
        self.message = message
        self.source = source
        super().__init__(f"{source}: {path}: {message}")


@dataclass(frozen=True, kw_only=True)
class GuidanceInput:
    """What the person told the guide. Nothing here identifies anyone."""

    signs: frozenset[str] = frozenset()
    asker: str
    age_band: str = "unknown"
    immediate_danger: bool = False
    planning_violence: bool = False
    wants_to_leave: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.signs, str) or not isinstance(self.signs, Collection):
            raise GuidanceInputError(f"signs must be a set of sign ids, not {type(self.signs).__name__}")
        if not isinstance(self.signs, frozenset):
            object.__setattr__(self, "signs", frozenset(self.signs))
        if not all(isinstance(sign, str) for sign in self.signs):
            raise GuidanceInputError("signs must be strings")
        if self.asker not in ASKERS:
            raise GuidanceInputError(f"unknown asker {self.asker!r}; expected one of {', '.join(ASKERS)}")
        if self.age_band not in AGE_BANDS:
            raise GuidanceInputError(
                f"unknown age band {self.age_band!r}; expected one of {', '.join(AGE_BANDS)}"
            )
        for name in ANSWERS:
            if not isinstance(getattr(self, name), bool):
                raise GuidanceInputError(f"{name} must be True or False")


@dataclass(frozen=True)
class Step:
    """One thing to do: whom to contact, and a stable key for the sentence that says why."""

    contact_key: str
    reason_key: str
    urgent: bool = False


@dataclass(frozen=True)
class GuidanceResult:
    """The guide's answer. ``drivers`` lists the inputs that led to it, e.g. ``sign:heightened-hatred``."""

    level: str
    steps: tuple[Step, ...]
    duties: tuple[str, ...]
    drivers: tuple[str, ...]


@dataclass(frozen=True)
class Route:
    """What to show for an answer set: ``evaluate``'s result without the drivers."""

    level: str
    steps: tuple[Step, ...]
    duties: tuple[str, ...]


# --- rule file schema -------------------------------------------------------------------------------

_KEY = r"^[a-z0-9][a-z0-9-]*$"  # contact keys and rule ids: kebab-case
_ID = r"^[a-z][a-z0-9_]*$"  # reason keys and duty ids: snake_case, they become translation keys


def _choice_list(values: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "array", "items": {"enum": list(values)}, "minItems": 1, "uniqueItems": True}


_STEP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["contact", "reason", "priority"],
    "additionalProperties": False,
    "properties": {
        "contact": {"type": "string", "pattern": _KEY},
        "reason": {"type": "string", "pattern": _ID},
        "priority": {"type": "integer", "minimum": 0, "maximum": 1000},
        "urgent": {"type": "boolean"},
    },
}

_RULE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "when", "then"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": _KEY},
        "note": {"type": "string"},
        "when": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "level": {
                    "type": "object",
                    "minProperties": 1,
                    "additionalProperties": False,
                    "properties": {
                        name: {"enum": list(LEVELS)} for name in ("at_least", "at_most", "equals")
                    },
                },
                "asker": _choice_list(ASKERS),
                "age_band": _choice_list(AGE_BANDS),
                "answers": {
                    "type": "object",
                    "minProperties": 1,
                    "additionalProperties": False,
                    "properties": {name: {"type": "boolean"} for name in ANSWERS},
                },
            },
        },
        "then": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": False,
            "properties": {
                "steps": {"type": "array", "minItems": 1, "items": _STEP_SCHEMA},
                "duties": {
                    "type": "array",
                    "minItems": 1,
                    "uniqueItems": True,
                    "items": {"type": "string", "pattern": _ID},
                },
            },
        },
    },
}

RULE_FILE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["version", "municipality", "fallback_contacts", "rules"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": 1},
        "municipality": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "fallback_contacts": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["contact", "reason"],
                "additionalProperties": False,
                "properties": {
                    "contact": {"type": "string", "pattern": _KEY},
                    "reason": {"type": "string", "pattern": _ID},
                },
            },
        },
        "answer_levels": {
            "type": "object",
            "additionalProperties": False,
            "properties": {name: {"enum": list(LEVELS)} for name in ANSWERS},
        },
        "rules": {"type": "array", "minItems": 1, "items": _RULE_SCHEMA},
    },
}

_VALIDATOR = jsonschema.Draft202012Validator(RULE_FILE_SCHEMA)


def _field_path(parts: Collection[str | int]) -> str:
    """Render a jsonschema path as ``rules[3].when.asker[0]``."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _schema_error(error: jsonschema.ValidationError, source: str) -> RuleFileError:
    """Turn a jsonschema error into one that names the exact field and says what is wrong in plain words."""
    parts: list[str | int] = list(error.absolute_path)
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        unexpected = sorted(set(error.instance) - set(allowed))
        return RuleFileError(
            _field_path([*parts, unexpected[0]]),
            f"unknown field (allowed: {', '.join(allowed)})",
            source=source,
        )
    if error.validator == "required":
        missing = next(name for name in error.validator_value if name not in error.instance)
        return RuleFileError(_field_path([*parts, missing]), "is required", source=source)
    if error.validator == "enum":
        options = ", ".join(map(str, error.validator_value))
        return RuleFileError(
            _field_path(parts), f"{error.instance!r} is not one of: {options}", source=source
        )
    if error.validator in ("minItems", "minProperties") and error.validator_value == 1:
        return RuleFileError(_field_path(parts), "must not be empty", source=source)
    if error.validator == "type" and error.instance is None and not parts:
        return RuleFileError(_field_path(parts), "the file is empty", source=source)
    if error.validator == "pattern":
        style = "kebab-case" if error.validator_value == _KEY else "snake_case"
        return RuleFileError(_field_path(parts), f"{error.instance!r} must be {style}", source=source)
    return RuleFileError(_field_path(parts), error.message, source=source)


# --- compiled rules ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    """A rule compiled to ranks and sets, so matching is a few comparisons per request."""

    index: int
    rule_id: str
    min_rank: int
    max_rank: int
    askers: frozenset[str] | None
    age_bands: frozenset[str] | None
    answers: tuple[tuple[str, bool], ...]
    duties: tuple[str, ...]

    def matches(self, rank: int, inp: GuidanceInput) -> bool:
        # Plain tests and a loop rather than all(<generator>): this runs for every rule on every request.
        if not self.min_rank <= rank <= self.max_rank:
            return False
        if self.askers is not None and inp.asker not in self.askers:
            return False
        if self.age_bands is not None and inp.age_band not in self.age_bands:
            return False
        for name, value in self.answers:  # noqa: SIM110 -- see above
            if getattr(inp, name) is not value:
                return False
        return True


@dataclass(frozen=True)
class _RuleStep:
    rule_index: int
    step: Step


@dataclass(frozen=True)
class RuleSet:
    """A validated, precompiled rule file. Build it with ``load_rules``."""

    municipality: str
    fallback: tuple[Step, ...]
    answer_floors: Mapping[str, int]
    _rules: tuple[_Rule, ...] = field(repr=False)
    # All steps of all rules, already in output order; evaluate only filters this list.
    _ordered_steps: tuple[_RuleStep, ...] = field(repr=False)

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(rule.rule_id for rule in self._rules)

    @property
    def referenced_contacts(self) -> frozenset[str]:
        """Contact keys the file mentions; the directory should hold them all (typos are silently dropped)."""
        return frozenset(item.step.contact_key for item in self._ordered_steps) | frozenset(
            step.contact_key for step in self.fallback
        )

    @property
    def reason_keys(self) -> frozenset[str]:
        """Every reason key an answer can carry; the UI needs a sentence for each."""
        keys = {item.step.reason_key for item in self._ordered_steps}
        keys |= {step.reason_key for step in self.fallback}
        return frozenset(keys | {EMERGENCY_REASON})

    @property
    def possible_steps(self) -> frozenset[Step]:
        """Every step ``evaluate`` can return with these rules, whatever the input and directory.

        Lets the UI prepare each step's presentation in advance instead of per answer.
        """
        steps = {item.step for item in self._ordered_steps} | set(self.fallback)
        # An acute result makes the emergency step urgent, keeping the rule's reason if a rule named it.
        steps |= {Step(step.contact_key, step.reason_key, urgent=True) for step in steps
                  if step.contact_key == EMERGENCY_CONTACT}
        steps.add(Step(EMERGENCY_CONTACT, EMERGENCY_REASON, urgent=True))
        return frozenset(steps)

    @property
    def duty_ids(self) -> frozenset[str]:
        """Every duty id an answer can carry; the UI needs a sentence for each."""
        return frozenset(duty for rule in self._rules for duty in rule.duties)

    def check_directory(self, contacts: Collection[str]) -> None:
        """Raise ``GuidanceInputError`` unless the directory holds at least one fallback contact."""
        if not any(step.contact_key in contacts for step in self.fallback):
            wanted = ", ".join(step.contact_key for step in self.fallback)
            raise GuidanceInputError(
                f"the contact directory has none of the fallback contacts ({wanted}), "
                "so the guide cannot promise an answer"
            )


def load_rules(text_or_path: str | Path, *, source: str | None = None) -> RuleSet:
    """Parse, validate and compile a rule file given as YAML text or a path to a ``.yaml`` file.

    Raises ``RuleFileError`` naming the first bad field.
    """
    if isinstance(text_or_path, Path) or (
        "\n" not in text_or_path and text_or_path.strip().endswith((".yaml", ".yml"))
    ):
        path = Path(text_or_path)
        source = source or path.name
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise RuleFileError("(file)", f"cannot read {path}: {exc.strerror}", source=source) from exc
    else:
        text = text_or_path
        source = source or "<rules>"
    try:
        # The bounded safe loader every YAML path uses: limits on size, depth and aliases; no key twice.
        data = safe_yaml.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(yaml)"
        raise RuleFileError(where, f"not valid YAML: {getattr(exc, 'problem', exc)}", source=source) from exc
    return compile_rules(data, source=source)


def load_demo_rules() -> RuleSet:
    """The Sollentuna demo rules shipped with the package."""
    text = resources.files("varna.guidance").joinpath("data", "rules", DEMO_RULES).read_text("utf-8")
    return load_rules(text, source=DEMO_RULES)


def compile_rules(data: Any, *, source: str = "<rules>") -> RuleSet:
    """Validate already-parsed rule data (e.g. from an import form) and compile it."""
    # best_match picks the most specific error, so a typo deep in a rule is reported there and not as
    # "the top level is invalid".
    error = jsonschema.exceptions.best_match(_VALIDATOR.iter_errors(data))
    if error is not None:
        raise _schema_error(error, source)

    floors = {name: _RANK[level] for name, level in _ANSWER_FLOORS.items()}
    for name, level in data.get("answer_levels", {}).items():
        if _RANK[level] < floors[name]:
            raise RuleFileError(
                f"answer_levels.{name}",
                f"{level!r} is below the built-in floor {_ANSWER_FLOORS[name]!r}; it can only be raised",
                source=source,
            )
        floors[name] = _RANK[level]

    rules: list[_Rule] = []
    steps: list[tuple[int, int, int, _RuleStep]] = []
    seen_ids: dict[str, int] = {}
    for index, raw in enumerate(data["rules"]):
        if raw["id"] in seen_ids:
            raise RuleFileError(
                f"rules[{index}].id",
                f"{raw['id']!r} is already used by rules[{seen_ids[raw['id']]}]",
                source=source,
            )
        seen_ids[raw["id"]] = index
        when, then = raw["when"], raw["then"]
        min_rank, max_rank = _level_range(when.get("level", {}), f"rules[{index}].when.level", source)
        rules.append(
            _Rule(
                index=index,
                rule_id=raw["id"],
                min_rank=min_rank,
                max_rank=max_rank,
                askers=frozenset(when["asker"]) if "asker" in when else None,
                age_bands=frozenset(when["age_band"]) if "age_band" in when else None,
                answers=tuple(
                    (name, when["answers"][name]) for name in ANSWERS if name in when.get("answers", {})
                ),
                duties=tuple(then.get("duties", ())),
            )
        )
        for position, raw_step in enumerate(then.get("steps", ())):
            step = Step(raw_step["contact"], raw_step["reason"], raw_step.get("urgent", False))
            steps.append((raw_step["priority"], index, position, _RuleStep(index, step)))

    return RuleSet(
        municipality=data["municipality"],
        fallback=tuple(Step(item["contact"], item["reason"]) for item in data["fallback_contacts"]),
        answer_floors=MappingProxyType(floors),
        _rules=tuple(rules),
        _ordered_steps=tuple(item for *_, item in sorted(steps, key=lambda entry: entry[:3])),
    )


def _level_range(condition: Mapping[str, str], path: str, source: str) -> tuple[int, int]:
    low, high = 0, len(LEVELS) - 1
    if "equals" in condition:
        low = high = _RANK[condition["equals"]]
    if "at_least" in condition:
        low = max(low, _RANK[condition["at_least"]])
    if "at_most" in condition:
        high = min(high, _RANK[condition["at_most"]])
    if low > high:
        # A rule that can never match is almost certainly a mistake in the file, so say so on load.
        raise RuleFileError(
            path, "the level conditions contradict each other; the rule could never match", source=source
        )
    return low, high


# --- evaluation -------------------------------------------------------------------------------------


# Complex on purpose: the rule order is the guide's meaning; split up, it would be read out of order.
def evaluate(  # noqa: C901
    inp: GuidanceInput, *, rules: RuleSet, signs: Mapping[str, str], contacts: Collection[str]
) -> GuidanceResult:
    """Work out the concern level, the ordered steps, the duties and the drivers for one answer set.

    ``signs`` maps every sign id in the catalogue to its tier; ``contacts`` holds the contact keys that
    exist in the municipality's directory. No I/O: this runs on every request.
    """
    if not isinstance(contacts, (set, frozenset, Mapping)):
        contacts = frozenset(contacts)
    rules.check_directory(contacts)

    sign_ranks: dict[str, int] = {}
    for sign in inp.signs:
        tier = signs.get(sign)
        if tier is None:
            raise GuidanceInputError(f"unknown sign {sign!r}")
        if tier not in SIGN_TIERS:
            raise GuidanceInputError(f"sign {sign!r} has unknown tier {tier!r} in the catalogue")
        sign_ranks[sign] = _RANK[tier]

    answered = [name for name in ANSWERS if getattr(inp, name)]
    rank = max([0, *sign_ranks.values(), *(rules.answer_floors[name] for name in answered)])

    fired = [rule.matches(rank, inp) for rule in rules._rules]
    steps: list[Step] = []
    contributing: set[int] = {rule.index for rule in rules._rules if fired[rule.index] and rule.duties}
    used_contacts: set[str] = set()
    for item in rules._ordered_steps:
        if not fired[item.rule_index]:
            continue
        contact = item.step.contact_key
        if contact in contacts and contact not in used_contacts:
            used_contacts.add(contact)
            steps.append(item.step)
            contributing.add(item.rule_index)

    if rank == _RANK["acute"] and EMERGENCY_CONTACT in contacts:
        existing = next((step for step in steps if step.contact_key == EMERGENCY_CONTACT), None)
        if existing is not None:
            steps.remove(existing)
        reason = existing.reason_key if existing else EMERGENCY_REASON
        steps.insert(0, Step(EMERGENCY_CONTACT, reason, urgent=True))

    if not steps:
        # check_directory above guarantees one of these exists.
        steps.append(next(step for step in rules.fallback if step.contact_key in contacts))

    duties: list[str] = []
    for rule in rules._rules:
        if rule.duties and fired[rule.index]:
            duties.extend(duty for duty in rule.duties if duty not in duties)

    return GuidanceResult(
        level=LEVELS[rank],
        steps=tuple(steps),
        duties=tuple(duties),
        drivers=_drivers(inp, rank, sign_ranks, answered, rules, contributing),
    )


def _drivers(
    inp: GuidanceInput,
    rank: int,
    sign_ranks: Mapping[str, int],
    answered: list[str],
    rules: RuleSet,
    contributing: set[int],
) -> tuple[str, ...]:
    """The inputs that set the level, plus the asker, age and answers that rules used to pick steps.

    Only inputs that made a difference are listed, so "why am I told this?" has an honest answer.
    """
    used = [rules._rules[index] for index in sorted(contributing)]
    drivers = [
        f"answer:{name}"
        for name in answered
        if rules.answer_floors[name] == rank or any((name, True) in rule.answers for rule in used)
    ]
    if rank:
        drivers += [f"sign:{sign}" for sign in sorted(sign_ranks) if sign_ranks[sign] == rank]
    if any(rule.askers is not None for rule in used):
        drivers.append(f"asker:{inp.asker}")
    if any(rule.age_bands is not None for rule in used):
        drivers.append(f"age:{inp.age_band}")
    return tuple(drivers)


# --- the route table ---------------------------------------------------------------------------------

# Stand-ins for "some sign of this tier": the result depends on the signs only through the highest tier.
_TIER_SIGNS: dict[str, str] = {tier: f"any-{tier}-sign" for tier in SIGN_TIERS}


@dataclass(frozen=True)
class RouteTable:
    """Every route a rule set gives with one directory, by highest sign tier and answers. See ``route_table``."""

    _routes: Mapping[tuple[int, str, str, bool, bool, bool], Route] = field(repr=False)

    def route(self, *, signs: Collection[str], tiers: Mapping[str, str], asker: str, age_band: str = "unknown",
              immediate_danger: bool = False, planning_violence: bool = False, wants_to_leave: bool = False) -> Route:
        """The route for these answers; the same as ``evaluate`` gives, without its drivers.

        ``tiers`` is the sign catalogue ({sign id: tier}); an unknown sign, asker or age band is a
        ``GuidanceInputError``, as in ``evaluate``.
        """
        try:
            highest = max((_RANK[tiers[sign]] for sign in signs), default=0)
            return self._routes[highest, asker, age_band, immediate_danger, planning_violence, wants_to_leave]
        except KeyError as exc:
            raise GuidanceInputError(f"no route for {exc.args[0]!r}") from None


def route_table(rules: RuleSet, contacts: Collection[str]) -> RouteTable:
    """Work out every route of ``rules`` with this directory up front (a few hundred calls of ``evaluate``).

    Raises ``GuidanceInputError`` if the directory holds none of the fallback contacts.
    """
    if not isinstance(contacts, (set, frozenset, Mapping)):
        contacts = frozenset(contacts)
    rules.check_directory(contacts)
    catalogue = {sign: tier for tier, sign in _TIER_SIGNS.items()}
    routes: dict[tuple[int, str, str, bool, bool, bool], Route] = {}
    for tier, asker, age_band in itertools.product(("none", *SIGN_TIERS), ASKERS, AGE_BANDS):
        for danger, planning, leaving in itertools.product((False, True), repeat=len(ANSWERS)):
            signs = frozenset() if tier == "none" else frozenset({_TIER_SIGNS[tier]})
            result = evaluate(GuidanceInput(signs=signs, asker=asker, age_band=age_band, immediate_danger=danger,
                                            planning_violence=planning, wants_to_leave=leaving),
                              rules=rules, signs=catalogue, contacts=contacts)
            routes[_RANK[tier], asker, age_band, danger, planning, leaving] = Route(result.level, result.steps,
                                                                                     result.duties)
    return RouteTable(MappingProxyType(routes))


__all__ = [
    "AGE_BANDS",
    "ANSWERS",
    "ASKERS",
    "EMERGENCY_CONTACT",
    "EMERGENCY_REASON",
    "LEVELS",
    "RULE_FILE_SCHEMA",
    "SIGN_TIERS",
    "GuidanceInput",
    "GuidanceInputError",
    "GuidanceResult",
    "RuleFileError",
    "Route",
    "RouteTable",
    "RuleSet",
    "Step",
    "compile_rules",
    "evaluate",
    "load_demo_rules",
    "load_rules",
    "route_table",
]
