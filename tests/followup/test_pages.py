"""The follow-up pages: who may see and log what, exports equal to the page, reminders."""

import csv
import datetime as dt
import io
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from varna.core.models import AuditEvent
from varna.followup import services
from varna.followup.models import ActivityLog, ReminderSent
from varna.plans.selectors import approved_activities_of

from .conftest import TODAY

URL = "/sollentuna/followup/"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _activity(municipality: Any, key: str) -> Any:
    return approved_activities_of(municipality).get(key=key)


def _unit(municipality: Any, key: str) -> Any:
    from varna.core.models import Organisation

    return Organisation.objects.get(municipality=municipality, key=key)


def _post(client: Any, municipality: Any, unit: str | None, **extra: Any) -> Any:
    data = {"activity": _activity(municipality, "implement-managers").pk,
            "organisation": _unit(municipality, unit).pk if unit else "", "date": "2026-11-01",
            "description": "Gick igenom planen på APT", "participants": "12", **extra}
    return client.post(URL + "log/new/", data)


def test_staff_logs_for_their_own_unit(client: Any, demo_plan: Any, bob: Any, sollentuna: Any) -> None:
    client.force_login(bob)
    assert client.get(URL + "log/new/").status_code == 200
    response = _post(client, sollentuna, "buk")
    assert response.status_code == 302
    log = ActivityLog.objects.get()
    assert (log.organisation.key, log.logged_by, log.term, log.activity_key) == (
        "buk", bob, "2026-2", "implement-managers")
    assert AuditEvent.objects.filter(action="followup.log.created", actor=bob).exists()


def test_staff_may_not_log_for_another_unit(client: Any, demo_plan: Any, bob: Any, sollentuna: Any) -> None:
    client.force_login(bob)
    assert _post(client, sollentuna, "kfk").status_code == 403
    assert _post(client, sollentuna, None).status_code == 200  # a unit is required for staff
    assert not ActivityLog.objects.exists()


def test_service_refuses_another_unit_too(demo_plan: Any, maria: Any, sollentuna: Any) -> None:
    with pytest.raises(services.FollowupPermissionError):
        services.log_create(actor=maria, municipality=sollentuna, activity=_activity(sollentuna, "implement-managers"),
                            organisation=_unit(sollentuna, "kfk"), date=dt.date(2026, 11, 1), description="x")


def test_coordinator_logs_for_any_unit_or_all_together(verified_client: Any, demo_plan: Any, alice: Any,
                                                       sollentuna: Any) -> None:
    client = verified_client(alice)
    assert _post(client, sollentuna, "kfk").status_code == 302
    assert _post(client, sollentuna, None).status_code == 302
    assert sorted(str(o) for o in ActivityLog.objects.values_list("organisation__key", flat=True)) == ["None", "kfk"]


def test_steering_group_reads_but_does_not_log(client: Any, demo_plan: Any, sten: Any) -> None:
    client.force_login(sten)
    assert client.get(URL).status_code == 200
    assert client.get(URL + "log/new/").status_code == 403


def test_other_municipality_gets_404_and_anonymous_logs_in(verified_client: Any, client: Any, demo_plan: Any,
                                                           tove: Any) -> None:
    assert client.get(URL).status_code == 302
    tove_client = verified_client(tove)
    for path in [URL, URL + "log/", URL + "log/new/", URL + "compliance.csv"]:
        assert tove_client.get(path).status_code == 404


def test_future_dates_and_disguised_files_are_refused(client: Any, demo_plan: Any, bob: Any,
                                                      sollentuna: Any) -> None:
    client.force_login(bob)
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    assert _post(client, sollentuna, "buk", date=future).context["form"].errors["date"]
    fake = SimpleUploadedFile("protokoll.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    assert _post(client, sollentuna, "buk", attachment=fake).context["form"].errors["attachment"]
    exe = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    assert _post(client, sollentuna, "buk", attachment=exe).context["form"].errors["attachment"]
    assert not ActivityLog.objects.exists()


def test_attachment_is_stored_and_served_to_members_only(client: Any, verified_client: Any, demo_plan: Any,
                                                         bob: Any, tove: Any, sollentuna: Any) -> None:
    client.force_login(bob)
    pdf = SimpleUploadedFile("underlag.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    assert _post(client, sollentuna, "buk", attachment=pdf).status_code == 302
    log = ActivityLog.objects.get()
    response = client.get(f"{URL}log/{log.pk}/attachment/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    assert verified_client(tove).get(f"{URL}log/{log.pk}/attachment/").status_code == 404


class _Table(HTMLParser):
    """The compliance table's body rows as text, without the actions column."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_body = self._in_cell = False
        self._cell: list[str] = []
        self._skip = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag in ("td", "th"):
            self._in_cell, self._cell = True, []
            self._skip = "row-actions" in (dict(attrs).get("class") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif self._in_body and tag in ("td", "th"):
            self._in_cell = False
            if not self._skip:
                self.rows[-1].append(" ".join("".join(self._cell).split()))

    def handle_data(self, data: str) -> None:
        if self._in_cell:
            self._cell.append(data)


@pytest.mark.parametrize("query", ["", "?term=2026-1", "?term=2026-2&level=implement", "?unit=buk"])
def test_exports_hold_exactly_the_rows_on_the_page(client: Any, demo_followup: Any, maria: Any, query: str,
                                                   monkeypatch: Any) -> None:
    from openpyxl import load_workbook

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    client.force_login(maria)
    page = client.get(URL + query)
    assert page.status_code == 200
    parser = _Table()
    parser.feed(page.content.decode())
    assert parser.rows

    content = client.get(URL + "compliance.csv" + query).content.decode("utf-8-sig")
    csv_rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert csv_rows[1:] == parser.rows

    sheet = load_workbook(io.BytesIO(client.get(URL + "compliance.xlsx" + query).content)).active
    xlsx_rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert xlsx_rows == parser.rows
    events = AuditEvent.objects.filter(action="followup.compliance.exported", actor=maria)
    assert sorted(e.data["format"] for e in events) == ["csv", "xlsx"]
    assert all(e.data["rows"] == len(parser.rows) for e in events)


def test_staff_may_not_export(client: Any, demo_plan: Any, bob: Any) -> None:
    client.force_login(bob)
    assert client.get(URL + "compliance.csv").status_code == 403
    assert client.get(URL + "compliance.pdf").status_code == 403


def test_pages_work_in_both_languages_and_log_list_paginates(client: Any, demo_followup: Any, sten: Any) -> None:
    client.force_login(sten)
    for language, word in [("sv", "Uppföljning"), ("en", "Follow-up")]:
        client.cookies["django_language"] = language
        assert word in client.get(URL).content.decode()
    page = client.get(URL + "log/")
    assert page.status_code == 200
    assert page.context["page"].paginator.num_pages > 1
    assert client.get(URL + "log/?page=2").status_code == 200


def test_reminders_go_to_the_units_manager_once_a_week(demo_followup: Any, maria: Any,
                                                       django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_followup_reminders", "--date", TODAY.isoformat(), stdout=io.StringIO())
    to_maria = [m for m in mail.outbox if m.to == ["maria@sollentuna.example"]]
    assert to_maria
    assert all("handlingsplan" in m.subject.lower() for m in to_maria)
    assert "http" in to_maria[0].body
    assert "/sollentuna/followup/" in to_maria[0].body
    assert ReminderSent.objects.filter(user=maria).exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_followup_reminders", "--date", TODAY.isoformat(), stdout=io.StringIO())
    assert mail.outbox == []


def test_reminder_task_runs_the_same_service(demo_followup: Any, maria: Any,
                                             django_capture_on_commit_callbacks: Any) -> None:
    from varna.followup.tasks import send_followup_reminders

    with django_capture_on_commit_callbacks(execute=True):
        result = send_followup_reminders.enqueue()
    assert result.return_value >= 1


def test_dashboard_defaults_to_the_current_term(client: Any, demo_plan: Any, sten: Any) -> None:
    from django.utils import timezone

    from varna.core.terms import Term

    client.force_login(sten)
    response = client.get(URL)
    current = Term.of(timezone.localdate())
    assert response.context["term"] == current
    assert f'<option value="{current.key}" selected>' in response.content.decode()


def test_entries_are_removed_by_their_author_or_the_coordinator(client: Any, demo_plan: Any, bob: Any, maria: Any,
                                                                sollentuna: Any) -> None:
    client.force_login(bob)
    _post(client, sollentuna, "buk")
    log = ActivityLog.objects.get()
    client.force_login(maria)
    assert client.post(f"{URL}log/{log.pk}/delete/", {"confirm": "yes"}).status_code == 403
    client.force_login(bob)
    assert client.post(f"{URL}log/{log.pk}/delete/", {"confirm": "yes"}).status_code == 302
    assert not ActivityLog.objects.exists()
    assert AuditEvent.objects.filter(action="followup.log.deleted", actor=bob).exists()


def test_staff_first_see_their_own_unit_and_may_choose_all(client: Any, demo_followup: Any, bob: Any) -> None:
    client.force_login(bob)
    first = client.get(URL)
    assert first.context["rows"]
    assert {r.unit.key for r in first.context["rows"]} == {"buk"}
    everything = client.get(URL + "?term=&level=&unit=")
    assert len({r.unit for r in everything.context["rows"]}) > 1
