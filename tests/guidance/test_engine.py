"""Tests of the "Vart vänder jag mig?" rule engine and the Sollentuna demo rules.

Pure Python: run without Django (``-p no:django``). Property tests cover the guarantees that must hold
for every input; the named scenarios walk the routes of the reference plan.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from varna.guidance.engine import (
    AGE_BANDS,
    ANSWERS,
    ASKERS,
    EMERGENCY_CONTACT,
    LEVELS,
    GuidanceInput,
    GuidanceInputError,
    GuidanceResult,
    Route,
    RouteTable,
    RuleFileError,
    RuleSet,
    Step,
    compile_rules,
    evaluate,
    load_demo_rules,
    load_rules,
    route_table,
)

# The demo sign catalogue; the knowledge module ships the same ids.
SIGNS: dict[str, str] = {
    "early-insecurity": "early",
    "early-low-trust": "early",
    "early-graffiti-stickers": "early",
    "early-groups-discriminated": "early",
    "early-outside-community": "early",
    "heightened-symbols": "heightened",
    "heightened-hatred": "heightened",
    "heightened-gangs-gatherings": "heightened",
    "heightened-bullying-harassment": "heightened",
    "heightened-vandalism": "heightened",
    "clear-extremist-media": "clear",
    "clear-violent-incidents": "clear",
    "clear-symbols-worn": "clear",
    "clear-related-crime": "clear",
}
CONTACTS: frozenset[str] = frozenset(
    {
        "emergency-112",
        "police-tips",
        "coordinator",
        "social-services-intake",
        "relatives-line",
        "child-psychiatry",
        "adult-psychiatry",
        "leaver-support",
        "healthcare-advice",
        "bris",
    }
)
RULES = load_demo_rules()
FALLBACK_CONTACTS = ("coordinator", "emergency-112")
HEIGHTENED_OR_MORE = ("heightened", "clear", "acute")


def _rank(level: str) -> int:
    return LEVELS.index(level)


def run(inp: GuidanceInput, contacts: frozenset[str] = CONTACTS, rules: RuleSet = RULES) -> GuidanceResult:
    return evaluate(inp, rules=rules, signs=SIGNS, contacts=contacts)


def contacts_of(result: GuidanceResult) -> list[str]:
    return [step.contact_key for step in result.steps]


# --- strategies -------------------------------------------------------------------------------------

sign_sets = st.frozensets(st.sampled_from(sorted(SIGNS)))
any_asker = st.sampled_from(ASKERS)
any_age_band = st.sampled_from(AGE_BANDS)
yes_or_no = st.booleans()


def inputs(
    *,
    signs: st.SearchStrategy[frozenset[str]] = sign_sets,
    asker: st.SearchStrategy[str] = any_asker,
    age_band: st.SearchStrategy[str] = any_age_band,
    immediate_danger: st.SearchStrategy[bool] = yes_or_no,
    planning_violence: st.SearchStrategy[bool] = yes_or_no,
    wants_to_leave: st.SearchStrategy[bool] = yes_or_no,
) -> st.SearchStrategy[GuidanceInput]:
    """Any answer set the wizard can produce; pin a field by passing ``st.just(value)``."""
    return st.builds(
        GuidanceInput,
        signs=signs,
        asker=asker,
        age_band=age_band,
        immediate_danger=immediate_danger,
        planning_violence=planning_violence,
        wants_to_leave=wants_to_leave,
    )


# A random part of the demo directory that still holds at least one fallback contact (a directory
# with none is refused; see test_a_directory_without_any_fallback_contact_is_refused).
directories = st.builds(
    lambda fallback, rest: rest | {fallback},
    st.sampled_from(FALLBACK_CONTACTS),
    st.frozensets(st.sampled_from(sorted(CONTACTS))),
)

# Signs that on their own give at least heightened concern.
serious_sign_sets = st.builds(
    lambda serious, rest: rest | {serious},
    st.sampled_from([sign for sign, tier in SIGNS.items() if tier != "early"]),
    sign_sets,
)

contact_keys = st.sampled_from([*sorted(CONTACTS), "not-in-directory"])
reason_keys = st.sampled_from(["reason_a", "reason_b", "reason_c"])


@st.composite
def rule_files(draw: st.DrawFn) -> dict[str, Any]:
    """Arbitrary valid rule data, to check the guarantees hold whatever a municipality writes."""
    rules = []
    for index in range(draw(st.integers(min_value=1, max_value=8))):
        when: dict[str, Any] = {}
        if draw(st.booleans()):
            when["level"] = {draw(st.sampled_from(["at_least", "equals"])): draw(st.sampled_from(LEVELS))}
        if draw(st.booleans()):
            when["asker"] = draw(st.lists(st.sampled_from(ASKERS), min_size=1, unique=True))
        if draw(st.booleans()):
            when["age_band"] = draw(st.lists(st.sampled_from(AGE_BANDS), min_size=1, unique=True))
        if draw(st.booleans()):
            when["answers"] = draw(st.dictionaries(st.sampled_from(ANSWERS), st.booleans(), min_size=1))
        steps = draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "contact": contact_keys,
                        "reason": reason_keys,
                        "priority": st.integers(min_value=0, max_value=100),
                    },
                    optional={"urgent": st.booleans()},
                ),
                min_size=1,
                max_size=4,
            )
        )
        rules.append({"id": f"rule-{index}", "when": when, "then": {"steps": steps}})
    return {
        "version": 1,
        "municipality": "anywhere",
        "fallback_contacts": [
            {"contact": "coordinator", "reason": "coordinator_questions"},
            {"contact": "emergency-112", "reason": "call_112_if_in_danger"},
        ],
        "rules": rules,
    }


# --- totality and the engine's guarantees -----------------------------------------------------------


@given(inputs(), directories)
def test_every_input_gets_a_well_formed_answer(inp: GuidanceInput, contacts: frozenset[str]) -> None:
    result = run(inp, contacts)

    assert result.level in LEVELS
    assert result.steps
    assert all(isinstance(step, Step) for step in result.steps)
    assert set(result.duties) <= RULES.duty_ids
    assert {step.reason_key for step in result.steps} <= RULES.reason_keys
    assert result == run(inp, contacts), "the same input must give the same answer"


@given(inputs(), directories)
def test_every_answer_has_at_least_one_contact_from_the_directory(
    inp: GuidanceInput, contacts: frozenset[str]
) -> None:
    result = run(inp, contacts)

    assert any(step.contact_key in contacts for step in result.steps)


@given(inputs(), directories)
def test_no_step_names_a_contact_missing_from_the_directory(
    inp: GuidanceInput, contacts: frozenset[str]
) -> None:
    assert set(contacts_of(run(inp, contacts))) <= contacts


@given(inputs(), directories)
def test_no_contact_is_listed_twice(inp: GuidanceInput, contacts: frozenset[str]) -> None:
    listed = contacts_of(run(inp, contacts))

    assert len(listed) == len(set(listed))


@given(inputs(immediate_danger=st.just(True)), directories)
def test_immediate_danger_is_acute_with_112_first_and_urgent(
    inp: GuidanceInput, contacts: frozenset[str]
) -> None:
    result = run(inp, contacts)

    assert result.level == "acute"
    if EMERGENCY_CONTACT in contacts:
        assert result.steps[0] == Step(EMERGENCY_CONTACT, "call_112_now", urgent=True)


@given(inputs(immediate_danger=st.just(False)))
def test_without_immediate_danger_the_answer_is_never_acute(inp: GuidanceInput) -> None:
    assert run(inp).level != "acute"


@given(inputs(planning_violence=st.just(True), immediate_danger=st.just(False)))
def test_planning_violence_is_at_least_clear_and_sends_to_the_police_first(inp: GuidanceInput) -> None:
    result = run(inp)

    assert _rank(result.level) >= _rank("clear")
    assert result.steps[0] == Step("police-tips", "police_tips_planned_violence", urgent=True)


@given(inputs())
def test_level_is_none_only_without_signs_and_yes_answers(inp: GuidanceInput) -> None:
    nothing_given = not inp.signs and not any(getattr(inp, name) for name in ANSWERS)

    assert (run(inp).level == "none") == nothing_given


@given(
    inputs(immediate_danger=st.just(False), planning_violence=st.just(False), wants_to_leave=st.just(False))
)
def test_without_yes_answers_the_level_is_the_highest_sign_tier(inp: GuidanceInput) -> None:
    expected = max((_rank(SIGNS[sign]) for sign in inp.signs), default=0)

    assert run(inp).level == LEVELS[expected]


@given(inputs(), directories)
def test_rules_do_not_depend_on_the_order_signs_were_picked(
    inp: GuidanceInput, contacts: frozenset[str]
) -> None:
    reordered = GuidanceInput(
        signs=frozenset(sorted(inp.signs, reverse=True)),
        asker=inp.asker,
        age_band=inp.age_band,
        immediate_danger=inp.immediate_danger,
        planning_violence=inp.planning_violence,
        wants_to_leave=inp.wants_to_leave,
    )

    assert run(reordered, contacts) == run(inp, contacts)


@given(inputs())
def test_drivers_only_name_inputs_that_were_given(inp: GuidanceInput) -> None:
    given_inputs = {f"sign:{sign}" for sign in inp.signs}
    given_inputs |= {f"answer:{name}" for name in ANSWERS if getattr(inp, name)}
    given_inputs |= {f"asker:{inp.asker}", f"age:{inp.age_band}"}
    drivers = run(inp).drivers

    assert set(drivers) <= given_inputs
    assert len(drivers) == len(set(drivers))


@given(inputs())
def test_a_result_with_signs_or_yes_answers_names_at_least_one_of_them_as_driver(inp: GuidanceInput) -> None:
    result = run(inp)

    if result.level != "none":
        assert any(driver.startswith(("sign:", "answer:")) for driver in result.drivers)


@given(rule_files(), inputs(), directories)
def test_the_guarantees_hold_whatever_the_rule_file_says(
    data: dict[str, Any], inp: GuidanceInput, contacts: frozenset[str]
) -> None:
    result = run(inp, contacts, rules=compile_rules(data))
    listed = contacts_of(result)

    assert listed
    assert set(listed) <= contacts
    assert len(listed) == len(set(listed))
    if result.level == "acute" and EMERGENCY_CONTACT in contacts:
        assert listed[0] == EMERGENCY_CONTACT
        assert result.steps[0].urgent


@given(rule_files(), inputs(), directories)
def test_every_step_of_an_answer_is_one_the_rule_file_announces(
    data: dict[str, Any], inp: GuidanceInput, contacts: frozenset[str]
) -> None:
    # The result page renders each possible step in advance; a step outside this set would have no card.
    rules = compile_rules(data)
    assert set(run(inp, contacts, rules=rules).steps) <= rules.possible_steps


@given(inputs(), directories)
def test_the_demo_rules_announce_every_step_they_can_give(inp: GuidanceInput, contacts: frozenset[str]) -> None:
    assert set(run(inp, contacts).steps) <= RULES.possible_steps


def _route_of(table: RouteTable, inp: GuidanceInput) -> Route:
    return table.route(signs=inp.signs, tiers=SIGNS, asker=inp.asker, age_band=inp.age_band,
                       immediate_danger=inp.immediate_danger, planning_violence=inp.planning_violence,
                       wants_to_leave=inp.wants_to_leave)


@given(rule_files(), inputs(), directories)
def test_the_route_table_answers_what_evaluate_answers(
    data: dict[str, Any], inp: GuidanceInput, contacts: frozenset[str]
) -> None:
    rules = compile_rules(data)
    result = run(inp, contacts, rules=rules)
    assert _route_of(route_table(rules, contacts), inp) == Route(result.level, result.steps, result.duties)


@given(inputs(), directories)
def test_the_demo_route_table_answers_what_evaluate_answers(inp: GuidanceInput, contacts: frozenset[str]) -> None:
    result = run(inp, contacts)
    assert _route_of(route_table(RULES, contacts), inp) == Route(result.level, result.steps, result.duties)


def test_the_route_table_refuses_what_evaluate_refuses() -> None:
    with pytest.raises(GuidanceInputError):
        route_table(RULES, frozenset({"police-tips"}))
    table = route_table(RULES, CONTACTS)
    with pytest.raises(GuidanceInputError):
        table.route(signs={"no-such-sign"}, tiers=SIGNS, asker="relative")
    with pytest.raises(GuidanceInputError):
        table.route(signs=set(), tiers=SIGNS, asker="stranger")


def test_every_combination_of_answers_and_sign_tiers_gets_a_contact() -> None:
    # Exhaustive where hypothesis samples: one sign per tier stands for its tier.
    per_tier = [frozenset(), {"early-insecurity"}, {"heightened-hatred"}, {"clear-related-crime"}]
    count = 0
    for early in per_tier[:2]:
        for heightened in (per_tier[0], per_tier[2]):
            for clear in (per_tier[0], per_tier[3]):
                for asker in ASKERS:
                    for age_band in AGE_BANDS:
                        for flags in range(8):
                            inp = GuidanceInput(
                                signs=frozenset(early | heightened | clear),
                                asker=asker,
                                age_band=age_band,
                                immediate_danger=bool(flags & 1),
                                planning_violence=bool(flags & 2),
                                wants_to_leave=bool(flags & 4),
                            )
                            assert run(inp).steps
                            count += 1
    assert count == 2 * 2 * 2 * len(ASKERS) * len(AGE_BANDS) * 8


# --- duties and routes ------------------------------------------------------------------------------


@given(inputs(signs=serious_sign_sets, asker=st.just("municipal_staff"), age_band=st.just("under_18")))
def test_staff_with_heightened_concern_for_a_child_must_report_to_social_services(inp: GuidanceInput) -> None:
    result = run(inp)

    assert result.level in HEIGHTENED_OR_MORE
    assert "social-services-intake" in contacts_of(result)
    assert "report_of_concern" in result.duties


@given(inputs())
def test_the_reporting_duty_applies_only_to_staff_with_a_child_and_heightened_concern(
    inp: GuidanceInput,
) -> None:
    result = run(inp)
    applies = (
        inp.asker == "municipal_staff" and inp.age_band == "under_18" and result.level in HEIGHTENED_OR_MORE
    )

    assert ("report_of_concern" in result.duties) == applies


@given(inputs(signs=serious_sign_sets, asker=st.just("municipal_staff"), age_band=st.just("unknown")))
def test_staff_who_do_not_know_the_age_are_asked_to_consider_a_report(inp: GuidanceInput) -> None:
    result = run(inp)

    assert "consider_report_of_concern" in result.duties
    assert "report_of_concern" not in result.duties
    assert "social-services-intake" in contacts_of(result)


@given(inputs(age_band=st.just("under_18")), directories)
def test_a_person_under_18_is_never_sent_to_adult_psychiatry(
    inp: GuidanceInput, contacts: frozenset[str]
) -> None:
    assert "adult-psychiatry" not in contacts_of(run(inp, contacts))


@given(inputs(age_band=st.just("adult")), directories)
def test_an_adult_is_never_sent_to_child_psychiatry(inp: GuidanceInput, contacts: frozenset[str]) -> None:
    assert "child-psychiatry" not in contacts_of(run(inp, contacts))


@given(inputs(age_band=st.sampled_from(["under_18", "adult"])))
def test_clear_concern_routes_to_the_psychiatry_for_the_persons_age(inp: GuidanceInput) -> None:
    result = run(inp)
    expected = "child-psychiatry" if inp.age_band == "under_18" else "adult-psychiatry"

    assert (expected in contacts_of(result)) == (_rank(result.level) >= _rank("clear"))


@given(inputs(wants_to_leave=st.just(True)), directories)
def test_someone_who_wants_to_leave_gets_leaver_support_when_the_directory_has_it(
    inp: GuidanceInput, contacts: frozenset[str]
) -> None:
    listed = contacts_of(run(inp, contacts))

    if "leaver-support" in contacts:
        assert "leaver-support" in listed
    if "coordinator" in contacts:
        assert "coordinator" in listed


@given(inputs(asker=st.just("relative")), directories)
def test_relatives_always_get_the_relatives_line_when_the_directory_has_it(
    inp: GuidanceInput, contacts: frozenset[str]
) -> None:
    if "relatives-line" in contacts:
        assert "relatives-line" in contacts_of(run(inp, contacts))


@given(inputs(asker=st.just("self"), age_band=st.just("under_18")))
def test_a_young_person_asking_for_themself_gets_bris(inp: GuidanceInput) -> None:
    assert "bris" in contacts_of(run(inp))


@given(inputs(asker=st.sampled_from([asker for asker in ASKERS if asker != "self"])))
def test_only_a_young_person_asking_for_themself_gets_bris(inp: GuidanceInput) -> None:
    assert "bris" not in contacts_of(run(inp))


# --- bad input --------------------------------------------------------------------------------------


@given(st.text(min_size=1).filter(lambda text: text not in SIGNS), sign_sets)
def test_an_unknown_sign_raises_guidance_input_error(unknown: str, known: frozenset[str]) -> None:
    inp = GuidanceInput(signs=known | {unknown}, asker="friend")

    with pytest.raises(GuidanceInputError, match="unknown sign"):
        run(inp)


@pytest.mark.parametrize(
    "fields",
    [
        {"asker": "parent"},
        {"asker": "friend", "age_band": "18+"},
        {"asker": "friend", "immediate_danger": "yes"},
        {"asker": "friend", "signs": "heightened-hatred"},
    ],
)
def test_invalid_answers_raise_guidance_input_error(fields: dict[str, Any]) -> None:
    with pytest.raises(GuidanceInputError):
        GuidanceInput(**fields)


def test_a_catalogue_sign_with_an_unknown_tier_is_refused() -> None:
    with pytest.raises(GuidanceInputError, match="unknown tier"):
        evaluate(
            GuidanceInput(signs=frozenset({"odd"}), asker="friend"),
            rules=RULES,
            signs={"odd": "severe"},
            contacts=CONTACTS,
        )


@given(st.frozensets(st.sampled_from(sorted(CONTACTS - set(FALLBACK_CONTACTS)))), inputs())
def test_a_directory_without_any_fallback_contact_is_refused(
    contacts: frozenset[str], inp: GuidanceInput
) -> None:
    # Refused for every input alike, so a broken directory shows at once instead of for some answers.
    with pytest.raises(GuidanceInputError, match="fallback"):
        run(inp, contacts)


# --- rule files -------------------------------------------------------------------------------------

VALID_RULES = """\
version: 1
municipality: testby
fallback_contacts:
  - {contact: coordinator, reason: coordinator_questions}
rules:
  - id: early-coordinator
    when:
      level: {at_least: early}
    then:
      steps:
        - {contact: coordinator, reason: coordinator_early_concern, priority: 20}
"""


def broken(old: str, new: str) -> str:
    assert old in VALID_RULES
    return VALID_RULES.replace(old, new, 1)


# Each broken variant: (rule file text, start of the field path the error must name, words of the message).
BROKEN_RULE_FILES: dict[str, tuple[str, str, str]] = {
    "unknown-level": (
        broken("at_least: early", "at_least: hightened"),
        "rules[0].when.level.at_least",
        "'hightened' is not one of",
    ),
    "unknown-asker": (
        broken("level: {at_least: early}", "asker: [parent]"),
        "rules[0].when.asker[0]",
        "'parent' is not one of",
    ),
    "misspelt-condition": (
        broken("level: {at_least: early}", "agee: [adult]"),
        "rules[0].when.agee",
        "unknown field",
    ),
    "step-without-contact": (
        broken("{contact: coordinator, reason: coordinator_early", "{reason: coordinator_early"),
        "rules[0].then.steps[0].contact",
        "is required",
    ),
    "priority-not-a-number": (
        broken("priority: 20", "priority: first"),
        "rules[0].then.steps[0].priority",
        "not of type 'integer'",
    ),
    "reason-not-a-key": (
        broken("reason: coordinator_early_concern", "reason: Coordinator Early"),
        "rules[0].then.steps[0].reason",
        "snake_case",
    ),
    "contact-not-a-key": (
        broken("contact: coordinator, reason: coordinator_early", "contact: Coordinator, reason: x"),
        "rules[0].then.steps[0].contact",
        "kebab-case",
    ),
    "unknown-top-level-key": (VALID_RULES + "rule: []\n", "rule", "unknown field"),
    "no-version": (broken("version: 1\n", ""), "version", "is required"),
    "wrong-version": (broken("version: 1", "version: 2"), "version", "1 was expected"),
    "no-fallback": (
        broken(
            "fallback_contacts:\n  - {contact: coordinator, reason: coordinator_questions}",
            "fallback_contacts: []",
        ),
        "fallback_contacts",
        "must not be empty",
    ),
    "impossible-level": (
        broken("at_least: early", "at_least: clear, at_most: early"),
        "rules[0].when.level",
        "contradict",
    ),
    "lowered-floor": (
        VALID_RULES + "answer_levels: {immediate_danger: clear}\n",
        "answer_levels.immediate_danger",
        "below the built-in floor",
    ),
    "duplicate-rule-id": (
        VALID_RULES + "  - id: early-coordinator\n    when: {}\n    then: {duties: [x]}\n",
        "rules[1].id",
        "already used",
    ),
    "rule-that-does-nothing": (
        VALID_RULES + "  - id: nothing\n    when: {}\n    then: {}\n",
        "rules[1].then",
        "must not be empty",
    ),
    "answer-not-boolean": (
        broken("level: {at_least: early}", "answers: {immediate_danger: perhaps}"),
        "rules[0].when.answers.immediate_danger",
        "not of type 'boolean'",
    ),
    "duplicate-yaml-key": (
        broken("    when:", "    id: other\n    when:"),
        "line 7, column 5",
        "the key “id” appears twice in the same mapping (lines 6 and 7)",
    ),
    "bad-yaml": (broken("{at_least: early}", "{at_least: early}}"), "line 8, column 31", "not valid YAML"),
    "empty-file": ("", "(top level)", "the file is empty"),
    "not-a-mapping": ("- a list\n", "(top level)", "not of type 'object'"),
}


@pytest.mark.parametrize(
    ("text", "path", "message"), BROKEN_RULE_FILES.values(), ids=BROKEN_RULE_FILES.keys()
)
def test_a_broken_rule_file_raises_rule_file_error_naming_the_field(
    text: str, path: str, message: str
) -> None:
    with pytest.raises(RuleFileError) as caught:
        load_rules(text)

    assert caught.value.path.startswith(path)
    assert message in caught.value.message
    assert path in str(caught.value)


def test_a_valid_rule_file_loads() -> None:
    rules = load_rules(VALID_RULES)

    assert rules.municipality == "testby"
    assert rules.rule_ids == ("early-coordinator",)


def test_a_rule_file_can_be_loaded_from_a_path_and_errors_name_the_file(tmp_path: Path) -> None:
    good = tmp_path / "testby.yaml"
    good.write_text(VALID_RULES, encoding="utf-8")
    bad = tmp_path / "broken.yaml"
    bad.write_text(broken("priority: 20", "priority: soon"), encoding="utf-8")

    assert load_rules(good).municipality == "testby"
    assert load_rules(str(good)).municipality == "testby"
    with pytest.raises(RuleFileError, match=r"^broken\.yaml: rules\[0\]\.then\.steps\[0\]\.priority"):
        load_rules(bad)


def test_a_missing_rule_file_raises_rule_file_error(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match="cannot read"):
        load_rules(tmp_path / "missing.yaml")


def test_the_demo_rules_only_name_contacts_of_the_demo_directory() -> None:
    assert RULES.referenced_contacts == CONTACTS


def test_the_demo_rules_define_the_reporting_duties() -> None:
    assert RULES.duty_ids == {"report_of_concern", "consider_report_of_concern"}


def test_the_engine_does_not_import_django() -> None:
    src = Path(__file__).resolve().parents[2] / "src"
    code = "import sys, varna.guidance.engine; sys.exit('django' in sys.modules)"

    subprocess.run([sys.executable, "-c", code], check=True, env={"PYTHONPATH": str(src)})


# --- scenarios: the plan's routes -------------------------------------------------------------------


def test_a_parent_seeing_early_signs_is_sent_to_the_coordinator_and_the_relatives_line() -> None:
    result = run(
        GuidanceInput(signs=frozenset({"early-outside-community"}), asker="relative", age_band="under_18")
    )

    assert result.level == "early"
    assert result.steps == (
        Step("coordinator", "coordinator_early_concern"),
        Step("relatives-line", "relatives_line_support"),
    )
    assert result.duties == ()
    assert result.drivers == ("sign:early-outside-community", "asker:relative")


def test_a_friend_worried_about_brooding_gets_the_coordinator_the_relatives_line_and_police_tips() -> None:
    result = run(GuidanceInput(signs=frozenset({"heightened-hatred", "early-low-trust"}), asker="friend"))

    assert result.level == "heightened"
    assert contacts_of(result) == ["coordinator", "social-services-intake", "relatives-line", "police-tips"]
    assert result.steps[0].reason_key == "coordinator_convenes_expert_group"
    assert "sign:heightened-hatred" in result.drivers
    assert "sign:early-low-trust" not in result.drivers


def test_a_teacher_seeing_hatred_in_a_pupil_must_report_a_concern_first() -> None:
    result = run(
        GuidanceInput(signs=frozenset({"heightened-hatred"}), asker="municipal_staff", age_band="under_18")
    )

    assert result.steps[0] == Step("social-services-intake", "social_services_report_of_concern")
    assert contacts_of(result) == ["social-services-intake", "coordinator", "police-tips"]
    assert result.duties == ("report_of_concern",)
    assert result.drivers == ("sign:heightened-hatred", "asker:municipal_staff", "age:under_18")


def test_clear_signs_in_an_adult_route_to_social_services_and_adult_psychiatry() -> None:
    result = run(
        GuidanceInput(
            signs=frozenset({"clear-extremist-media", "clear-symbols-worn"}),
            asker="other_professional",
            age_band="adult",
        )
    )

    assert result.level == "clear"
    assert contacts_of(result) == ["coordinator", "social-services-intake", "police-tips", "adult-psychiatry"]
    assert result.duties == ()


def test_clear_signs_when_the_age_is_unknown_list_both_psychiatries_with_their_age() -> None:
    result = run(GuidanceInput(signs=frozenset({"clear-related-crime"}), asker="friend"))

    assert Step("child-psychiatry", "psychiatry_child_if_under_18") in result.steps
    assert Step("adult-psychiatry", "psychiatry_adult_if_18_or_over") in result.steps


def test_immediate_danger_puts_112_first_even_without_signs() -> None:
    result = run(GuidanceInput(asker="self", age_band="adult", immediate_danger=True))

    assert result.level == "acute"
    assert result.steps[0] == Step("emergency-112", "call_112_now", urgent=True)
    assert result.drivers[0] == "answer:immediate_danger"


def test_planned_violence_with_immediate_danger_gives_112_then_the_police() -> None:
    result = run(
        GuidanceInput(asker="relative", age_band="adult", immediate_danger=True, planning_violence=True)
    )

    assert contacts_of(result)[:2] == ["emergency-112", "police-tips"]
    assert all(step.urgent for step in result.steps[:2])


def test_someone_who_wants_to_leave_a_group_gets_leaver_support_via_the_coordinator() -> None:
    result = run(GuidanceInput(asker="self", age_band="adult", wants_to_leave=True))

    assert result.level == "heightened"
    assert result.steps[:3] == (
        Step("coordinator", "coordinator_leaver_support"),
        Step("leaver-support", "leaver_support"),
        Step("police-tips", "police_leaver_coordinators"),
    )
    assert "answer:wants_to_leave" in result.drivers


def test_a_young_person_asking_for_themself_is_offered_bris_first() -> None:
    result = run(GuidanceInput(signs=frozenset({"early-insecurity"}), asker="self", age_band="under_18"))

    assert contacts_of(result) == ["bris", "coordinator", "healthcare-advice"]


def test_no_signs_and_no_yes_answers_gives_level_none_and_the_coordinator() -> None:
    result = run(GuidanceInput(asker="other_professional", age_band="adult"))

    assert result == GuidanceResult(
        level="none", steps=(Step("coordinator", "coordinator_questions"),), duties=(), drivers=()
    )


def test_a_directory_without_the_routed_contacts_falls_back_to_112() -> None:
    result = run(
        GuidanceInput(signs=frozenset({"early-insecurity"}), asker="friend"), frozenset({"emergency-112"})
    )

    assert result.steps == (Step("emergency-112", "call_112_if_in_danger"),)


def test_rules_that_forget_112_still_put_it_first_when_acute() -> None:
    rules = load_rules(VALID_RULES)

    result = run(GuidanceInput(asker="friend", immediate_danger=True), rules=rules)

    assert contacts_of(result) == ["emergency-112", "coordinator"]
    assert result.steps[0] == Step("emergency-112", "call_112_now", urgent=True)
