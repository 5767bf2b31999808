"""The API: tenancy, roles, suppression of aggregates, structured validation errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from varna.situation.models import Observation

pytestmark = pytest.mark.django_db


def test_no_token_is_401(api_get: Any, sollentuna: Any) -> None:
    response = api_get("/api/v1/sollentuna/training-events")
    assert response.status_code == 401
    assert response.json()["detail"] == "unauthorized"
    assert api_get("/api/v1/sollentuna/training-events", "varna_made-up").status_code == 401


def test_a_token_never_reaches_another_municipality(alice: Any, tove: Any, sollentuna: Any, taby: Any,
                                                    token_for: Any, api_get: Any) -> None:
    secret = token_for(tove, taby)
    for path in ["plans", "activities", "activity-log", "observations/aggregates", "meetings", "actions",
                 "training-events"]:
        assert api_get(f"/api/v1/sollentuna/{path}", secret).status_code == 404, path
    assert api_get("/api/v1/taby/training-events", secret).status_code == 200


def test_a_token_loses_its_power_with_the_role(alice: Any, sollentuna: Any, token_for: Any, api_get: Any) -> None:
    secret = token_for(alice, sollentuna)
    alice.memberships.all().delete()
    assert api_get("/api/v1/sollentuna/plans", secret).status_code == 404


def test_plan_is_the_approved_version_with_levels_and_activities(alice: Any, demo_plan: Any, token_for: Any,
                                                                 api_get: Any) -> None:
    secret = token_for(alice, demo_plan.municipality)
    plans = api_get("/api/v1/sollentuna/plans", secret).json()["items"]
    assert plans[0]["slug"] == demo_plan.slug
    assert plans[0]["approved_version"] == 1  # the demo plan's one approved version
    plan = api_get(f"/api/v1/sollentuna/plans/{demo_plan.slug}", secret).json()
    assert plan["levels"]
    assert plan["levels"][0]["activities"]
    # The decision, not the click that entered it.
    assert plan["decision"] == {"body_kind": "council", "body": "Kommunfullmäktige", "date": "2016-04-07",
                                "paragraph": "§ 41", "registry_number": "2016/0131 KS-3"}
    assert plan["decision_reference"] == "Kommunfullmäktige 2016-04-07 § 41, Dnr 2016/0131 KS-3"
    activities = api_get("/api/v1/sollentuna/activities", secret, limit=2).json()
    assert len(activities["items"]) == 2
    assert activities["count"] > 2


def test_staff_logs_an_activity_for_own_unit_and_reads_it_back(bob: Any, demo_plan: Any, token_for: Any,
                                                               api_get: Any, api_post: Any) -> None:
    from varna.plans.selectors import approved_activities_of

    secret = token_for(bob, demo_plan.municipality)
    key = approved_activities_of(demo_plan.municipality).first().key
    response = api_post("/api/v1/sollentuna/activity-log", secret,
                        {"activity": key, "unit": "buk", "date": "2025-03-01", "description": "Genomfört"})
    assert response.status_code == 201, response.content
    logs = api_get("/api/v1/sollentuna/activity-log", secret, activity=key).json()
    assert logs["count"] == 1
    assert logs["items"][0]["unit"] == "buk"
    assert logs["items"][0]["term"] == "2025-1"  # the one term key, as the situation picture sends it
    other_unit = api_post("/api/v1/sollentuna/activity-log", secret,
                          {"activity": key, "unit": "kfk", "date": "2025-03-01", "description": "x"})
    assert other_unit.status_code == 403
    # One shape for every refused permission (issue 19): the service's words, in the site's language.
    assert other_unit.json() == {"detail": "forbidden", "errors": [
        {"field": None, "message": "Du får bara logga det som din egen enhet har gjort."}]}
    assert api_get("/api/v1/sollentuna/activity-log", secret, activity=key).json()["count"] == 1


def test_steering_group_may_not_log(sten: Any, demo_plan: Any, token_for: Any, api_post: Any) -> None:
    secret = token_for(sten, demo_plan.municipality)
    response = api_post("/api/v1/sollentuna/activity-log", secret,
                        {"activity": "x", "date": "2025-03-01", "description": "x"})
    assert response.status_code == 403
    assert response.json() == {"detail": "forbidden", "errors": [
        {"field": None, "message": "Din roll tillåter inte detta."}]}


# In Swedish, the site's language, as the request asks for no other.
NOT_FOUND = {"detail": "not_found", "errors": [{"field": None, "message": "Hittades inte."}]}


def test_what_does_not_exist_is_one_404(alice: Any, tove: Any, demo_plan: Any, taby: Any, token_for: Any,
                                        api_get: Any) -> None:
    secret = token_for(alice, demo_plan.municipality)
    # An unknown plan (the selector's Http404), another municipality's address (the scope's DoesNotExist),
    # an unknown municipality of the public directory (a model's DoesNotExist): the same answer.
    for path, token in [("sollentuna/plans/no-such-plan", secret), ("taby/plans", secret),
                        (f"sollentuna/plans/{demo_plan.slug}", token_for(tove, taby)),
                        ("no-such-place/contacts", None)]:
        response = api_get(f"/api/v1/{path}", token)
        assert (response.status_code, response.json()) == (404, NOT_FOUND), path


def test_validation_errors_name_the_field(alice: Any, demo_plan: Any, token_for: Any, api_post: Any) -> None:
    secret = token_for(alice, demo_plan.municipality)
    response = api_post("/api/v1/sollentuna/activity-log", secret, {"activity": "x", "date": "not a date"})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "validation_error"
    fields = {e["field"] for e in body["errors"]}
    assert {"date", "description"} <= fields
    unknown = api_post("/api/v1/sollentuna/activity-log", secret,
                       {"activity": "no-such-activity", "date": "2025-03-01", "description": "x"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "activity"


def _observation(**extra: Any) -> dict[str, Any]:
    return {"date": "2025-03-10", "district": "tureberg", "category": "propaganda", "milieu": "white-power",
            "description": "", "counts": {}, **extra}


def test_observation_with_a_name_is_refused_with_nothing_saved(walter: Any, districts: Any, token_for: Any,
                                                               api_post: Any) -> None:
    secret = token_for(walter, districts["tureberg"].municipality)
    response = api_post("/api/v1/sollentuna/observations", secret,
                        _observation(description="Anna Andersson, 070-123 45 67, delade ut flygblad"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "description"
    assert not Observation.objects.exists()


def test_working_group_reports_an_observation(walter: Any, districts: Any, token_for: Any, api_post: Any) -> None:
    from varna.situation.choices import COUNT_FIELDS

    secret = token_for(walter, districts["tureberg"].municipality)
    response = api_post("/api/v1/sollentuna/observations", secret,
                        _observation(counts={COUNT_FIELDS[0][0]: 2}, description="Klistermärken vid torget"))
    assert response.status_code == 201, response.content
    assert Observation.objects.get().people == 2
    bad = api_post("/api/v1/sollentuna/observations", secret, _observation(district="nowhere", milieu="x"))
    assert bad.status_code == 422


def test_staff_may_not_report_unless_the_municipality_allows(bob: Any, districts: Any, token_for: Any,
                                                             api_post: Any) -> None:
    secret = token_for(bob, districts["tureberg"].municipality)
    assert api_post("/api/v1/sollentuna/observations", secret, _observation()).status_code == 403


def test_aggregates_are_suppressed_for_publication(walter: Any, districts: Any, make_observation: Any,
                                                  token_for: Any, api_get: Any) -> None:
    from varna.situation.choices import COUNT_FIELDS

    name = COUNT_FIELDS[0][0]
    make_observation(walter, **{name: 3})
    make_observation(walter, district="tureberg", date=dt.date(2025, 4, 1), **{name: 1})
    secret = token_for(walter, districts["tureberg"].municipality)
    tables = api_get("/api/v1/sollentuna/observations/aggregates", secret).json()
    assert tables
    shown = {cell for t in tables for row in t["rows"] for cell in [*row["cells"], row["total"]]}
    shown |= {cell for t in tables for cell in [*t["column_totals"], t["grand_total"]]}
    # Four people in all: every non-zero count is below the threshold and must be hidden.
    assert not shown & {"1", "3", "4"}
    assert "–" in shown


def test_staff_sees_no_aggregates(bob: Any, districts: Any, token_for: Any, api_get: Any) -> None:
    secret = token_for(bob, districts["tureberg"].municipality)
    assert api_get("/api/v1/sollentuna/observations/aggregates", secret).status_code == 403


def test_meetings_for_the_groups_only(bob: Any, sten: Any, sollentuna: Any, token_for: Any, api_get: Any) -> None:
    assert api_get("/api/v1/sollentuna/meetings", token_for(bob, sollentuna)).status_code == 403
    response = api_get("/api/v1/sollentuna/actions", token_for(sten, sollentuna))
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_contacts_are_public(sollentuna: Any, api_get: Any) -> None:
    response = api_get("/api/v1/sollentuna/contacts")
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}
    assert api_get("/api/v1/no-such-place/contacts").status_code == 404


def test_contacts_say_when_how_and_against_what_they_were_checked(sollentuna: Any, taby: Any, tove: Any,
                                                                   api_get: Any) -> None:
    """Provenance (ADR 0019) in Täby's directory: its own entries as its coordinator recorded them, a national one,
    and who checked never published."""
    from django.utils import timezone

    from varna.guidance import services
    from varna.guidance.models import Contact

    today = timezone.localdate()
    Contact.objects.create(key="healthcare-advice", name="1177", kind="healthcare_advice", phone="1177",
                           source="https://www.1177.se", source_date=dt.date(2026, 1, 15),
                           last_verified_at=dt.date(2026, 2, 1), verification_method="web_page")
    services.contact_create(
        actor=tove, municipality=taby, key="coordinator", values={"name": "Täbys samordnare", "kind": "coordinator",
                                                                  "phone": "08-555 000 11"},
        verification=services.Verification(method="called", source="Växeln bekräftade numret", checked_on=today))
    Contact.objects.create(municipality=taby, key="youth-clinic", name="Ungdomsmottagningen",
                           last_verified_at=today - dt.timedelta(days=400), verification_method="email",
                           source="E-post från mottagningen")
    Contact.objects.create(municipality=sollentuna, key="coordinator", name="Sollentunas samordnare")

    items = api_get("/api/v1/taby/contacts").json()["items"]
    provenance = {item["key"]: {name: item[name] for name in ("name", "national", "last_verified",
                                                              "verification_method", "source", "source_date",
                                                              "needs_checking")} for item in items}
    assert provenance == {
        "coordinator": {"name": "Täbys samordnare", "national": False, "last_verified": today.isoformat(),
                        "verification_method": "called", "source": "Växeln bekräftade numret", "source_date": None,
                        "needs_checking": False},
        "healthcare-advice": {"name": "1177", "national": True, "last_verified": "2026-02-01",
                              "verification_method": "web_page", "source": "https://www.1177.se",
                              "source_date": "2026-01-15", "needs_checking": False},
        "youth-clinic": {"name": "Ungdomsmottagningen", "national": False,
                         "last_verified": (today - dt.timedelta(days=400)).isoformat(),
                         "verification_method": "email", "source": "E-post från mottagningen", "source_date": None,
                         "needs_checking": True},
    }
    # The verifier is a login: only coordinators read it, in the contact's history.
    assert all(tove.email not in str(item) and "verified_by" not in item for item in items)


def test_the_schema_describes_each_contact_s_provenance(client: Any, sollentuna: Any) -> None:
    from varna.guidance.models import VerificationMethod

    schema = client.get("/api/openapi.json").json()
    contact = schema["components"]["schemas"]["ContactOut"]
    fields = contact["properties"]
    assert {"national", "last_verified", "verification_method", "source", "source_date",
            "needs_checking"} <= set(contact["required"])
    assert fields["verification_method"]["enum"] == [*VerificationMethod.values, ""]
    assert {"type": "string", "format": "date"} in fields["last_verified"]["anyOf"]
    assert {"type": "null"} in fields["source_date"]["anyOf"]
    assert fields["national"]["type"] == fields["needs_checking"]["type"] == "boolean"
    assert all(fields[name].get("description") for name in ("last_verified", "verification_method", "source"))


# --- pagination ------------------------------------------------------------------------------------

def _all_pages(api_get: Any, path: str, token: str | None, limit: int) -> tuple[list[dict[str, Any]], int]:
    items: list[dict[str, Any]] = []
    offset, count = 0, None
    while count is None or offset < count:
        page = api_get(path, token, limit=limit, offset=offset).json()
        assert len(page["items"]) <= limit
        items += page["items"]
        count, offset = page["count"], offset + limit
    return items, count


def test_contacts_are_paged_by_key_with_the_municipality_s_own_replacing_the_national(
        sollentuna: Any, taby: Any, api_get: Any) -> None:
    from varna.guidance.models import Contact

    for key in ["police", "relatives-line", "healthcare-advice"]:
        Contact.objects.create(key=key, name=f"National {key}")
    Contact.objects.create(municipality=sollentuna, key="police", name="Lokalpolisen Sollentuna")
    for key in ["coordinator", "social-services-intake"]:
        Contact.objects.create(municipality=sollentuna, key=key, name=f"Sollentuna {key}")
    Contact.objects.create(municipality=taby, key="coordinator-taby", name="Täby's own")

    first = api_get("/api/v1/sollentuna/contacts", limit=2).json()
    assert first["count"] == 5
    assert len(first["items"]) == 2
    items, count = _all_pages(api_get, "/api/v1/sollentuna/contacts", None, limit=2)
    keys = [item["key"] for item in items]
    assert keys == sorted(keys) == ["coordinator", "healthcare-advice", "police", "relatives-line",
                                    "social-services-intake"]
    assert next(item for item in items if item["key"] == "police")["name"] == "Lokalpolisen Sollentuna"
    assert api_get("/api/v1/sollentuna/contacts", offset=5).json() == {"items": [], "count": 5}


def test_plans_are_paged_in_title_order(alice: Any, sollentuna: Any, token_for: Any, api_get: Any) -> None:
    from varna.plans.models import Plan

    # Two plans share a title: the order must still be the same on every request.
    for slug, title in [("socialnamnden", "Socialnämndens plan"), ("kommunen", "Kommunens plan"),
                        ("kommunen-2", "Kommunens plan"), ("fritid", "Fritidsnämndens plan")]:
        Plan.objects.create(municipality=sollentuna, slug=slug, title=title)
    secret = token_for(alice, sollentuna)
    items, count = _all_pages(api_get, "/api/v1/sollentuna/plans", secret, limit=1)
    assert count == 4
    assert [item["slug"] for item in items] == ["fritid", "kommunen", "kommunen-2", "socialnamnden"]
    assert all(item["approved_version"] is None for item in items)
    second = api_get("/api/v1/sollentuna/plans", secret, limit=2, offset=2).json()
    assert [item["slug"] for item in second["items"]] == ["kommunen-2", "socialnamnden"]


@pytest.mark.parametrize("path", ["plans", "contacts", "activities", "activity-log", "meetings", "actions",
                                  "training-events"])
def test_a_page_holds_at_most_200_items_and_a_larger_limit_is_refused(path: str, alice: Any, sollentuna: Any,
                                                                      token_for: Any, api_get: Any) -> None:
    secret = token_for(alice, sollentuna)
    url = f"/api/v1/sollentuna/{path}"
    assert api_get(url, secret, limit=200).status_code == 200
    for params in [{"limit": 201}, {"limit": 0}, {"offset": -1}, {"offset": 10**12}]:
        response = api_get(url, secret, **params)
        assert response.status_code == 422, (path, params)
        assert response.json()["errors"][0]["field"] == next(iter(params)), (path, params)


def test_the_schema_states_the_page_size_ceiling(client: Any, sollentuna: Any) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ["/api/v1/{municipality_slug}/plans", "/api/v1/{municipality_slug}/contacts"]:
        parameters = {p["name"]: p["schema"] for p in paths[path]["get"]["parameters"]}
        assert parameters["limit"]["maximum"] == 200
        assert parameters["limit"]["default"] == 100


def test_openapi_schema_and_docs_need_no_external_host(client: Any, sollentuna: Any) -> None:
    schema = client.get("/api/openapi.json").json()
    assert "/api/v1/{municipality_slug}/activity-log" in schema["paths"]
    docs = client.get("/api/docs").content.decode()
    assert "cdn" not in docs.lower()
    assert "/static/ninja/" in docs


def test_rate_limit_answers_429_json(alice: Any, sollentuna: Any, token_for: Any, api_get: Any,
                                     settings: Any) -> None:
    settings.VARNA_RATE_LIMITS = {"api": (2, 60)}
    settings.VARNA_RATE_LIMITS_ENABLED = True
    secret = token_for(alice, sollentuna)
    codes = [api_get("/api/v1/sollentuna/training-events", secret).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
