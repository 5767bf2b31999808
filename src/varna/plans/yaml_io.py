"""Reading and writing the plan's YAML exchange format (schema: data/plan.schema.json).

Parsing and validation only; the database writes live in services.py. Errors carry the path of the
field and the line in the file, and read in the user's language.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from django.utils.translation import gettext as _

from varna.core import safe_yaml, uploads
from varna.plans import fulfilment

DATA_DIR = Path(__file__).resolve().parent / "data"
FORMAT = "varna-plan/1"


@dataclass(frozen=True)
class FormatProblem:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = _("line %(line)s") % {"line": self.line} if self.line else _("the file")
        return f"{where}, {self.path or '/'}: {self.message}"


class PlanFormatError(Exception):
    """The file is not a valid plan. `problems` lists every one found, each with field and line."""

    def __init__(self, problems: list[FormatProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class _Loader(safe_yaml.BoundedLoader):
    """The bounded safe loader (core.safe_yaml), keeping dates as the strings written, so the schema sees what
    the user typed."""

    @property
    def max_bytes(self) -> int:  # type: ignore[override]
        return uploads.max_bytes()


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@cache
def schema() -> dict[str, Any]:
    return json.loads((DATA_DIR / "plan.schema.json").read_text(encoding="utf-8"))


@cache
def level_sets() -> dict[str, Any]:
    return safe_yaml.load_path(DATA_DIR / "level_sets.yaml")


def _path_text(path: list[Any]) -> str:
    return "/".join(str(p) for p in path)


def _line_of(node: yaml.Node | None, path: list[Any]) -> int | None:
    """The 1-based line of the value at `path`, or of its nearest parent that exists."""
    line = node.start_mark.line + 1 if node is not None else None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            found = next((value for key, value in node.value if key.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            found = node.value[step]
        else:
            found = None
        if found is None:
            break
        node = found
        line = node.start_mark.line + 1
    return line


# Complex on purpose: one branch per JSON Schema validator, each a sentence.
def _message(error: jsonschema.ValidationError) -> str:  # noqa: C901
    v = error.validator
    if v == "required":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        return _("the field “%(field)s” is missing") % {"field": missing}
    if v == "additionalProperties":
        return _("unknown field: %(detail)s") % {"detail": error.message.split("(")[-1].rstrip(")")}
    if v == "type":
        return _("should be of type %(type)s") % {"type": error.validator_value}
    if v in {"enum", "const"}:
        allowed = error.validator_value if v == "enum" else [error.validator_value]
        return _("must be one of: %(values)s") % {"values": ", ".join(str(a) for a in allowed)}
    if v == "pattern":
        if error.relative_path and error.relative_path[-1] == "cadence":
            return _("not a cadence; use per_term(N), per_year(N), continuous, when_needed, on_request "
                     "or per_curriculum")
        return _("has the wrong form (“%(value)s”)") % {"value": str(error.instance)[:60]}
    if v in {"minLength", "minItems"}:
        return _("must not be empty")
    if v in {"maxLength", "maxItems"}:
        return _("is too long (at most %(max)s)") % {"max": error.validator_value}
    if v in {"minimum", "maximum"}:
        return _("is out of range")
    if v in {"minProperties", "maxProperties"}:
        return _("name exactly one thing, for example “meeting: working”")
    if v == "uniqueItems":
        return _("lists the same value twice")
    if v == "oneOf":
        return _("has the wrong form (“%(value)s”)") % {"value": str(error.instance)[:60]}
    return error.message


def parse(text: str) -> dict[str, Any]:
    """Parse and validate a plan file. Raises PlanFormatError listing every problem with its line."""
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except safe_yaml.YAMLLimitError as exc:
        raise PlanFormatError([FormatProblem(_path_text(exc.path), exc.line, exc.localized())]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PlanFormatError([FormatProblem("", mark.line + 1 if mark else None,
                                             _("not valid YAML: %(problem)s") % {
                                                 "problem": getattr(exc, "problem", None) or exc})]) from exc
    if not isinstance(data, dict):
        raise PlanFormatError([FormatProblem("", 1, _("the file must describe a plan (a mapping at the top)"))])

    validator = jsonschema.Draft202012Validator(schema())
    problems = [
        FormatProblem(_path_text(list(e.absolute_path)), _line_of(root, list(e.absolute_path)), _message(e))
        for e in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    ]
    if not problems:
        problems = [FormatProblem(_path_text(p), _line_of(root, p), m) for p, m in _semantic_problems(data)]
    if problems:
        raise PlanFormatError(problems)
    return data


# Complex on purpose: a list of independent rules, each a few lines.
def _semantic_problems(data: dict[str, Any]) -> list[tuple[list[Any], str]]:  # noqa: C901
    """Rules a JSON Schema can't express: unique keys, references that resolve, dates that agree."""
    problems: list[tuple[list[Any], str]] = []

    def unique(items: list[dict], field: str, base: list[Any]) -> None:
        seen: set[Any] = set()
        for i, item in enumerate(items):
            if item[field] in seen:
                problems.append(([*base, i, field], _("“%(value)s” is used twice") % {"value": item[field]}))
            seen.add(item[field])

    organisations = data.get("organisations", [])
    unique(organisations, "key", ["organisations"])
    org_keys = {o["key"] for o in organisations}
    for i, org in enumerate(organisations):
        if org.get("parent") and org["parent"] not in org_keys:
            problems.append((["organisations", i, "parent"],
                             _("no organisation has the key “%(key)s”") % {"key": org["parent"]}))
    unique(data.get("sections", []), "key", ["sections"])
    unique(data["levels"], "key", ["levels"])
    unique(data.get("recommendations", []), "number", ["recommendations"])
    activity_keys: set[str] = set()
    for li, level in enumerate(data["levels"]):
        for ai, activity in enumerate(level["activities"]):
            if activity["key"] in activity_keys:
                problems.append((["levels", li, "activities", ai, "key"],
                                 _("“%(value)s” is used twice") % {"value": activity["key"]}))
            activity_keys.add(activity["key"])
            for ri, key in enumerate(activity.get("responsible", [])):
                if key not in org_keys:
                    problems.append((["levels", li, "activities", ai, "responsible", ri],
                                     _("no organisation has the key “%(key)s”") % {"key": key}))
            for fi, pair in enumerate(activity.get("fulfilled_by", [])):
                ((source, detail),) = pair.items()
                why = fulfilment.problem(source, detail)
                if why:
                    problems.append((["levels", li, "activities", ai, "fulfilled_by", fi, source], why))
    version = data["version"]
    if version.get("valid_from") and version.get("valid_to") and version["valid_to"] < version["valid_from"]:
        problems.append((["version", "valid_to"], _("ends before it starts")))
    return problems


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
