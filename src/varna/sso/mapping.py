"""The role mapping as an administrator writes it: one line per group, `group value = role` or
`group value = role @ unit key`. Pure parsing, so that bad input is proved to be refused line by line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class MappingLine:
    group_value: str
    role: str
    unit_key: str = ""


class MappingError(ValueError):
    pass


MAX_LINES = 500


def parse(text: str, *, roles: Iterable[str], unit_keys: Iterable[str]) -> list[MappingLine]:
    """Every line, or MappingError naming the first bad line (blank lines and `#` comments are skipped)."""
    roles, unit_keys = set(roles), set(unit_keys)
    lines: list[MappingLine] = []
    raw_lines = text.replace("\r\n", "\n").split("\n")
    if len(raw_lines) > MAX_LINES:
        raise MappingError(_("At most %(max)d lines.") % {"max": MAX_LINES})
    for number, raw in enumerate(raw_lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        group, sep, rest = line.rpartition("=")
        if not sep or not group.strip() or not rest.strip():
            raise MappingError(_("Line %(line)d: write “group value = role”.") % {"line": number})
        role, _at, unit = (part.strip() for part in rest.partition("@"))
        if role not in roles:
            raise MappingError(_("Line %(line)d: “%(role)s” is not a role a group can give (%(roles)s).")
                               % {"line": number, "role": role, "roles": ", ".join(sorted(roles))})
        if unit and unit not in unit_keys:
            raise MappingError(_("Line %(line)d: there is no unit with the key “%(unit)s”.")
                               % {"line": number, "unit": unit})
        if len(group.strip()) > 300:
            raise MappingError(_("Line %(line)d: the group value is longer than 300 characters.") % {"line": number})
        lines.append(MappingLine(group.strip(), role, unit))
    return lines


def render(lines: Iterable[MappingLine]) -> str:
    return "\n".join(f"{line.group_value} = {line.role}" + (f" @ {line.unit_key}" if line.unit_key else "")
                     for line in lines)
