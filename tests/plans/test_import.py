from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from varna.core.models import AuditEvent, Organisation
from varna.plans import demo, services, yaml_io
from varna.plans.models import Activity, Plan, PlanVersion

# Rows of each level's table in the seed plan (Sollentuna 2016), sub-rows counted separately.
# The seed lacks the text of "Implementera"; its four headings become four activities.
SEED_ACTIVITIES_PER_LEVEL = {"prevent": 12, "detect": 3, "act": 5, "implement": 4, "follow_up": 1}


def test_demo_plan_has_every_activity_row_of_the_seed(demo_plan: Plan) -> None:
    version = demo_plan.versions.get()
    counts = {level.key: level.activities.count() for level in version.levels.all()}
    assert counts == SEED_ACTIVITIES_PER_LEVEL
    assert version.status == PlanVersion.Status.APPROVED
    assert version.decision_text == "Kommunfullmäktige 2016-04-07 § 41, Dnr 2016/0131 KS-3"
    assert (version.decision_body_kind, version.decision_date.isoformat()) == ("council", "2016-04-07")
    assert version.recommendations.count() == 12
    assert version.activities.filter(key="prevent-signs-symbols-training", cadence_kind="when_needed").exists()
    assert version.activities.get(key="prevent-working-group-meetings").cadence_count == 2


def test_loading_the_demo_twice_creates_nothing_twice(sollentuna: Any) -> None:
    demo.load(sollentuna)
    counts = (Plan.objects.count(), PlanVersion.objects.count(), Activity.objects.count(),
              Organisation.objects.count())
    demo.load(sollentuna)
    assert (Plan.objects.count(), PlanVersion.objects.count(), Activity.objects.count(),
            Organisation.objects.count()) == counts


def _demo_text() -> str:
    return demo.DEMO_FILE.read_text(encoding="utf-8")


def test_a_bad_file_changes_nothing_and_names_field_and_line(sollentuna: Any) -> None:
    text = _demo_text().replace("cadence: per_term(2)", "cadence: twice-a-term", 1)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "twice-a-term" in row)
    before = (Plan.objects.count(), Organisation.objects.count(), AuditEvent.objects.count())
    with pytest.raises(yaml_io.PlanFormatError) as caught:
        services.plan_import(actor=None, municipality=sollentuna, text=text)
    problem = caught.value.problems[0]
    assert problem.line == line
    assert problem.path.endswith("/cadence")
    assert (Plan.objects.count(), Organisation.objects.count(), AuditEvent.objects.count()) == before


def test_a_problem_found_late_still_rolls_back_everything(sollentuna: Any) -> None:
    # The second import fails on the version number after organisations were touched.
    services.plan_import(actor=None, municipality=sollentuna, text=_demo_text())
    renamed = _demo_text().replace("name: Barn- och utbildningskontoret", "name: Nytt namn", 1)
    with pytest.raises(yaml_io.PlanFormatError):
        services.plan_import(actor=None, municipality=sollentuna, text=renamed)
    assert Organisation.objects.get(municipality=sollentuna, key="buk").name == "Barn- och utbildningskontoret"


@pytest.mark.parametrize(("language", "expected"), [("en", "is missing"), ("sv", "saknas")])
def test_errors_speak_the_users_language(sollentuna: Any, language: str, expected: str) -> None:
    text = _demo_text().replace("  title: Handlingsplan mot våldsbejakande extremism\n", "\n", 1)
    with translation.override(language), pytest.raises(yaml_io.PlanFormatError) as caught:
        services.plan_import(actor=None, municipality=sollentuna, text=text)
    assert expected in str(caught.value)


@pytest.mark.parametrize("text", ["", "just text", "- a\n- list", "format: [unclosed", "format: varna-plan/1\n"])
def test_garbage_is_refused_with_a_message(sollentuna: Any, text: str) -> None:
    with pytest.raises(yaml_io.PlanFormatError) as caught:
        services.plan_import(actor=None, municipality=sollentuna, text=text)
    assert caught.value.problems
    assert Plan.objects.count() == 0


def test_unknown_responsible_unit_is_reported(sollentuna: Any) -> None:
    text = _demo_text().replace("responsible: [buk", "responsible: [nobody, buk", 1)
    if text == _demo_text():
        text = _demo_text().replace("- buk\n", "- nobody\n", 1)
    with pytest.raises(yaml_io.PlanFormatError) as caught:
        services.plan_import(actor=None, municipality=sollentuna, text=text)
    assert any("nobody" in p.message for p in caught.value.problems)


def test_command_line_import_and_export(sollentuna: Any, tmp_path: Path, capsys: Any) -> None:
    source = tmp_path / "plan.yaml"
    source.write_text(_demo_text(), encoding="utf-8")
    call_command("plan_import", str(source), "--municipality", "sollentuna")
    # The file says "approved", but an import is always a draft: nothing is approved to export by default.
    assert PlanVersion.objects.get().status == PlanVersion.Status.DRAFT
    out = tmp_path / "out.yaml"
    with pytest.raises(CommandError):
        call_command("plan_export", "--municipality", "sollentuna", "-o", str(out))
    call_command("plan_export", "--municipality", "sollentuna", "--number", "1", "-o", str(out))
    exported = yaml_io.parse(out.read_text(encoding="utf-8"))
    assert sum(len(level["activities"]) for level in exported["levels"]) == 25
    assert AuditEvent.objects.filter(action="plans.version.exported").count() == 1


def test_command_line_import_reports_problems_and_changes_nothing(sollentuna: Any, tmp_path: Path) -> None:
    source = tmp_path / "bad.yaml"
    source.write_text(_demo_text().replace("status: approved", "status: maybe"), encoding="utf-8")
    with pytest.raises(CommandError, match="status"):
        call_command("plan_import", str(source), "--municipality", "sollentuna", "--language", "en")
    assert Plan.objects.count() == 0


def test_a_cadence_written_twice_is_refused_with_field_and_lines_not_the_last_one_kept(
        sollentuna: Any, tmp_path: Path) -> None:
    # The case: a second "cadence" quietly turned per_term(2) into when_needed, deleting its follow-up.
    twice = "        cadence: per_term(2)\n        cadence: when_needed\n"
    text = _demo_text().replace("        cadence: per_term(2)\n", twice, 1)
    first = next(i for i, row in enumerate(text.splitlines(), 1) if row.strip() == "cadence: per_term(2)")
    with translation.override("en"), pytest.raises(yaml_io.PlanFormatError) as caught:
        services.plan_import(actor=None, municipality=sollentuna, text=text)
    (problem,) = caught.value.problems
    assert problem.path.endswith("/cadence")
    assert problem.line == first + 1
    assert f"lines {first} and {first + 1}" in problem.message
    # The command line says the same and changes nothing.
    source = tmp_path / "plan.yaml"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="cadence"):
        call_command("plan_import", str(source), "--municipality", "sollentuna", "--language", "en")
    assert Plan.objects.count() == 0
