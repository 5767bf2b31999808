"""One plug-in mechanism: AppConfig hooks described in `varna.core.plugins`, checked at startup."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import pytest
from django.apps import AppConfig, apps
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from varna.core import plugins


def _config(tmp_path: Path, name: str, **methods: Any) -> AppConfig:
    """An app config of a made-up app `name` with `methods` on its class, as a plug-in author would write."""
    module = types.ModuleType(name)
    module.__path__ = [str(tmp_path)]  # type: ignore[attr-defined]
    cls = type("PluginConfig", (AppConfig,), {"name": name, "label": name.replace(".", "_"), **methods})
    return cls(name, module)


def _ids(errors: list[Any]) -> list[str]:
    return [error.id for error in errors]


def test_the_installed_apps_pass_the_plugin_check() -> None:
    assert plugins.check_plugins() == []


def test_a_hook_with_the_wrong_signature_is_refused(tmp_path: Path) -> None:
    config = _config(tmp_path, "varna.example", navigation=lambda self, request: [])
    errors = plugins.check_plugins([config])
    assert _ids(errors) == ["core.E102"]
    assert "PluginConfig.navigation does not have the hook's signature" in errors[0].msg
    assert errors[0].hint == ("It is called as navigation(request, municipality); "
                              "see varna.core.plugins.NavigationHook.")


def test_a_hook_that_is_not_callable_is_refused(tmp_path: Path) -> None:
    config = _config(tmp_path, "varna.example", attention=["not", "a", "function"])
    assert _ids(plugins.check_plugins([config])) == ["core.E102"]


def test_a_misspelt_hook_is_refused_rather_than_ignored(tmp_path: Path) -> None:
    config = _config(tmp_path, "varna.example", navigaton=lambda self, request, municipality: [])
    errors = plugins.check_plugins([config])
    assert _ids(errors) == ["core.E101"]
    assert errors[0].msg == "PluginConfig.navigaton is not a plug-in hook."


def test_only_varna_apps_are_held_to_the_hook_names(tmp_path: Path) -> None:
    """A third-party app's AppConfig may have methods of its own."""
    config = _config(tmp_path, "someone_else", helper=lambda self: None)
    assert plugins.check_plugins([config]) == []


def test_keyword_arguments_of_the_hook_must_be_accepted(tmp_path: Path) -> None:
    config = _config(tmp_path, "varna.example", load_demo=lambda self, municipality: "loaded")
    assert _ids(plugins.check_plugins([config])) == ["core.E102"]
    good = _config(tmp_path, "varna.example", load_demo=lambda self, municipality, *, actor=None: "loaded")
    assert plugins.check_plugins([good]) == []


def test_an_agenda_source_or_report_section_must_take_what_its_caller_passes(tmp_path: Path) -> None:
    config = _config(tmp_path, "varna.example", agenda_sources=lambda self: [lambda: []],
                     report_sections=lambda self: [lambda municipality: None, lambda municipality, year: None])
    errors = plugins.check_plugins([config])
    assert _ids(errors) == ["core.E103", "core.E103"]
    assert "agenda_sources offers" in errors[0].msg
    assert "does not take 1 argument(s)" in errors[0].msg
    assert "report_sections offers" in errors[1].msg
    assert "does not take 2 argument(s)" in errors[1].msg


def test_agenda_kinds_are_unique_and_fit_the_field(tmp_path: Path) -> None:
    first = _config(tmp_path, "varna.one", agenda_kinds=lambda self: {"safety_walk": "Safety walk"})
    second = _config(tmp_path, "varna.two", agenda_kinds=lambda self: {"safety_walk": "Trygghetsvandring",
                                                                       "x" * 21: "Too long"})
    errors = plugins.check_plugins([first, second])
    assert _ids(errors) == ["core.E105", "core.E104"]
    assert errors[0].msg == "Agenda kind 'safety_walk' is offered by both varna_one and varna_two."


def test_manage_py_check_fails_on_a_broken_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(apps.get_app_config("training"), "attention", lambda request: [], raising=False)
    with pytest.raises(SystemCheckError, match="core.E102"):
        call_command("check")


def test_asking_for_a_hook_nobody_describes_is_a_programming_error() -> None:
    with pytest.raises(KeyError, match="no plug-in hook is called 'navigaton'"):
        plugins.hooks("navigaton")


def test_agenda_kinds_are_registered_by_the_apps_that_propose_them() -> None:
    from varna.meetings.agenda import kind_label, kinds, sources

    assert set(kinds()) == {"overdue_activity", "open_action", "other", "situation", "media"}
    assert [source.__module__ + "." + source.__name__ for source in sources()] == [
        "varna.meetings.agenda.open_actions", "varna.meetings.agenda.overdue_activities",
        "varna.situation.agenda.since_last_meeting", "varna.monitoring.agenda.new_relevant_items"]
    # An item whose app is gone still shows something.
    assert kind_label("safety_walk") == "safety_walk"


def test_report_sections_come_from_the_apps_in_their_order() -> None:
    names = [f"{source.__module__}.{source.__name__}" for source in plugins.report_sections()]
    assert sorted(names) == ["varna.analysis.report.indicators_section", "varna.cases.report.statistics_section",
                             "varna.situation.report.year_section"]


def test_no_plugin_is_named_in_settings() -> None:
    from django.conf import settings

    for name in ("VARNA_MEETING_AGENDA_SOURCES", "VARNA_REPORT_SECTIONS", "VARNA_TWO_FACTOR_CHECKS"):
        assert not hasattr(settings, name)
