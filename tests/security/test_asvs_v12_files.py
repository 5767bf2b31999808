"""ASVS 4.0.3 V12: files. The plan import is the only upload so far; modules with uploads add theirs here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from varna.plans.models import Plan

IMPORT = "/sollentuna/plans/import/"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


def _upload(client: Client, name: str, content: bytes, content_type: str = "application/yaml") -> Any:
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content, content_type)})


def test_v12_1_1_an_upload_over_the_size_limit_is_refused(verified_client: Any, alice: Any, sollentuna: Any,
                                                           settings: Any) -> None:
    settings.VARNA_UPLOAD_MAX_BYTES = 100 * 1024
    client = verified_client(alice)
    client.cookies["django_language"] = "en"
    response = _upload(client, "plan.yaml", b"# " + b"x" * (100 * 1024))
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["The file is larger than 100.0\xa0KB, the most Värna accepts."]
    assert not Plan.objects.filter(municipality=sollentuna).exists()


def test_v12_1_1_one_setting_limits_every_upload_and_request_body() -> None:
    from django.conf import settings as django_settings

    assert django_settings.VARNA_UPLOAD_MAX_BYTES == 5 * 1024 * 1024
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE == django_settings.VARNA_UPLOAD_MAX_BYTES
    assert django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE == django_settings.VARNA_UPLOAD_MAX_BYTES


def test_v12_2_1_the_type_is_checked_by_content_not_by_name(verified_client: Any, alice: Any,
                                                            sollentuna: Any) -> None:
    client = verified_client(alice)
    for name, content_type in [("plan.yaml", "application/yaml"), ("plan.yaml", "text/yaml")]:
        response = _upload(client, name, PNG, content_type)  # an image with a plan's name and type
        assert response.status_code == 200
        assert response.context["form"].errors or response.context["problems"]
    response = _upload(client, "plan.yaml", b"format: varna-plan/1\nplan: [not, a, mapping]\n")
    assert response.context["problems"]  # YAML, but not a plan: refused with the reasons
    assert not Plan.objects.filter(municipality=sollentuna).exists()


def test_v12_5_2_uploaded_files_are_not_served_by_the_application(client: Client, db: Any) -> None:
    # MEDIA_URL is routed only under DEBUG (development); in production the web server serves uploads
    # with Content-Disposition: attachment (README), never Django as HTML.
    assert not settings.DEBUG
    assert client.get(settings.MEDIA_URL + "anything.html").status_code == 404


# --- parser bombs and crashes found by attacking the imports (issue #16) -----------------------------

SITUATION_IMPORT = "/sollentuna/situation/import/"


def _laughs(levels: int) -> str:
    """A plan file that is mostly a "billion laughs": each anchor holds nine aliases of the one before."""
    lines = ["format: varna-plan/1", 'l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]" for n in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def test_v5_5_3_a_plan_yaml_with_nested_aliases_is_refused_at_once_naming_the_line(
        verified_client: Any, alice: Any, sollentuna: Any) -> None:
    import time

    text = _laughs(8)  # 9**8 = 43 million strings once expanded, from 500 bytes
    assert len(text) < 600
    client = verified_client(alice)
    client.cookies["django_language"] = "en"
    started = time.process_time()
    response = _upload(client, "plan.yaml", text.encode())
    assert time.process_time() - started < 2
    problems = [str(problem) for problem in response.context["problems"]]
    assert problems == ["line 7, /: with its aliases expanded the file holds more than 500000 values"]
    assert not Plan.objects.filter(municipality=sollentuna).exists()


def test_v5_5_3_the_plan_import_command_refuses_the_same_bomb(sollentuna: Any, tmp_path: Any) -> None:
    from django.core.management import CommandError, call_command

    path = tmp_path / "plan.yaml"
    path.write_text(_laughs(8), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("plan_import", str(path), "--municipality", "sollentuna", "--language", "en")
    assert "more than 500000 values" in str(caught.value)
    assert "line 7" in str(caught.value)
    assert not Plan.objects.filter(municipality=sollentuna).exists()


def test_v5_1_4_a_plan_yaml_naming_a_field_twice_is_refused_naming_the_field_and_line(
        verified_client: Any, alice: Any, sollentuna: Any) -> None:
    from varna.plans import demo

    text = demo.DEMO_FILE.read_text(encoding="utf-8")
    first_title = next(number for number, line in enumerate(text.splitlines(), start=1) if line.startswith("  title:"))
    doubled = text.replace("\n  title:", "\n  title: Ett annat namn\n  title:", 1)
    client = verified_client(alice)
    client.cookies["django_language"] = "en"
    problems = [str(problem) for problem in _upload(client, "plan.yaml", doubled.encode()).context["problems"]]
    assert problems == [f"line {first_title + 1}, plan/title: the key “title” appears twice in the same mapping "
                        f"(lines {first_title} and {first_title + 1}); remove one"]
    assert not Plan.objects.filter(municipality=sollentuna).exists()


def test_v12_1_1_the_plan_import_command_has_the_web_size_limit(sollentuna: Any, tmp_path: Any, settings: Any) -> None:
    from django.core.management import CommandError, call_command

    settings.VARNA_UPLOAD_MAX_BYTES = 64 * 1024
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"# " + b"x" * (64 * 1024))
    with pytest.raises(CommandError) as caught:
        call_command("plan_import", str(path), "--municipality", "sollentuna", "--language", "en")
    assert "The file is larger than 64.0\xa0KB" in str(caught.value)


def test_v12_1_1_a_request_body_over_the_limit_is_refused_before_it_is_read(client: Client, db: Any,
                                                                             settings: Any) -> None:
    settings.VARNA_UPLOAD_MAX_BYTES = 64 * 1024
    body = b"x" * (200 * 1024)
    response = client.generic("POST", "/api/v1/sollentuna/observations", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["detail"] == "request_too_large"
    response = client.post("/account/login/", data=body, content_type="application/octet-stream")
    assert response.status_code == 413
    assert "too large" in response.content.decode() or "för stor" in response.content.decode()


def _districts(municipality: Any) -> None:
    from varna.situation import demo

    demo.load_districts(municipality)


def _sheet_with_dimension(dimension: str) -> bytes:
    """A small workbook whose sheet claims `dimension`, as a crafted file can."""
    import io
    import re
    import zipfile

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["date", "district", "category", "milieu"])
    workbook.active.append(["2025-03-10", "tureberg", "propaganda", "white-power"])
    plain = io.BytesIO()
    workbook.save(plain)
    crafted = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source, \
            zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), data)
            target.writestr(item, data)
    return crafted.getvalue()


def test_v12_1_2_an_xlsx_declaring_a_huge_sheet_is_refused_before_a_row_is_read(
        verified_client: Any, walter: Any, sollentuna: Any) -> None:
    import tracemalloc

    from varna.situation.models import Observation

    _districts(sollentuna)
    content = _sheet_with_dimension("A1:XFD500")  # 16 384 columns × 500 rows, padded cell by cell before
    assert len(content) < 10_000
    client = verified_client(walter)
    client.cookies["django_language"] = "en"
    tracemalloc.start()
    try:
        response = client.post(SITUATION_IMPORT, {"file": SimpleUploadedFile("obs.xlsx", content)})
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "The sheet says it spans 500 rows and 16384 columns; at most 40001 rows and 64 columns can be read. "
        "Delete the empty rows and columns after the table, or copy the table into a new workbook."]
    assert peak < 20 * 1024 * 1024
    assert not Observation.objects.exists()


def test_v12_1_2_an_xlsx_that_unpacks_past_the_limit_is_refused_by_its_table_of_contents(
        verified_client: Any, walter: Any, sollentuna: Any, monkeypatch: Any) -> None:
    import io

    from openpyxl import Workbook

    from varna.situation import importing

    _districts(sollentuna)
    workbook = Workbook()
    workbook.active.append(["date", "district", "category", "milieu", "description"])
    for _row in range(2000):  # compresses to a few kilobytes
        workbook.active.append(["2025-03-10", "tureberg", "propaganda", "white-power", "x" * 100])
    out = io.BytesIO()
    workbook.save(out)
    monkeypatch.setattr(importing, "XLSX_MAX_UNPACKED_BYTES", 100 * 1024)
    client = verified_client(walter)
    client.cookies["django_language"] = "en"
    response = client.post(SITUATION_IMPORT, {"file": SimpleUploadedFile("obs.xlsx", out.getvalue())})
    assert response.context["form"].errors["file"] == [
        "The workbook unpacks to more than 100.0\xa0KB; save the observations on their own in a new workbook."]


def test_v12_1_1_a_csv_field_over_131072_characters_is_a_clear_error_not_a_server_error(
        verified_client: Any, walter: Any, sollentuna: Any) -> None:
    _districts(sollentuna)
    content = ("date,district,category,milieu,description\n"
               "2025-03-10,tureberg,propaganda,white-power,kort\n"
               '2025-03-10,tureberg,propaganda,white-power,"' + "x" * 131_073 + '"\n').encode()
    client = verified_client(walter)
    client.cookies["django_language"] = "en"
    response = client.post(SITUATION_IMPORT, {"file": SimpleUploadedFile("obs.csv", content)})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Row 3 has a cell longer than 10000 characters; no column holds that much text."]


def test_v12_1_1_a_csv_row_the_csv_module_cannot_read_names_its_row(verified_client: Any, walter: Any,
                                                                       sollentuna: Any) -> None:
    _districts(sollentuna)
    content = b"date,district,category,milieu\n2025-03-10,tureberg,propaganda,white-power\nx\ry,c,d,e\n"
    client = verified_client(walter)
    client.cookies["django_language"] = "en"
    response = client.post(SITUATION_IMPORT, {"file": SimpleUploadedFile("obs.csv", content)})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Row 3 could not be read as CSV: check its quotation marks and line breaks."]


# --- every uploaded file behind the permission of the page that links it (issue #16) --------------------

PDF = b"%PDF-1.4\n%secret minutes\n"


@dataclass(frozen=True)
class FileCase:
    """How to put a file into one FileField, where it is downloaded, and the page that links it."""

    make: Callable[[Any, Any], Any]  # (municipality, uploader) -> object holding a file
    download: Callable[[Any, str], str]  # (object, municipality slug in the address) -> path
    page: str  # the page linking the file, for Sollentuna
    public: bool = False  # the page is public (anonymous visitors may read it)


def _log_with_attachment(municipality: Any, uploader: Any) -> Any:
    from varna.followup import services
    from varna.plans.models import Activity

    activity = Activity.objects.filter(version__plan__municipality=municipality, version__status="approved").first()
    upload = SimpleUploadedFile("Protokoll Anna Andersson.pdf", PDF, content_type="application/pdf")
    return services.log_create(actor=uploader, municipality=municipality, activity=activity, organisation=None,
                               date=dt.date(2026, 3, 1), description="Möte", attachment=upload)


def _lexicon_entry_with_image(municipality: Any, uploader: Any) -> Any:
    from varna.knowledge import services

    upload = SimpleUploadedFile("kod 88 från Annas telefon.png", _png(), content_type="image/png")
    return services.lexicon_entry_save(actor=uploader, municipality=municipality, entry=None, name="Kod 88",
                                       description="En sifferkod.", image=upload)


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "black").save(out, format="PNG")
    return out.getvalue()


FILE_FIELDS: dict[str, FileCase] = {
    "followup.ActivityLog.attachment": FileCase(
        _log_with_attachment, lambda log, slug: f"/{slug}/followup/log/{log.pk}/attachment/",
        "/sollentuna/followup/log/"),
    "knowledge.LexiconEntry.image": FileCase(
        _lexicon_entry_with_image, lambda entry, slug: f"/{slug}/knowledge/lexicon/{entry.pk}/image/",
        "/sollentuna/knowledge/lexicon/", public=True),
}
PEOPLE = ["anonymous", "bob", "maria", "walter", "sten", "alice", "ada", "nils", "tove"]


def test_every_file_field_of_the_project_is_in_the_file_table() -> None:
    from varna.core.files import file_fields

    found = {f"{model._meta.app_label}.{model.__name__}.{field.name}" for model, field in file_fields()}
    assert found == set(FILE_FIELDS), "add the new FileField to FILE_FIELDS with its download view and page"


@pytest.mark.parametrize("key", sorted(FILE_FIELDS))
def test_v4_2_1_v12_4_1_every_uploaded_file_goes_only_to_those_who_see_the_page_that_links_it(
        key: str, request: Any, verified_client: Any, demo_plan: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    case = FILE_FIELDS[key]
    people = {name: request.getfixturevalue(name) for name in PEOPLE if name != "anonymous"}
    obj = case.make(demo_plan.municipality, people["alice"])
    path = case.download(obj, "sollentuna")
    seen = {}
    for name in PEOPLE:
        client = Client() if name == "anonymous" else verified_client(people[name])
        page, download = client.get(case.page).status_code, client.get(path)
        seen[name] = (page, download.status_code)
        if page == 200:
            assert download.status_code == 200, f"{key}: {name} sees the page but not the file"
            body = b"".join(download.streaming_content)
            assert body == obj._meta.get_field(key.rsplit(".", 1)[1]).value_from_object(obj).open("rb").read()
            assert download["Content-Disposition"].startswith("attachment;")
            assert download["X-Content-Type-Options"] == "nosniff"
            assert "sandbox" in download["Content-Security-Policy"]
        else:
            assert download.status_code == 404, f"{key}: {name} may not see {case.page} but got the file"
        client.logout()
    # Through the other municipality's address the file does not exist, whoever asks.
    assert verified_client(people["tove"]).get(case.download(obj, "taby")).status_code == 404
    if not case.public:
        # Anonymous visitors, the national analyst and the other municipality's coordinator: not even a login page.
        assert [seen[name][1] for name in ("anonymous", "nils", "tove")] == [404, 404, 404]
    else:
        assert all(download == 200 for _page, download in seen.values())


@pytest.mark.parametrize("key", sorted(FILE_FIELDS))
def test_v12_3_1_uploads_are_stored_under_random_names_and_never_served_by_path(
        key: str, client: Client, alice: Any, demo_plan: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    obj = FILE_FIELDS[key].make(demo_plan.municipality, alice)
    name = obj._meta.get_field(key.rsplit(".", 1)[1]).value_from_object(obj).name
    stored = name.rsplit("/", 1)[-1]
    assert len(stored) == 32
    assert int(stored, 16) >= 0
    assert "anna" not in name.lower()
    assert "protokoll" not in name.lower()
    assert client.get(settings.MEDIA_URL + name).status_code == 404
    with override_settings(DEBUG=True):
        assert client.get(settings.MEDIA_URL + name).status_code == 404


def test_v12_5_2_an_attachment_downloads_under_the_uploaders_name_as_a_plain_attachment(
        verified_client: Any, alice: Any, demo_plan: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    log = _log_with_attachment(demo_plan.municipality, alice)
    response = verified_client(alice).get(f"/sollentuna/followup/log/{log.pk}/attachment/")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="Protokoll Anna Andersson.pdf"'
    assert response["Cache-Control"] == "private, no-store"


def test_v12_3_1_a_file_name_with_a_path_or_control_characters_is_cleaned_for_the_download() -> None:
    from varna.core.files import display_name

    assert display_name("../../etc/passwd") == "passwd"
    assert display_name("C:\\Users\\anna\\plan.pdf") == "plan.pdf"
    assert display_name('a"\r\nSet-Cookie: x=1.pdf') == 'a"Set-Cookie: x=1.pdf'
    assert display_name(".htaccess") == "htaccess"
    assert display_name("x" * 300 + ".pdf").endswith("x.pdf")
    assert len(display_name("x" * 300 + ".pdf")) == 150


@pytest.mark.parametrize(("mode", "header"), [("x-accel-redirect", "X-Accel-Redirect"), ("x-sendfile", "X-Sendfile")])
def test_v12_4_1_in_production_the_web_server_sends_the_bytes_after_the_check(
        mode: str, header: str, verified_client: Any, alice: Any, tove: Any, demo_plan: Any, settings: Any,
        tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VARNA_FILE_SERVING = mode
    log = _log_with_attachment(demo_plan.municipality, alice)
    path = f"/sollentuna/followup/log/{log.pk}/attachment/"
    response = verified_client(alice).get(path)
    assert response.status_code == 200
    assert response.content == b""
    if mode == "x-accel-redirect":
        assert response[header] == "/protected-media/" + log.attachment.name
    else:
        assert response[header] == str(tmp_path / "media" / log.attachment.name)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    refused = verified_client(tove).get(path)
    assert refused.status_code == 404
    assert header not in refused
