"""The decision record: who decided, when, § and diarienummer, apart from who entered it; imports are drafts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.plans.second_municipality import strategy_plan
from varna.core.models import AuditEvent
from varna.national import selectors as national
from varna.plans import services, yaml_io
from varna.plans.models import Plan, PlanVersion

DECIDED = dt.date(2025, 2, 10)


def _decision(**changes: Any) -> services.Decision:
    fields = {"body_kind": "committee", "body": "Socialnämnden", "date": DECIDED, "paragraph": "§ 14",
              "registry_number": "SN 2025/0031"}
    return services.Decision(**{**fields, **changes})


@pytest.fixture
def styr(make_person: Any, taby: Any) -> Any:
    return make_person("styr@taby.example", "steering_group", taby)


@pytest.fixture
def taby_draft(taby: Any, tove: Any) -> PlanVersion:
    return services.plan_import(actor=tove, municipality=taby, text=yaml_io.dump(strategy_plan()))


def test_a_file_that_says_approved_is_imported_as_a_draft(taby: Any, tove: Any) -> None:
    document = strategy_plan(status="approved")
    document["version"]["decision"] = {"body_kind": "council", "body": "Kommunfullmäktige", "date": "2025-01-30"}
    version = services.plan_import(actor=tove, municipality=taby, text=yaml_io.dump(document))
    assert version.status == PlanVersion.Status.DRAFT
    assert version.approved_at is None
    assert version.span is None  # never in force until someone approves it
    event = AuditEvent.objects.get(action="plans.version.imported")
    assert (event.data["status"], event.data["status_in_file"]) == ("draft", "approved")
    assert not AuditEvent.objects.filter(action="plans.version.approved").exists()


def test_approving_records_the_decision_apart_from_who_entered_it(taby_draft: PlanVersion, styr: Any) -> None:
    version = services.version_approve(actor=styr, version=taby_draft, decision=_decision())
    version.refresh_from_db()
    assert (version.decision_body_kind, version.decision_body, version.decision_date, version.decision_paragraph,
            version.registry_number) == ("committee", "Socialnämnden", DECIDED, "§ 14", "SN 2025/0031")
    assert version.approved_by == styr
    assert timezone.localdate(version.approved_at) == timezone.localdate()
    # In force from the decision (no separate valid_from given), not from the day it was typed in.
    assert version.adopted_on == DECIDED
    assert version.span.start == DECIDED
    assert version.decision_text == "Socialnämnden 2025-02-10 § 14, Dnr SN 2025/0031"
    assert AuditEvent.objects.get(action="plans.version.approved").data["decision"] == version.decision_text


@pytest.mark.parametrize("bad", [{"body": " "}, {"body_kind": "king"}, {"date": dt.date(2999, 1, 1)}])
def test_a_decision_without_body_or_with_a_future_date_is_refused(taby_draft: PlanVersion, styr: Any,
                                                                 bad: dict[str, Any]) -> None:
    with pytest.raises(services.PlanError):
        services.version_approve(actor=styr, version=taby_draft, decision=_decision(**bad))
    assert PlanVersion.objects.get(pk=taby_draft.pk).status == PlanVersion.Status.DRAFT


def test_who_approves_is_set_per_plan(taby: Any, tove: Any, styr: Any, taby_draft: PlanVersion) -> None:
    # The second plan is the coordinator's to approve; the first stays the steering group's.
    other = strategy_plan()
    other["plan"] = {**other["plan"], "slug": "brottsforebyggande", "approval_role": "coordinator"}
    coordinators = services.plan_import(actor=tove, municipality=taby, text=yaml_io.dump(other))
    with pytest.raises(services.PlanError):
        services.version_approve(actor=tove, version=taby_draft, decision=_decision())
    with pytest.raises(services.PlanError):
        services.version_approve(actor=styr, version=coordinators, decision=_decision())
    services.version_approve(actor=tove, version=coordinators, decision=_decision())
    services.version_approve(actor=styr, version=taby_draft, decision=_decision())
    assert set(PlanVersion.objects.filter(plan__municipality=taby).values_list("status", flat=True)) == {"approved"}


def test_a_file_cannot_change_who_approves_an_adopted_plan(taby: Any, tove: Any, styr: Any,
                                                           taby_draft: PlanVersion) -> None:
    services.version_approve(actor=styr, version=taby_draft, decision=_decision())
    revision = strategy_plan(number=2)
    revision["plan"]["approval_role"] = "coordinator"
    draft = services.plan_import(actor=tove, municipality=taby, text=yaml_io.dump(revision))
    assert Plan.objects.get(pk=draft.plan_id).approval_role == "steering_group"
    with pytest.raises(services.PlanError):
        services.version_approve(actor=tove, version=draft, decision=_decision())


def test_web_import_lands_on_the_draft_and_approval_form_takes_the_decision(
        verified_client: Any, taby: Any, tove: Any, styr: Any) -> None:
    document = strategy_plan()
    document["version"]["decision"] = {"body_kind": "council", "body": "Kommunfullmäktige", "date": "2025-01-30",
                                       "paragraph": "§ 3", "registry_number": "KS 2024/0400"}
    upload = SimpleUploadedFile("plan.yaml", yaml_io.dump(document).encode(), "application/yaml")
    client = verified_client(tove)
    response = client.post("/taby/plans/import/", {"file": upload})
    assert response.status_code == 302
    landing = client.get(response["Location"])
    assert landing.status_code == 200
    assert "/versions/1/edit/" in response["Location"]
    client = verified_client(styr)
    form = client.get("/taby/plans/vbe-plan/versions/1/approve/")
    assert form.context["form"].initial["registry_number"] == "KS 2024/0400"  # the file's proposal, to confirm
    done = client.post("/taby/plans/vbe-plan/versions/1/approve/", {
        "body_kind": "council", "body": "Kommunfullmäktige", "date": "2025-01-30", "paragraph": "§ 3",
        "registry_number": "KS 2024/0400"})
    assert done.status_code == 302
    client.logout()
    page = client.get("/taby/plans/vbe-plan/").content.decode()
    assert "Kommunfullmäktige 2025-01-30 § 3, Dnr KS 2024/0400" in page
    assert styr.full_name not in page
    assert styr.email not in page


def test_national_plan_age_counts_from_the_decision_not_the_click(
        client: Any, taby: Any, taby_draft: PlanVersion, styr: Any) -> None:
    taby.national_opt_in = True
    taby.save()
    services.version_approve(actor=styr, version=taby_draft, decision=_decision())
    row = next(r for r in national.plan_coverage(today=DECIDED + dt.timedelta(days=100))
               if r.municipality == taby)
    assert (row.approved_on, row.age_days) == (DECIDED, 100)



def test_importing_another_plan_never_renames_a_unit_of_an_adopted_version(
        taby: Any, tove: Any, styr: Any, taby_draft: PlanVersion) -> None:
    services.version_approve(actor=styr, version=taby_draft, decision=_decision())
    other = strategy_plan()
    other["plan"]["slug"] = "nämndplan".replace("ä", "a")
    other["organisations"] = [{**o, "name": "Nytt namn"} if o["key"] == "utb" else o for o in other["organisations"]]
    other["organisations"].append({"key": "ny-enhet", "name": "Ny enhet", "kind": "other", "parent": None})
    draft = services.plan_import(actor=tove, municipality=taby, text=yaml_io.dump(other))
    adopted = PlanVersion.objects.get(pk=taby_draft.pk)
    names = {o.key: o.name for a in adopted.activities.all() for o in a.responsible.all()}
    assert names["utb"] == "Utbildningsförvaltningen"
    assert draft.unit_names_kept == ["utb"]
    assert AuditEvent.objects.get(action="plans.version.imported", object_id=str(draft.pk)).data[
        "unit_names_kept"] == ["utb"]
    assert draft.plan.municipality.organisations.get(key="ny-enhet").name == "Ny enhet"
