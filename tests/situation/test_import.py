"""Bulk import: atomic, every bad row reported by number, the guard applied, a template that imports."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from varna.core.models import AuditEvent
from varna.situation import importing, services
from varna.situation.models import Observation

IMPORT = "/sollentuna/situation/import/"
HEADER = ["date", "district", "category", "milieu", "signs", "description", "n_male_15_17", "n_female_under_15"]
GOOD = ["2025-03-10", "tureberg", "propaganda", "white-power", "early-graffiti-stickers;heightened-symbols",
        "Klistermärken vid stationen.", "2", "1"]


def _csv(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _xlsx(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _upload(client: Client, name: str, content: bytes) -> Any:
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})


def test_a_good_csv_is_imported_with_one_audit_event(client: Client, walter: Any, districts: Any) -> None:
    client.force_login(walter)
    response = _upload(client, "obs.csv", _csv([GOOD, [*GOOD[:1], "edsberg", *GOOD[2:]]]))
    assert response.status_code == 302
    assert Observation.objects.count() == 2
    first = Observation.objects.get(district__key="tureberg")
    assert (first.term, first.n_male_15_17, first.n_female_under_15, first.reported_by) == ("2025-1", 2, 1, walter)
    assert first.signs == ["early-graffiti-stickers", "heightened-symbols"]
    event = AuditEvent.objects.get(action="situation.observation.imported")
    assert event.data["rows"] == 2


def test_a_good_xlsx_is_imported_with_real_dates_and_numbers(client: Client, walter: Any, districts: Any) -> None:
    import datetime as dt

    client.force_login(walter)
    row = [dt.datetime(2025, 9, 1), "viby",  # noqa: DTZ001 (a spreadsheet's date cell has no time zone)
            "online", "violent-islamist", "", "Filmklipp i en gruppchatt.", 4, 0]
    assert _upload(client, "obs.xlsx", _xlsx([row])).status_code == 302
    observation = Observation.objects.get()
    assert (observation.term, observation.n_male_15_17) == ("2025-2", 4)


def test_one_bad_row_saves_nothing_and_every_problem_is_listed_by_row(client: Client, walter: Any,
                                                                       districts: Any) -> None:
    client.cookies["django_language"] = "en"
    client.force_login(walter)
    rows = [GOOD,
            ["2025-13-01", "tureberg", "propaganda", "white-power", "", "", "1", "0"],
            GOOD,
            ["2025-03-10", "atlantis", "propaganda", "nazi", "no-such-sign", "", "-1", "0"],
            ["2025-03-10", "tureberg", "propaganda", "white-power", "", "Anna Svensson satte upp lappar.", "", ""]]
    response = _upload(client, "obs.csv", _csv(rows))
    assert response.status_code == 200
    problems = response.context["problems"]
    assert {p.row for p in problems} == {3, 5, 6}
    by_row = {row: " ".join(p.message for p in problems if p.row == row) for row in (3, 5, 6)}
    assert "date" in by_row[3]
    assert "district" in by_row[5]
    assert "milieu" in by_row[5]
    assert "signs" in by_row[5]
    assert "n_male_15_17" in by_row[5]
    assert "name" in by_row[6]
    assert "Svensson" not in by_row[6]
    assert Observation.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="situation.").exists()
    html = response.content.decode()
    assert "Row 3" in html
    assert "Row 6" in html


def test_the_service_is_atomic_if_a_row_fails_late(walter: Any, sollentuna: Any, districts: Any) -> None:
    good = importing.validate(sollentuna, importing.read_rows("x.csv", _csv([GOOD, GOOD])))[0]
    good[1]["description"] = "Ring 070-123 45 67."  # slipped past validation: the service guards again
    with pytest.raises(services.PersonalDataError):
        services.observations_import(actor=walter, municipality=sollentuna, rows=good)
    assert Observation.objects.count() == 0


def test_unknown_columns_and_empty_files_are_refused(client: Client, walter: Any, districts: Any) -> None:
    client.force_login(walter)
    response = _upload(client, "obs.csv", _csv([GOOD], header=[*HEADER[:-1], "name"]))
    assert response.context["form"].errors["file"]
    assert _upload(client, "obs.csv", b"").status_code == 200
    assert _upload(client, "obs.txt", _csv([GOOD])).context["form"].errors["file"]
    assert _upload(client, "obs.xlsx", b"not a workbook").context["form"].errors["file"]
    assert Observation.objects.count() == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_downloads_and_its_example_row_imports(client: Client, walter: Any, districts: Any,
                                                            fmt: str) -> None:
    client.force_login(walter)
    response = client.get(f"/sollentuna/situation/import/template.{fmt}")
    assert response.status_code == 200
    if fmt == "xlsx":
        header = [c.value for c in next(load_workbook(io.BytesIO(response.content)).active.iter_rows())]
    else:
        header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert header == importing.COLUMNS
    assert _upload(client, f"template.{fmt}", response.content).status_code == 302
    assert Observation.objects.count() == 1


def test_import_is_for_the_working_group_and_coordinator(client: Client, sten: Any, bob: Any, tove: Any,
                                                         verified_client: Any, districts: Any) -> None:
    for user in (sten, bob):
        client.force_login(user)
        assert client.get(IMPORT).status_code == 403
        assert client.get("/sollentuna/situation/import/template.csv").status_code == 403
    assert verified_client(tove).get(IMPORT).status_code == 404


def test_personal_data_in_an_otherwise_good_file_is_reported_by_row_and_saves_nothing(
        client: Client, walter: Any, districts: Any) -> None:
    # Every other cell is fine, so the rows reach the service, whose guard stops the write half-way.
    client.cookies["django_language"] = "en"
    client.force_login(walter)
    rows = [GOOD] * 2500 + [[*GOOD[:5], "Ring 070-123 45 67 om det händer igen.", "1", "0"]] + [GOOD] * 30
    response = _upload(client, "obs.csv", _csv(rows))
    assert response.status_code == 200
    problems = response.context["problems"]
    assert [p.row for p in problems] == [2502]
    assert "phone number" in problems[0].message
    assert "070" not in problems[0].message
    assert Observation.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="situation.").exists()


def test_descriptions_are_stored_exactly_as_written(walter: Any, sollentuna: Any, districts: Any) -> None:
    # Tabs, line breaks and backslashes mean something in PostgreSQL's COPY format: they must arrive as text.
    text = 'Två rader:\n"citat", tabb\there, snedstreck \\ och \\N\n\\.\nslut'
    content = _csv([[*GOOD[:5], text, "1", "0"], [*GOOD[:5], "", "0", "0"]])
    assert importing.import_file(actor=walter, municipality=sollentuna, name="obs.csv", content=content) == 2
    assert sorted(Observation.objects.values_list("description", flat=True)) == ["", text]


def test_two_imports_into_the_same_rollup_rows_add_up(walter: Any, sollentuna: Any, districts: Any) -> None:
    from varna.situation.models import ObservationRollup

    content = _csv([GOOD, GOOD, [*GOOD[:1], "edsberg", *GOOD[2:]]])
    for _ in range(2):
        importing.import_file(actor=walter, municipality=sollentuna, name="obs.csv", content=content)
    tureberg = ObservationRollup.objects.get(district=districts["tureberg"])
    assert (tureberg.observations, tureberg.n_male_15_17, tureberg.n_female_under_15) == (4, 8, 4)
    counts = list(ObservationRollup.objects.order_by("district_id").values_list("district_id", "observations"))
    services.rollup_rebuild(municipality=sollentuna)
    assert counts == list(ObservationRollup.objects.order_by("district_id").values_list("district_id", "observations"))


def test_the_column_service_refuses_a_district_of_another_municipality(walter: Any, sollentuna: Any, taby: Any,
                                                                      districts: Any) -> None:
    from varna.situation.models import District

    elsewhere = District.objects.create(municipality=taby, key="centrum", name="Täby centrum")
    columns = importing.validate(sollentuna, importing.read_rows("x.csv", _csv([GOOD, GOOD])))[0]
    values = {name: [row[name] for row in columns] for name in services.EDITABLE}
    values["district"][1] = elsewhere
    with pytest.raises(services.SituationError):
        services.observations_import_columns(actor=walter, municipality=sollentuna, batches=[values])
    assert Observation.objects.count() == 0


@pytest.mark.django_db
def test_rollup_arrays_reach_postgresql_unchanged() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("array literals are PostgreSQL's")
    texts = ('white-power', 'a "quoted" {brace, comma}', "back\\slash", "NULL", "", "å")
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::varchar[], %s::integer[]", [services._array_literal(texts),
                                                               services._array_literal((0, -3, 12))])
        assert cursor.fetchone() == (list(texts), [0, -3, 12])


def test_bad_rows_anywhere_in_a_big_file_are_all_reported_and_nothing_is_saved(walter: Any, sollentuna: Any,
                                                                              districts: Any) -> None:
    # Rows are checked and written in batches: the first batches are already on their way to the database
    # when a later one turns out bad.
    rows = [GOOD] * 4500
    rows[100] = [*GOOD[:5], "Anna Svensson satte upp lappar.", "1", "0"]
    rows[4200] = ["2025-02-30", *GOOD[1:]]
    with pytest.raises(services.ImportRejected) as rejected:
        importing.import_file(actor=walter, municipality=sollentuna, name="obs.csv", content=_csv(rows))
    assert [p.row for p in rejected.value.problems] == [102, 4202]
    assert Observation.objects.count() == 0


def test_too_many_rows_are_refused_even_after_the_first_batches(monkeypatch: Any, walter: Any, sollentuna: Any,
                                                                 districts: Any) -> None:
    monkeypatch.setattr(importing, "MAX_ROWS", 50)
    monkeypatch.setattr(importing, "_BATCH", 20)
    with pytest.raises(importing.FileProblem):
        importing.import_file(actor=walter, municipality=sollentuna, name="obs.csv", content=_csv([GOOD] * 51))
    assert Observation.objects.count() == 0
    assert importing.import_file(actor=walter, municipality=sollentuna, name="obs.csv", content=_csv([GOOD] * 50)) == 50


def test_the_guard_scans_each_distinct_description_once_and_refuses_every_repeat(
        monkeypatch: Any, make_person: Any, taby: Any) -> None:
    from varna.situation.models import District

    District.objects.create(municipality=taby, key="roslags-nasby", name="Roslags Näsby")
    actor = make_person("wilma@taby.example", "working_group", taby)
    scanned: list[str] = []
    real = services.guard

    def counting(text: str) -> None:
        scanned.append(text)
        real(text)

    monkeypatch.setattr(services, "guard", counting)
    row = ["2025-09-02", "roslags-nasby", "propaganda", "white-power", "", "Affischer vid busshållplatsen.", "1", "0"]
    blank = [*row[:5], "", "0", "2"]
    content = _csv([row, blank] * 2600)  # three batches of rows
    assert importing.import_file(actor=actor, municipality=taby, name="t.csv", content=content) == 5200
    assert sorted(scanned) == ["", "Affischer vid busshållplatsen."]

    # A refused text never counts as passed: it is refused again in a later batch, and each row is reported.
    bad = [*row[:5], "Mejla lisa.berg@exempel.se om mer.", "1", "0"]
    content = _csv([row, bad, *[row] * 4500, bad])
    with pytest.raises(services.ImportRejected) as caught:
        importing.import_file(actor=actor, municipality=taby, name="t.csv", content=content)
    assert [problem.row for problem in caught.value.problems] == [3, 4504]
    assert Observation.objects.filter(municipality=taby).count() == 5200
