"""Attendance is counted by the national gender list (core.vocabulary, ADR 0018), in any municipality."""

import datetime as dt
import importlib
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from varna.core.models import Organisation
from varna.core.terms import Season, Term
from varna.core.vocabulary import GENDER_COUNT_FIELDS, GENDERS, gender_count_field
from varna.training import selectors, services
from varna.training.forms import AttendanceForm
from varna.training.models import Attendance, TrainingEvent

DAY = dt.date(2026, 4, 14)


@pytest.fixture
def taby_units(taby: Any) -> dict[str, Organisation]:
    return {key: Organisation.objects.create(municipality=taby, key=key, name=name, kind="school")
            for key, name in (("gymnasiet", "Tibble gymnasium"), ("fritid", "Fritid Täby"))}


def test_the_count_fields_are_the_national_genders() -> None:
    assert [name for name, _g in GENDER_COUNT_FIELDS] == ["n_female", "n_male", "n_other"]
    assert [gender_count_field(g.value) for g in GENDERS] == ["n_female", "n_male", "n_other"]
    counted = [f.name for f in Attendance._meta.get_fields() if f.name.startswith("n_")]
    assert counted == [name for name, _g in GENDER_COUNT_FIELDS]
    assert [str(Attendance._meta.get_field(name).verbose_name) for name, _g in GENDER_COUNT_FIELDS] == [
        "Flickor/kvinnor", "Pojkar/män", "Annat eller okänt"]
    form = AttendanceForm(organisations=Organisation.objects.none())
    assert [(name, str(form.fields[name].label)) for name, _g in GENDER_COUNT_FIELDS] == [
        ("n_female", "Flickor/kvinnor"), ("n_male", "Pojkar/män"), ("n_other", "Annat eller okänt")]


def test_a_second_municipality_counts_by_the_core_keys(make_person: Any, taby: Any, taby_units: Any) -> None:
    tove = make_person("tove@taby.example", "coordinator", taby)
    services.event_create(
        actor=tove, municipality=taby, title="Källkritik för personal", topic="staff", audience="staff", date=DAY,
        organiser=taby_units["gymnasiet"],
        attendance=[services.AttendanceRow(taby_units["gymnasiet"], {"female": 7, "male": 5, "other": 1}),
                    services.AttendanceRow(taby_units["fritid"], {"male": 3})])
    services.event_create(
        actor=tove, municipality=taby, title="Föräldramöte", topic="parents", audience="parents",
        date=dt.date(2026, 9, 2), attendance=[services.AttendanceRow(None, {"female": 11, "other": 2})])
    terms = [Term(2026, Season.SPRING), Term(2026, Season.AUTUMN)]
    assert selectors.totals(taby, terms) == {"female": 18, "male": 8, "other": 3, "participants": 29, "events": 2}
    assert selectors.totals(taby, [Term(2026, Season.SPRING)]) == {
        "female": 7, "male": 8, "other": 1, "participants": 16, "events": 1}
    row = Attendance.objects.get(organisation=taby_units["fritid"])
    assert (row.n_female, row.n_male, row.n_other, row.total) == (0, 3, 0, 3)
    assert row.counts() == [("Flickor/kvinnor", 0), ("Pojkar/män", 3), ("Annat eller okänt", 0)]
    assert [e.participants for e in selectors.events_with_participants(taby)] == [13, 16]


def test_a_gender_outside_the_national_list_is_refused(make_person: Any, taby: Any, taby_units: Any) -> None:
    tove = make_person("tove@taby.example", "coordinator", taby)
    for counts in ({"women": 4}, {"female": -1, "male": 3}):
        with pytest.raises(services.TrainingError):
            services.event_create(actor=tove, municipality=taby, title="Utbildning", topic="staff", audience="staff",
                                  date=DAY, attendance=[services.AttendanceRow(taby_units["fritid"], counts)])
    assert not TrainingEvent.objects.exists()


def test_the_form_reads_the_counts_by_gender_key(taby: Any, taby_units: Any) -> None:
    form = AttendanceForm({"organisation": taby_units["fritid"].pk, "n_female": "4", "n_other": ""},
                          organisations=Organisation.objects.filter(municipality=taby))
    assert form.is_valid(), form.errors
    assert form.counts() == {"female": 4, "male": 0, "other": 0}


def test_the_migration_is_a_pure_reversible_rename() -> None:
    migration = importlib.import_module("varna.training.migrations.0003_attendance_gender_keys").Migration
    renames = [(op.old_name, op.new_name) for op in migration.operations if op.__class__.__name__ == "RenameField"]
    assert renames == [("women", "n_female"), ("men", "n_male"), ("other", "n_other")]
    # Nothing else touches the data: the other operations only relabel the renamed fields.
    others = {op.__class__.__name__ for op in migration.operations} - {"RenameField"}
    assert others == {"AlterField"}
    assert all(op.reversible for op in migration.operations)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite alters tables only outside a transaction")
def test_the_migration_keeps_the_counts(taby: Any) -> None:
    executor = MigrationExecutor(connection)
    before, after = [("training", "0002_term_keys")], [("training", "0003_attendance_gender_keys")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    event = old.get_model("training", "TrainingEvent").objects.create(
        municipality_id=taby.pk, title="Före", topic="staff", audience="staff", date=DAY, term="2026-1")
    old.get_model("training", "Attendance").objects.create(event_id=event.pk, women=6, men=4, other=1)
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    row = new.get_model("training", "Attendance").objects.get()
    assert (row.n_female, row.n_male, row.n_other) == (6, 4, 1)
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    row = executor.loader.project_state(before).apps.get_model("training", "Attendance").objects.get()
    assert (row.women, row.men, row.other) == (6, 4, 1)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # the test's transaction is rolled back anyway


def test_the_annual_report_and_national_table_show_the_counts_by_the_national_genders(
        make_person: Any, taby: Any, taby_units: Any) -> None:
    from varna.national import selectors as national
    from varna.report import selectors as report

    tove = make_person("tove@taby.example", "coordinator", taby)
    services.event_create(
        actor=tove, municipality=taby, title="Källkritik för personal", topic="staff", audience="staff", date=DAY,
        attendance=[services.AttendanceRow(taby_units["gymnasiet"], {"female": 20, "male": 15, "other": 10})])
    annual = report.annual_report(taby, 2026)
    assert annual.training_gender == [("Flickor/kvinnor", "20"), ("Pojkar/män", "15"), ("Annat eller okänt", "10")]
    assert annual.training_by_gender == "Flickor/kvinnor 20, Pojkar/män 15, Annat eller okänt 10"
    table = national.training_table("2026-1", [taby])
    assert table is not None
    assert [str(c) for c in table.columns] == ["Flickor/kvinnor", "Pojkar/män", "Annat eller okänt"]
