"""How the apps extend each other without importing each other: one mechanism, AppConfig hooks.

An app offers a hook by defining a method of that name on its AppConfig; whoever needs the hook asks
:func:`hooks` for every installed app's method and calls it. The hooks are described here as typed
Protocols, so core states what it calls and with what, and imports no app (the dependency stays
core ← everything). The system check :func:`check_plugins` runs at startup (``manage.py check``,
``runserver``, ``migrate``) and refuses an app whose hook has the wrong shape, is not callable, or is a
method of a Värna AppConfig with a name no hook has (a typo would otherwise be silently ignored), so a
broken plug-in fails at deploy, not as a 500 on the page that needs it.

Hooks (``agenda_sources``, ``report_sections``) that return functions are checked the same way: each
function must take what its caller passes.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.apps import AppConfig, apps
from django.core import checks
from django.utils.functional import Promise

if TYPE_CHECKING:
    from django.http import HttpRequest

    from varna.core.models import Municipality
    from varna.core.navigation import Attention, NavLink


# --- what the hooks return ---------------------------------------------------------------------

@dataclass(frozen=True)
class AgendaProposal:
    """An item an agenda source proposes for a meeting; `source_ref` keeps it from being proposed twice."""

    kind: str
    title: str
    source_ref: str
    notes: str = ""


@dataclass(frozen=True)
class ReportSection:
    """A section of the annual report, as plain data so that the page, the PDF and the Word file render it
    alike (the Word file has no chart): paragraphs, an optional table and an SVG chart drawn from the same
    suppressed table."""

    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    chart: str = ""  # a safe SVG string drawn from the suppressed table, or ""
    order: int = 100  # where the section goes among the other apps' (the situation picture first)


# A meeting (`varna.meetings.models.Meeting`) → what it should discuss.
AgendaSource = Callable[[Any], list[AgendaProposal]]
# (municipality, year) → a section, or None when the app has nothing to say for that year.
SectionSource = Callable[[Any, int], "ReportSection | None"]


# --- the hooks ---------------------------------------------------------------------------------

class NavigationHook(Protocol):
    """Links to the app's pages for this user in this municipality (header and start page)."""

    def __call__(self, request: HttpRequest, municipality: Municipality) -> list[NavLink]: ...


class AttentionHook(Protocol):
    """What needs the user's attention (the start page's task list): counts and links, never the items."""

    def __call__(self, request: HttpRequest, municipality: Municipality) -> list[Attention]: ...


class AccountLinksHook(Protocol):
    """The user's own pages, beside their name in the header."""

    def __call__(self, request: HttpRequest) -> list[NavLink]: ...


class AgendaSourcesHook(Protocol):
    """Functions that propose agenda items for a new meeting."""

    def __call__(self) -> list[AgendaSource]: ...


class AgendaKindsHook(Protocol):
    """The kinds of agenda item the app's sources propose: key (≤ 20 characters) → label."""

    def __call__(self) -> dict[str, str | Promise]: ...


class ReportSectionsHook(Protocol):
    """Functions that add sections to the annual report."""

    def __call__(self) -> list[SectionSource]: ...


class RequiresTwoFactorHook(Protocol):
    """True when the app gives this user access that needs a second factor (a case participant)."""

    def __call__(self, user: Any) -> bool: ...


class PlanVersionApprovedHook(Protocol):
    """Called in the approval's transaction once a plan version is approved (an implementation round starts)."""

    def __call__(self, version: Any) -> None: ...


class FulfilmentSourcesHook(Protocol):
    """What, recorded in the app, can fulfil a plan activity (`varna.plans.fulfilment.FulfilmentSource`)."""

    def __call__(self) -> list[Any]: ...


class PlanThreadHook(Protocol):
    """The problems each activity of a plan version answers, or None (`varna.plans.thread`)."""

    def __call__(self, version: Any, *, approved_only: bool) -> Any: ...


class LoadDemoHook(Protocol):
    """The app's demo content for a municipality (idempotent); returns a line for the log."""

    def __call__(self, municipality: Municipality, *, actor: Any = None) -> str: ...


class MunicipalityCreatedHook(Protocol):
    """What a new municipality starts with."""

    def __call__(self, municipality: Municipality, *, actor: Any = None) -> None: ...


class LoginOptionsHook(Protocol):
    """Other ways in on the login page: ``{"label", "url"}``."""

    def __call__(self, request: HttpRequest) -> list[dict[str, str]]: ...


class SecondFactorOptionsHook(Protocol):
    """Other ways through the second step for this user: ``{"label", "url"}``."""

    def __call__(self, request: HttpRequest, user: Any) -> list[dict[str, str]]: ...


HOOKS: dict[str, type] = {
    "navigation": NavigationHook,
    "attention": AttentionHook,
    "account_links": AccountLinksHook,
    "agenda_sources": AgendaSourcesHook,
    "agenda_kinds": AgendaKindsHook,
    "report_sections": ReportSectionsHook,
    "requires_two_factor": RequiresTwoFactorHook,
    "plan_version_approved": PlanVersionApprovedHook,
    "fulfilment_sources": FulfilmentSourcesHook,
    "plan_thread": PlanThreadHook,
    "load_demo": LoadDemoHook,
    "municipality_created": MunicipalityCreatedHook,
    "login_options": LoginOptionsHook,
    "second_factor_options": SecondFactorOptionsHook,
}
# Hooks whose result is a list of functions, and how many arguments each of those functions is called with.
_SOURCE_ARITY: dict[str, int] = {"agenda_sources": 1, "report_sections": 2}


def hooks(name: str) -> list[Callable[..., Any]]:
    """Every installed app's `name` hook, in INSTALLED_APPS order."""
    if name not in HOOKS:
        raise KeyError(f"no plug-in hook is called {name!r}")
    return [hook for config in apps.get_app_configs() if (hook := getattr(config, name, None)) is not None]


def agenda_sources() -> list[AgendaSource]:
    return [source for hook in hooks("agenda_sources") for source in hook()]


def agenda_kinds() -> dict[str, str | Promise]:
    kinds: dict[str, str | Promise] = {}
    for hook in hooks("agenda_kinds"):
        kinds.update(hook())
    return kinds


def report_sections() -> list[SectionSource]:
    return [source for hook in hooks("report_sections") for source in hook()]


# --- the startup check -------------------------------------------------------------------------

def _takes(function: Callable[..., Any], positional: int, keywords: tuple[str, ...] = ()) -> bool:
    """Whether `function` accepts `positional` arguments and the `keywords` (its caller's call)."""
    try:
        inspect.signature(function).bind(*([None] * positional), **dict.fromkeys(keywords))
    except (TypeError, ValueError):
        return False
    return True


def _call_shape(protocol: type) -> tuple[int, tuple[str, ...]]:
    parameters = list(inspect.signature(protocol.__call__).parameters.values())[1:]  # without self
    positional = sum(1 for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD)
    return positional, tuple(p.name for p in parameters if p.kind is p.KEYWORD_ONLY)


def _call_text(name: str, protocol: type) -> str:
    parameters = list(inspect.signature(protocol.__call__).parameters.values())[1:]
    positional = [p.name for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD]
    keywords = [f"{p.name}=..." for p in parameters if p.kind is p.KEYWORD_ONLY]
    return f"{name}({', '.join(positional + keywords)})"


def _own_methods(config: AppConfig) -> list[str]:
    """The public methods a Värna AppConfig adds to Django's."""
    return [name for name, value in vars(type(config)).items()
            if not name.startswith("_") and inspect.isfunction(value) and not hasattr(AppConfig, name)]


def _check_config(config: AppConfig) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    if config.name.startswith("varna."):
        for name in _own_methods(config):
            if name not in HOOKS:
                errors.append(checks.Error(
                    f"{type(config).__name__}.{name} is not a plug-in hook.", obj=config, id="core.E101",
                    hint=f"Rename it to one of: {', '.join(sorted(HOOKS))}, or make it private (_{name})."))
    for name, protocol in HOOKS.items():
        hook = getattr(config, name, None)
        if hook is None:
            continue
        positional, keywords = _call_shape(protocol)
        if not callable(hook) or not _takes(hook, positional, keywords):
            errors.append(checks.Error(
                f"{type(config).__name__}.{name} does not have the hook's signature.", obj=config, id="core.E102",
                hint=f"It is called as {_call_text(name, protocol)}; see varna.core.plugins.{protocol.__name__}."))
            continue
        if name in _SOURCE_ARITY:
            for source in hook():
                if not callable(source) or not _takes(source, _SOURCE_ARITY[name]):
                    errors.append(checks.Error(
                        f"{type(config).__name__}.{name} offers {source!r}, which does not take "
                        f"{_SOURCE_ARITY[name]} argument(s).", obj=config, id="core.E103"))
    return errors


@checks.register()
def check_plugins(app_configs: Sequence[AppConfig] | None = None, databases: Sequence[str] | None = None,
                  **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    seen: dict[str, str] = {}
    for config in app_configs or apps.get_app_configs():
        found = _check_config(config)
        errors.extend(found)
        hook = getattr(config, "agenda_kinds", None)
        if found or hook is None:
            continue
        for key in hook():
            if len(key) > 20:
                errors.append(checks.Error(f"Agenda kind {key!r} of {config.label} is longer than 20 characters.",
                                           obj=config, id="core.E104"))
            elif key in seen:
                errors.append(checks.Error(f"Agenda kind {key!r} is offered by both {seen[key]} and {config.label}.",
                                           obj=config, id="core.E105"))
            seen[key] = config.label
    return errors
