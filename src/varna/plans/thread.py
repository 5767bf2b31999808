"""The thread from problems to measures, offered by another module (the analysis) through the AppConfig hook
``plan_thread(version, *, approved_only)``. Plans never import that module: with no such app installed, a
plan simply shows no thread."""

from __future__ import annotations

from typing import Any

from varna.core.plugins import hooks


def thread_for(version: Any, *, approved_only: bool) -> Any | None:
    """The first installed app's thread for `version`, or None. It has `by_activity` (key → problems),
    `problems_without_measure`, `measures_without_problem` and a `stamp` for cached renderings."""
    for hook in hooks("plan_thread"):
        return hook(version, approved_only=approved_only)
    return None
