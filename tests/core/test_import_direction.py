"""Writes may use reads, never the reverse: no selectors module imports a services module, at any depth.

A selector that reached into services would make the two import each other (the cases app once did, for
three audit constants) and would let a read start writing. Function-level imports count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import varna

SRC = Path(varna.__file__).parent


def _imported_modules(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names += [module] + [f"{module}.{alias.name}" for alias in node.names]
    return names


def test_no_selectors_module_imports_services() -> None:
    selectors = sorted(SRC.glob("*/selectors.py")) + sorted(SRC.glob("*/selectors/*.py"))
    assert len(selectors) >= 10  # the check would pass vacuously if the layout moved
    offending = [(path.relative_to(SRC).as_posix(), name) for path in selectors
                 for name in _imported_modules(path)
                 if name.startswith("varna.") and (".services" in name or name.endswith("services"))]
    assert offending == []
