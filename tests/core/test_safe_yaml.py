"""The bounded YAML loader (varna.core.safe_yaml): every YAML path of Värna goes through it."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from varna.core import safe_yaml
from varna.core.safe_yaml import YAMLLimitError

SRC = Path(__file__).resolve().parents[2] / "src" / "varna"


def laughs(levels: int, width: int = 9) -> str:
    """The "billion laughs": each level an anchor holding `width` aliases of the one before."""
    lines = ['l0: &l0 [' + ", ".join(['"lol"'] * width) + "]"]
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_a_billion_laughs_is_refused_at_once_naming_its_line() -> None:
    text = laughs(9)
    assert len(text) < 600
    started = time.process_time()
    with pytest.raises(YAMLLimitError) as caught:
        safe_yaml.load(text)
    assert time.process_time() - started < 0.5
    assert caught.value.code == "too_many_nodes"
    assert caught.value.line == 6  # l5, the first level past 500 000 values (about 9**6)


def test_a_few_aliases_of_a_small_anchor_are_fine() -> None:
    data = safe_yaml.load("base: &b {x: 1}\none: *b\ntwo:\n  <<: *b\n  y: 2\n")
    assert data == {"base": {"x": 1}, "one": {"x": 1}, "two": {"x": 1, "y": 2}}


def test_too_many_aliases_are_refused_even_when_they_expand_to_little() -> None:
    text = "a: &a 1\nb: [" + ", ".join(["*a"] * (safe_yaml.BoundedLoader.max_aliases + 1)) + "]\n"
    with pytest.raises(YAMLLimitError) as caught:
        safe_yaml.load(text)
    assert caught.value.code == "too_many_aliases"


def test_an_alias_inside_its_own_anchor_is_refused() -> None:
    with pytest.raises(YAMLLimitError) as caught:
        safe_yaml.load("a: &loop\n  - *loop\n")
    assert caught.value.code == "recursive_alias"
    assert caught.value.params == {"anchor": "loop"}


@pytest.mark.parametrize(("opening", "closing"), [("[", "]"), ("{a: ", "}")])
def test_deep_nesting_is_refused_before_python_runs_out_of_stack(opening: str, closing: str) -> None:
    with pytest.raises(YAMLLimitError) as caught:
        safe_yaml.load(opening * 50_000 + "1" + closing * 50_000)
    assert caught.value.code == "too_deep"
    # Nesting up to the limit is allowed.
    depth = safe_yaml.BoundedLoader.max_depth
    expected: list[object] = []
    for _ in range(depth - 1):
        expected = [expected]
    assert safe_yaml.load("[" * depth + "]" * depth) == expected


def test_text_over_the_size_limit_is_refused_before_it_is_parsed() -> None:
    class Small(safe_yaml.BoundedLoader):
        max_bytes = 100

    assert safe_yaml.load("a: " + "x" * 90, loader=Small) == {"a": "x" * 90}
    with pytest.raises(YAMLLimitError) as caught:
        safe_yaml.load("a: " + "ö" * 60, loader=Small)  # 63 characters, 123 bytes
    assert caught.value.code == "too_large"
    with pytest.raises(YAMLLimitError):
        safe_yaml.load(b"a: " + b"x" * 200, loader=Small)


def test_a_key_written_twice_is_refused_naming_the_key_its_path_and_both_lines() -> None:
    text = "plan:\n  title: Första\n  levels:\n    - key: prevent\n      name: A\n      key: detect\n"
    with pytest.raises(YAMLLimitError) as caught:
        safe_yaml.load(text)
    error = caught.value
    assert error.code == "duplicate_key"
    assert error.path == ["plan", "levels", 0, "key"]
    assert error.line == 6
    assert error.params["first"] == 4
    assert "“key”" in str(error)
    assert "lines 4 and 6" in str(error)


def test_keys_that_mean_the_same_value_are_the_same_key() -> None:
    for text in ["yes: 1\ntrue: 2\n", "1: a\n0x1: b\n", "~: a\nnull: b\n"]:
        with pytest.raises(YAMLLimitError):
            safe_yaml.load(text)
    assert safe_yaml.load("'1': a\n1: b\n") == {"1": "a", 1: "b"}  # a string and a number differ


def test_the_error_is_a_yaml_error_with_a_mark_so_existing_handlers_report_it() -> None:
    with pytest.raises(yaml.MarkedYAMLError):
        safe_yaml.load("a: 1\na: 2\n")


def test_it_is_still_the_safe_loader() -> None:
    with pytest.raises(yaml.constructor.ConstructorError):
        safe_yaml.load("!!python/object/apply:os.system ['true']")


def test_the_messages_are_translated(settings: object) -> None:
    from django.utils import translation

    with pytest.raises(YAMLLimitError) as caught:
        safe_yaml.load("a: 1\na: 2\n")
    with translation.override("sv"):
        swedish = caught.value.localized()
    with translation.override("en"):
        english = caught.value.localized()
    assert "”a”" in swedish
    assert "rad 1 och 2" in swedish
    assert "“a”" in english
    assert "lines 1 and 2" in english


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda children: st.lists(children, max_size=4)
                    | st.dictionaries(st.text(max_size=8), children, max_size=4), max_leaves=30))
def test_whatever_plain_data_safe_dump_writes_loads_back_the_same(data: object) -> None:
    assert safe_yaml.load(yaml.safe_dump(data)) == data


def test_every_yaml_path_in_the_code_uses_the_bounded_loader() -> None:
    unbounded = re.compile(r"(?<![\w.])yaml\.(safe_load|load|full_load|unsafe_load|load_all|safe_load_all)\(|Loader=")
    offenders = [str(path.relative_to(SRC)) for path in SRC.rglob("*.py")
                 if path.name != "safe_yaml.py" and unbounded.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
    subclasses = [str(path.relative_to(SRC)) for path in SRC.rglob("*.py")
                  if path.name != "safe_yaml.py" and "(yaml.SafeLoader)" in path.read_text(encoding="utf-8")]
    assert subclasses == []
