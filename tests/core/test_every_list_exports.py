"""Every export has a test that compares it with its page (ADR 0010).

The URLs come from Django's resolver: a URL whose name ends in "export" must be listed below, either in
EXPORT_TESTS with the test that compares the file with its page, or in NOT_LIST_EXPORTS (a file that is
not a list: a PDF, a plan file) with the test that covers it. A new export without such a test fails here.
LISTS_WITHOUT_EXPORT names the list pages that deliberately have no export, with the reason.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

from tests.security.test_authorization_matrix import routes

# The helpers that compare a rendered page with its CSV and XLSX (tests/export_checks.py).
EQUALITY_CHECKS = {"assert_export_equals_page", "assert_export_equals_pages", "assert_tables_export_equals_page"}

# URL name → (test module, test that compares the export with its page).
EXPORT_TESTS: dict[str, tuple[str, str]] = {
    "followup:compliance_export": ("tests.followup.test_exports", "test_the_compliance_export_equals_the_dashboard"),
    "followup:log_export": ("tests.followup.test_exports", "test_the_log_export_holds_every_page_of_the_list"),
    "meetings:meeting_export": ("tests.meetings.test_exports", "test_a_page_that_fits_equals_its_export"),
    "meetings:action_export": ("tests.meetings.test_exports", "test_every_action_with_all"),
    "training:event_export": ("tests.training.test_exports", "test_the_event_export_holds_every_page"),
    "training:coverage_export": ("tests.training.test_exports", "test_the_coverage_export_equals_its_page"),
    "situation:dashboard_export": ("tests.situation.test_exports", "test_every_dashboard_table_equals_its_file"),
    "situation:observation_export": (
        "tests.situation.test_exports", "test_the_coordinator_exports_every_page_with_reporter_and_description"),
    "situation:survey_list_export": ("tests.situation.test_exports", "test_the_survey_list_export_equals_its_page"),
    "situation:survey_export": ("tests.situation.test_exports", "test_the_survey_results_export_equals_its_page"),
    "core:people_export": (
        "tests.core.test_exports", "test_the_people_export_equals_every_page_for_the_administrator"),
    "core:audit_log_export": (
        "tests.core.test_exports", "test_the_audit_log_export_equals_its_pages_under_the_filter"),
    "cases:case_list_export": ("tests.cases.test_exports", "test_the_coordinators_export_equals_the_list"),
    "cases:statistics_export": ("tests.cases.test_exports", "test_the_statistics_export_equals_the_page"),
    "plans:activity_table_export": ("tests.plans.test_exports", "test_the_activity_export_equals_the_table"),
    "plans:version_activity_table_export": (
        "tests.plans.test_exports", "test_the_drafts_activities_are_exported_only_to_those_who_see_drafts"),
    "plans:version_list_export": ("tests.plans.test_exports", "test_the_version_list_export_equals_the_list"),
    "national:overview_export": (
        "tests.national.test_exports", "test_every_table_of_the_national_view_equals_its_file"),
    "implementation:coverage_export": (
        "tests.implementation.test_exports", "test_the_coverage_export_equals_the_overview"),
    "guidance:contact_review_export": (
        "tests.guidance.test_exports", "test_the_contact_review_export_equals_the_page_and_is_audited"),
    "analysis:source_export": ("tests.analysis.test_exports", "test_the_source_export_equals_its_page_defused"),
    "monitoring:item_export": (
        "tests.monitoring.test_exports",
        "test_the_export_holds_every_page_of_the_list_under_the_filters_and_is_audited"),
}

# Exports that are not a list on a page, with the test that covers them.
NOT_LIST_EXPORTS: dict[str, tuple[str, str, str]] = {
    "cases:case_export": ("tests.cases.test_export_and_statistics",
                          "test_the_handover_pdf_needs_a_fresh_code_and_is_watermarked_and_audited",
                          "the handover PDF of one case, watermarked and behind a fresh one-time code"),
    "plans:version_export": ("tests.plans.test_pages", "test_yaml_export_needs_a_role_and_is_audited",
                             "the plan version as a YAML plan file, for import elsewhere, not a table"),
}

# List pages with no CSV/XLSX export on purpose, and why.
LISTS_WITHOUT_EXPORT: dict[str, str] = {
    "plans:plan_list": "a few links to the municipality's plans; each plan's versions and activities export",
    "cases:log_review": "reads of case data for review inside Värna; its filter is POSTed so that case codes "
                        "stay out of URLs, and a file of who read which case would carry that data out",
    "cases:access_log": "one case's access log, read in place by those who may see the case (ADR 0005)",
    "cases:legal_bases": "the municipality's reference list of legal bases, edited in place, not data to analyse",
    "core:sessions": "the user's own sessions, to end them; nothing to work with in a spreadsheet",
    "api_account:tokens": "the user's own API tokens (names and dates only); the API itself serves data",
    "situation:term_report": "a document with its own PDF; its tables come from the dashboard's suppressed "
                             "selector, which the dashboard export writes",
    "report:annual_report": "a document with its own PDF and Word files",
}


def _route_names() -> set[str]:
    return {route.name for route in routes() if not route.admin}


def test_every_export_url_is_covered_by_a_registered_test() -> None:
    exports = {name for name in _route_names() if name.split(":")[-1].endswith("export")}
    missing = sorted(exports - set(EXPORT_TESTS) - set(NOT_LIST_EXPORTS))
    assert not missing, (
        "add an equality test (tests/export_checks.py) for these exports and register it in EXPORT_TESTS: "
        + ", ".join(missing))


def test_the_registry_names_only_urls_that_exist() -> None:
    names = _route_names()
    stale = sorted(n for n in [*EXPORT_TESTS, *NOT_LIST_EXPORTS, *LISTS_WITHOUT_EXPORT] if n not in names)
    assert not stale, f"no such URL: {stale}"
    assert not set(EXPORT_TESTS) & set(NOT_LIST_EXPORTS)


def _called_names(function: object) -> set[str]:
    tree = ast.parse(inspect.getsource(function).lstrip())
    return {node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            for node in ast.walk(tree) if isinstance(node, ast.Call)}


@pytest.mark.parametrize("name", sorted(EXPORT_TESTS))
def test_each_registered_test_compares_the_export_with_its_page(name: str) -> None:
    module_name, test_name = EXPORT_TESTS[name]
    module = importlib.import_module(module_name)
    test = getattr(module, test_name, None)
    assert callable(test), f"{module_name} has no {test_name}"
    assert _called_names(test) & EQUALITY_CHECKS, f"{module_name}.{test_name} compares no page with its files"
    # The test module lives where the app's tests live: tests/<app>/test_exports.py.
    assert Path(module.__file__).name == "test_exports.py"


@pytest.mark.parametrize("name", sorted(NOT_LIST_EXPORTS))
def test_each_other_export_has_its_test(name: str) -> None:
    module_name, test_name, reason = NOT_LIST_EXPORTS[name]
    assert reason
    assert callable(getattr(importlib.import_module(module_name), test_name, None))
