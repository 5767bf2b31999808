"""Coverage as a share: with a unit's headcount, training and implementation coverage divide by its staff, on the
page and in its export (one table definition), and the annual report shows the same share."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from varna.core import services as core
from varna.core.actors import SYSTEM
from varna.core.models import Organisation
from varna.implementation.selectors import UnitCoverage
from varna.training import selectors as training
from varna.training.models import Attendance, TrainingEvent


def _unit(municipality: Any, key: str, headcount: int | None) -> Organisation:
    return Organisation.objects.create(municipality=municipality, key=key, name=key.title(), kind="school",
                                       headcount=headcount)


def test_training_coverage_is_a_share_of_each_units_staff(db: Any, make_person: Any, verified_client: Any) -> None:
    from varna.core.terms import Term

    vasby, _ = core.municipality_create(actor=SYSTEM, name="Upplands Väsby", code="0114")
    school, _leisure, _unknown = _unit(vasby, "skolan", 40), _unit(vasby, "fritid", 12), _unit(vasby, "okand", None)
    day = timezone.localdate()
    event = TrainingEvent.objects.create(municipality=vasby, title="Tecken och symboler", topic="signs_symbols",
                                         audience="staff", date=day)
    Attendance.objects.create(event=event, organisation=school, n_female=6, n_male=4)
    rows = {row.organisation.key: row for row in training.coverage(vasby, [Term.of(day)])}
    assert (rows["skolan"].total, rows["skolan"].share) == (10, 25)
    # A unit with staff and no training yet is listed at 0 %; one without a headcount only if trained.
    assert (rows["fritid"].total, rows["fritid"].share) == (0, 0)
    assert "okand" not in rows
    coordinator = make_person("samordnare@vasby.example", "coordinator", vasby)
    page = verified_client(coordinator).get(reverse("training:coverage", kwargs={"municipality": vasby.slug}))
    assert page.status_code == 200
    table = page.context["table"]
    assert "Participants per staff (%)" in [str(h) for h in table.headers] or "Deltagare per anställd (%)" in [
        str(h) for h in table.headers]


def test_implementation_share_divides_by_the_headcount_not_by_accounts() -> None:
    unit = Organisation(key="x", name="X", headcount=20)
    row = UnitCoverage(unit, employees=4, acknowledged=4)
    assert (row.share, row.share_of_staff) == (100, 20)
    assert UnitCoverage(Organisation(key="y", name="Y"), employees=2, acknowledged=1).share_of_staff is None
    # More acknowledgements than the stated headcount (an outdated number) never shows more than everyone.
    assert UnitCoverage(Organisation(key="z", name="Z", headcount=2), employees=3, acknowledged=3).share_of_staff == 100


def test_the_annual_report_shows_trainings_share_of_staff(db: Any, make_person: Any, verified_client: Any) -> None:
    import docx

    vasby, _ = core.municipality_create(actor=SYSTEM, name="Upplands Väsby", code="0114")
    school = _unit(vasby, "skolan", 40)
    event = TrainingEvent.objects.create(municipality=vasby, title="Tecken och symboler", topic="signs_symbols",
                                         audience="staff", date=timezone.localdate())
    Attendance.objects.create(event=event, organisation=school, n_female=6, n_male=4)
    c = verified_client(make_person("samordnare@vasby.example", "coordinator", vasby))
    url = reverse("report:annual_report", kwargs={"municipality": vasby.slug})
    page = c.get(url, {"year": timezone.localdate().year}, HTTP_ACCEPT_LANGUAGE="en")
    row = next(row for row in page.context["report"].training_coverage if row.organisation == school)
    assert row.share == 25
    body = page.content.decode()
    assert "Deltagare per anställd (%)" in body or "Participants per staff (%)" in body
    word = c.get(reverse("report:annual_report_docx", kwargs={"municipality": vasby.slug}),
                 {"year": timezone.localdate().year})
    import io

    cells = [cell.text for table in docx.Document(io.BytesIO(word.content)).tables for row in table.rows
             for cell in row.cells]
    assert "25" in cells
